"""Mailing lists, the people on them, and who is on which list since when."""

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


def normalise_email(address: str) -> str:
    """The one form an address is stored and compared in: trimmed and lower case."""
    return (address or "").strip().lower()


class MailingList(models.Model):
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    from_name = models.CharField(
        max_length=100,
        default="Trusted Research",
        help_text="The sender name recipients see, e.g. 'Research Office – Trusted Research'.",
    )
    reply_to = models.EmailField(
        blank=True, help_text="Where replies go. Leave empty to use the portal's sender address."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    directory_groups = models.ManyToManyField(
        "directory.DirectoryGroup",
        blank=True,
        related_name="mailing_lists",
        verbose_name="follows directory groups",
        help_text="Members of these directory groups are added to the list, and taken off it "
        "when they leave the group or are deactivated. People added by hand or by import stay.",
    )
    directory_synced_at = models.DateTimeField(
        "last synced with the directory", null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "mailing list"

    def __str__(self) -> str:
        return self.name

    @property
    def members_from(self) -> str:
        """Where the list's members come from, for comms leads (the lists' listing): the
        directory groups it follows and when it last synced, or "Added by hand or imported".
        Reads ``from_directory`` and the prefetched groups of
        ``newsletter.selectors.mailing_lists_with_counts`` where they are there."""
        groups = [group.display_name for group in self.directory_groups.all()]
        if not groups:
            return "Added by hand or imported"
        synced = (
            timezone.localtime(self.directory_synced_at).strftime("%-d %b %Y %H:%M")
            if self.directory_synced_at
            else "not yet"
        )
        from_directory = getattr(self, "from_directory", None)
        count = f"{from_directory} " if from_directory is not None else ""
        return (
            f"{count}from directory group{'s' if len(groups) > 1 else ''} "
            f"{', '.join(groups)} (last synced {synced}); the others added by hand or imported"
        )


class Subscriber(models.Model):
    class Status(models.TextChoices):
        SUBSCRIBED = "subscribed", "Subscribed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Bounced"

    email = models.EmailField(
        max_length=254, unique=True, help_text="Stored in lower case; one subscriber per address."
    )
    name = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.SUBSCRIBED, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    lists = models.ManyToManyField(MailingList, through="Membership", related_name="subscribers")
    # Bounces (newsletter.services.bounces): a hard bounce sets ``bounced_at`` and the status
    # "bounced"; soft bounces add to ``bounce_score`` (at most once a day), which decays.
    bounced_at = models.DateTimeField(null=True, blank=True, editable=False)
    bounce_reason = models.CharField(max_length=500, blank=True, editable=False)
    bounce_score = models.FloatField(default=0, editable=False)
    bounce_last_on = models.DateField(null=True, blank=True, editable=False)
    directory_person = models.OneToOneField(
        "directory.DirectoryPerson",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subscriber",
        editable=False,
        help_text="The person in the directory this subscriber is: their address follows it.",
    )

    class Meta:
        ordering = ["email"]
        constraints = [
            # Unique + always lower case = unique regardless of case.
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="subscriber_email_lower_case"
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def clean(self):
        # Before the form's uniqueness check, so "Ada@X" finds the existing "ada@x".
        self.email = normalise_email(self.email)


class Membership(models.Model):
    """A subscriber on one list. Unsubscribing from the list sets ``unsubscribed_at``, and
    stays: whatever the directory sync does, an unsubscribed person is never put back.
    ``source`` says how they came onto the list: a directory sync takes off only the members
    it added."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Added by hand or imported"
        DIRECTORY = "directory", "From the directory"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="memberships")
    mailing_list = models.ForeignKey(
        MailingList, on_delete=models.CASCADE, related_name="memberships"
    )
    subscribed_at = models.DateTimeField(auto_now_add=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mailing_list", "subscriber"], name="membership_unique_per_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscriber_id} on {self.mailing_list_id}"

    @property
    def is_active(self) -> bool:
        return self.unsubscribed_at is None


class DirectoryOptOut(models.Model):
    """A directory person whose subscriber was erased (UK GDPR): lists that follow directory
    groups never subscribe them again, whatever the directory says. Holds nothing but the link
    to the directory's row (the institution's record of the person, not newsletter data)."""

    person = models.OneToOneField(
        "directory.DirectoryPerson", on_delete=models.CASCADE, related_name="newsletter_opt_out"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "directory person erased from the newsletter"

    def __str__(self) -> str:
        return f"Directory person {self.person_id}: not to be subscribed"
