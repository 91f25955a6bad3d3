"""The statistics library: where a figure comes from (Source) and the figure itself (Statistic)."""

from datetime import date, timedelta

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Prefetch
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import RevisionMixin
from wagtail.search import index

from comms.licence import OGL_URL, PACK_ATTRIBUTION
from comms.validators import HttpURLField  # migration 0001 names it via this module

FIGURE_MAX_LENGTH = 40
CLAIM_MAX_LENGTH = 400
# A statistic whose review-by date falls within this many days is "due soon" in the admin.
REVIEW_DUE_SOON_DAYS = 30


class SourceQuerySet(models.QuerySet):
    def cited(self) -> "SourceQuerySet":
        """Sources that at least one statistic cites, with how many (``statistic_count``)."""
        return (
            self.annotate(statistic_count=Count("statistics"))
            .filter(statistic_count__gt=0)
            .order_by("publisher", "title")
        )


class Source(RevisionMixin, index.Indexed, models.Model):
    """A publication a statistic is quoted from."""

    publisher = models.CharField(max_length=255)
    title = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = HttpURLField("web address", max_length=500, blank=True)
    pack_key = models.CharField(
        max_length=60,
        blank=True,
        editable=False,
        help_text="Set for sources loaded from the NPSA comms pack (the loader's natural key).",
    )
    pack_hash = models.CharField(max_length=64, blank=True, editable=False)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="stats_source")

    objects = SourceQuerySet.as_manager()

    panels = [FieldPanel("publisher"), FieldPanel("title"), FieldPanel("year"), FieldPanel("url")]
    search_fields = [
        index.SearchField("title"),
        index.SearchField("publisher"),
        index.AutocompleteField("title"),
    ]

    class Meta:
        ordering = ["publisher", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["pack_key"],
                condition=~models.Q(pack_key=""),
                name="stats_source_unique_pack_key",
            )
        ]

    def __str__(self) -> str:
        year = f" ({self.year})" if self.year else ""
        return f"{self.publisher}: {self.title}{year}"

    @property
    def revisions(self):
        return self._revisions

    def pack_fields(self) -> dict:
        return {
            "publisher": self.publisher,
            "title": self.title,
            "year": self.year,
            "url": self.url,
        }


class StatisticTopic(TaggedItemBase):
    """A topic tag on a statistic (e.g. "international students")."""

    content_object = ParentalKey(
        "stats.Statistic", on_delete=models.CASCADE, related_name="tagged_items"
    )


ID_MAX = 2**63 - 1  # the largest value of a BigAutoField (DEFAULT_AUTO_FIELD)


class StatisticQuerySet(models.QuerySet):
    """Reader queries and the one rule for "this statistic is stale": past its review-by date
    (``review_by`` before today, Europe/London). ``Statistic.is_stale`` is the same rule for
    one row; the library, the admin, the dashboard and the newsletter all use these."""

    def stale(self, today: date | None = None) -> "StatisticQuerySet":
        return self.filter(review_by__lt=today or timezone.localdate())

    def current(self, today: date | None = None) -> "StatisticQuerySet":
        """Not stale: review-by today or later."""
        return self.filter(review_by__gte=today or timezone.localdate())

    def by_review_status(self, status: str, today: date | None = None) -> "StatisticQuerySet":
        """One review status, the same rule as ``Statistic.review_status``: "overdue" (stale),
        "due_soon" (today to today + REVIEW_DUE_SOON_DAYS) or "current" (later). Any other
        status leaves the queryset as it is."""
        today = today or timezone.localdate()
        soon = today + timedelta(days=REVIEW_DUE_SOON_DAYS)
        if status == "overdue":
            return self.stale(today)
        if status == "due_soon":
            return self.current(today).filter(review_by__lte=soon)
        if status == "current":
            return self.filter(review_by__gt=soon)
        return self

    def for_readers(self) -> "StatisticQuerySet":
        """With source and topics, in a fixed number of queries."""
        return self.select_related("source").prefetch_related(
            Prefetch("tagged_items", queryset=StatisticTopic.objects.select_related("tag"))
        )

    def for_library(
        self, *, topic: str = "", source_id: int | None = None, query: str = ""
    ) -> "StatisticQuerySet":
        """The reader library: optionally one topic (tag slug), one source, and a search.

        A ``source_id`` no row can have (negative, or past the largest 64-bit id, as typed into
        ``?source=``) gives no statistics: the database is not asked to compare with a number
        its column cannot hold (SQLite refuses such a number with an error)."""
        from wagtail.search.backends import get_search_backend

        statistics = self.for_readers()
        if topic:
            statistics = statistics.filter(tagged_items__tag__slug=topic)
        if source_id and not 0 < source_id <= ID_MAX:
            return statistics.none()
        if source_id:
            statistics = statistics.filter(source_id=source_id)
        if query.strip():
            # The search backend finds the ids; the queryset keeps its joins and prefetches.
            found = get_search_backend().search(query.strip(), Statistic, operator="and")
            statistics = statistics.filter(pk__in=[statistic.pk for statistic in found])
        return statistics.distinct()

    @staticmethod
    def topics():
        """Topics in use on statistics, with how many statistics carry each."""
        return (
            Tag.objects.filter(stats_statistictopic_items__isnull=False)
            .annotate(statistic_count=Count("stats_statistictopic_items"))
            .order_by("name")
        )


