"""The office's own layer on the plan: scheduled activities and endorsers."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from comms.validators import HttpURLField

from .choices import ActivityStatus, Audience, Phase


class ActivityQuerySet(models.QuerySet):
    def for_calendar(self) -> "ActivityQuerySet":
        """In calendar order, with the linked page (the feed, the month and the timeline)."""
        return self.select_related("link_page").order_by("start_date", "end_date", "pk")

    def in_phase(self, phase: str) -> "ActivityQuerySet":
        return self.for_calendar().filter(phase=phase)

    def training_upcoming(self, *, count: int, today: date | None = None) -> list["Activity"]:
        """The next ``count`` training sessions (``training``) starting today or later and not
        marked done, soonest first: what a newsletter's learning zone lists."""
        if count <= 0:
            return []
        today = today or timezone.localdate()
        sessions = self.for_calendar().filter(training=True, start_date__gte=today)
        return list(sessions.exclude(status=ActivityStatus.DONE)[:count])

    def training_upcoming_cached(self, *, count: int) -> list["Activity"]:
        """``training_upcoming`` kept in the cache for the current content generation and day
        (an edited activity bumps the generation; tomorrow's list starts afresh), so an issue
        page or a send batch reads the calendar once, not per request."""
        from django.conf import settings
        from django.core.cache import cache

        from comms.readercache.caching import CONTENT, generation_current

        if count <= 0:
            return []
        today = timezone.localdate()
        key = f"portal:training-upcoming:{generation_current(CONTENT)}:{today.isoformat()}:{count}"
        sessions = cache.get(key)
        if sessions is None:
            sessions = self.training_upcoming(count=count, today=today)
            cache.set(key, sessions, getattr(settings, "READER_CACHE_TIMEOUT", 3600))
        return sessions


class Activity(index.Indexed, models.Model):
    """Something the campaign does, for one audience, in one phase, between two dates."""

    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    phase = models.CharField(max_length=20, choices=Phase.choices)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    channel = models.CharField(
        max_length=100, help_text="e.g. intranet article, departmental meeting, poster, e-learning."
    )
    owner = models.CharField(max_length=200, help_text="Who runs it: a name or a role.")
    start_date = models.DateField()
    end_date = models.DateField(help_text="The same as the start date for a one-day activity.")
    status = models.CharField(
        max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    # Its own field: the channel is free text ("e-learning", "lunchtime session"…) and a phase
    # holds more than training, so neither can tell the newsletter what to list.
    training = models.BooleanField(
        "training session",
        default=False,
        help_text="A training or awareness session staff can attend: newsletter issues list it "
        "in their learning zone until it starts.",
    )
    link_url = HttpURLField(
        "link",
        blank=True,
        help_text="A web address (http or https), or choose a page of the portal below.",
    )
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A post or newsletter issue of this portal.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("phase"), FieldPanel("audience"), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("channel"), FieldPanel("owner")]),
        FieldPanel("training"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        MultiFieldPanel([FieldPanel("link_url"), FieldPanel("link_page")], heading="Link"),
    ]
    search_fields = [index.SearchField("title"), index.SearchField("description")]

    class Meta:
        ordering = ["start_date", "end_date", "title"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = (
                f"The activity ends ({date_format(self.end_date)}) before it starts "
                f"({date_format(self.start_date)}): choose an end date on or after the start."
            )
        if self.link_url and self.link_page_id:
            errors["link_url"] = "Give a web address or choose a page, not both."
        if errors:
            raise ValidationError(errors)

    @property
    def link(self) -> str:
        if self.link_page_id:
            return self.link_page.url or ""
        return self.link_url


class EndorserQuerySet(models.QuerySet):
    def in_phase(self, phase: str | None = None) -> "EndorserQuerySet":
        """The endorsers of ``phase`` (all of them if not given)."""
        return self.filter(phase=phase) if phase else self.all()


class Endorser(models.Model):
    """Who is the voice of a phase of the campaign, for which audience."""

    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, help_text="e.g. Pro Vice-Chancellor for Research.")
    phase = models.CharField(max_length=20, choices=Phase.choices)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    sort_order = models.PositiveSmallIntegerField(default=100)

    objects = EndorserQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldRowPanel([FieldPanel("phase"), FieldPanel("audience")]),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}"
