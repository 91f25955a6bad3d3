from django.db import models

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """Institution-wide facts an office fills in once; templates and placeholders use them."""

    institution_name = models.CharField(
        max_length=200, blank=True, help_text="e.g. University of Exampleshire"
    )
    research_office_name = models.CharField(
        max_length=200,
        blank=True,
        default="research office",
        help_text="What your institution calls its research office or equivalent function.",
    )
    contact_name = models.CharField(
        max_length=200, blank=True, help_text="Point of contact for Trusted Research questions."
    )
    contact_role = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    guidance_url = models.URLField(
        blank=True, help_text="Where your institution's Trusted Research guidance lives."
    )

    panels = [
        FieldPanel("institution_name"),
        FieldPanel("research_office_name"),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_role"), FieldPanel("contact_email")],
            heading="Point of contact",
        ),
        FieldPanel("guidance_url"),
    ]

    class Meta:
        verbose_name = "portal settings"