class Statistic(RevisionMixin, index.Indexed, ClusterableModel):
    """A figure staff may quote, with the source and caveat that must travel with it."""

    pack_number = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="The statistic's number in the NPSA comms pack (the loader's natural key).",
    )
    # The caps keep a share card legible and quick to draw (stats/cards.py); the pack's longest
    # figure is 18 characters, its longest claim 176.
    figure = models.CharField(
        max_length=FIGURE_MAX_LENGTH,
        help_text='The figure as shown in large type, e.g. "61.5%" or "2nd" '
        f"(at most {FIGURE_MAX_LENGTH} characters).",
    )
    claim = models.TextField(
        max_length=CLAIM_MAX_LENGTH,
        help_text=f"The statement, as it should be quoted (at most {CLAIM_MAX_LENGTH} characters).",
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="statistics")
    footnote = models.TextField(
        "footnote or caveat",
        blank=True,
        help_text="A caveat readers must see with the figure, e.g. limits of the method.",
    )
    as_of = models.DateField("as of", help_text="The date the figure describes or was published.")
    review_by = models.DateField(
        "review by", help_text="After this date the statistic is flagged as due for review."
    )
    topics = ClusterTaggableManager(through="stats.StatisticTopic", blank=True)
    attribution = models.CharField(
        max_length=255,
        blank=True,
        help_text="Licence attribution shown with the statistic (pack content needs it).",
    )
    licence_url = HttpURLField("licence link", max_length=500, blank=True)
    pack_hash = models.CharField(max_length=64, blank=True, editable=False)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="stats_statistic")

    objects = StatisticQuerySet.as_manager()

    panels = [
        FieldPanel("figure"),
        FieldPanel("claim"),
        FieldPanel("source"),
        FieldPanel("footnote"),
        MultiFieldPanel([FieldPanel("as_of"), FieldPanel("review_by")], heading="Currency"),
        FieldPanel("topics"),
        MultiFieldPanel([FieldPanel("attribution"), FieldPanel("licence_url")], heading="Licence"),
    ]
    search_fields = [
        index.SearchField("figure"),
        index.SearchField("claim"),
        index.SearchField("footnote"),
        index.AutocompleteField("claim"),
        index.RelatedFields("source", [index.SearchField("title"), index.SearchField("publisher")]),
        index.FilterField("source"),
        index.FilterField("review_by"),
    ]

    class Meta:
        ordering = ["pack_number", "pk"]
        constraints = [
            # TextField's max_length is checked by forms only; the database holds the cap too.
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("claim"), CLAIM_MAX_LENGTH),
                name="stats_statistic_claim_max_length",
                violation_error_message=f"A claim has at most {CLAIM_MAX_LENGTH} characters.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.figure}: {self.claim[:80]}"

    def clean(self) -> None:
        super().clean()
        if self.as_of and self.review_by and self.review_by < self.as_of:
            raise ValidationError(
                {"review_by": "The review-by date must be on or after the “as of” date."}
            )

    def is_stale(self, today: date | None = None) -> bool:
        """Past its review-by date (``StatisticQuerySet.stale`` for one row): readers see it
        flagged, newsletters refuse to send it."""
        return self.review_by < (today or timezone.localdate())

    def review_status(self, today: date | None = None) -> str:
        """The review status: overdue (stale), due_soon (within REVIEW_DUE_SOON_DAYS) or
        current."""
        today = today or timezone.localdate()
        if self.is_stale(today):
            return "overdue"
        if (self.review_by - today).days <= REVIEW_DUE_SOON_DAYS:
            return "due_soon"
        return "current"

    @property
    def uses_pack_licence(self) -> bool:
        return self.attribution == PACK_ATTRIBUTION and self.licence_url == OGL_URL

    def copy_text(self) -> str:
        """Figure, claim and source as one paragraph ready for an email or a slide."""
        claim = self.claim if self.figure in self.claim else f"{self.figure}: {self.claim}"
        parts = [claim, f"Source: {self.source.publisher}, {self.source.title}"]
        if self.source.year:
            parts[-1] += f" ({self.source.year})"
        if self.source.url:
            parts[-1] += f", {self.source.url}"
        parts[-1] += "."
        if self.footnote:
            parts.append(self.footnote)
        if self.attribution:
            parts.append(self.attribution + (f" ({self.licence_url})" if self.licence_url else ""))
        return " ".join(parts)

    @property
    def revisions(self):
        return self._revisions

    def pack_fields(self) -> dict:
        return {
            "figure": self.figure,
            "claim": self.claim,
            "footnote": self.footnote,
            "source": self.source_id,
            "as_of": self.as_of,
            "attribution": self.attribution,
            "licence_url": self.licence_url,
        }
