"""The pack's "Pride and Joy" campaign introduction: reusable on the home page and newsletters."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, RevisionMixin
from wagtail.search import index

from comms.guard import PlaceholderGuardFormMixin, PlaceholderGuardMixin

# What readers see above the text (home page, web issue, both email parts). The ``title`` is
# the pack's label for editors ("…: introduction text for internal/external mailing lists"):
# it names the snippet in the admin and is never shown to readers.
READER_HEADING = "Pride and Joy: our Trusted Research campaign"


class CampaignIntroForm(PlaceholderGuardFormMixin, WagtailAdminModelForm):
    """Publishing from the admin lists the placeholders still to fill, as form errors."""


class CampaignIntro(
    PlaceholderGuardMixin, DraftStateMixin, RevisionMixin, index.Indexed, models.Model
):
    """Campaign introduction text with ``[insert …]`` placeholders the office fills in.

    The portal's publish guard (``comms.guard``) applies: a text with an unfilled placeholder
    cannot go live, from the admin or from code.
    """

    title = models.CharField(max_length=255)
    body = RichTextField(features=["bold", "italic", "link", "ol", "ul"])
    pack_key = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False)
    pack_hash = models.CharField(max_length=64, blank=True, editable=False)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="campaign_intro")

    placeholder_fields = ("title", "body")
    base_form_class = CampaignIntroForm
    panels = [FieldPanel("title"), FieldPanel("body")]
    search_fields = [index.SearchField("title"), index.SearchField("body")]

    class Meta:
        verbose_name = "campaign intro text"

    def __str__(self) -> str:
        return self.title

    @property
    def heading(self) -> str:
        """The heading readers see above the text; the ``title`` stays the editors' label."""
        return READER_HEADING

    @property
    def revisions(self):
        return self._revisions

    @property
    def from_pack(self) -> bool:
        return bool(self.pack_key)
