"""The institution's directory as the portal holds it: people and groups, provisioned by the
identity provider over SCIM 2.0 (``directory.scim``) or pulled from LDAP / Active Directory
(``directory.services.ldap``). Mailing lists follow groups (``newsletter``: a list's
``directory_groups``); subscribers are linked to people by ``Subscriber.directory_person``.

One row per person and source: ``external_id`` is the source's stable identifier (Entra ID's
object id sent as SCIM ``externalId``; LDAP's ``entryUUID`` or Active Directory's
``objectGUID``), ``user_name`` the sign-in name (SCIM ``userName``, unique per source).
"""

import uuid

from django.db import models
from django.db.models.functions import Lower


class Source(models.TextChoices):
    SCIM = "scim", "SCIM provisioning"
    LDAP = "ldap", "LDAP sync"


class DirectoryPerson(models.Model):
    scim_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(max_length=10, choices=Source.choices)
    external_id = models.CharField(max_length=255, blank=True)
    user_name = models.CharField(max_length=255)
    email = models.EmailField(max_length=254, blank=True)
    given_name = models.CharField(max_length=150, blank=True)
    family_name = models.CharField(max_length=150, blank=True)
    display_name = models.CharField(max_length=255, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "directory person"
        verbose_name_plural = "directory people"
        constraints = [
            models.UniqueConstraint(
                "source", Lower("user_name"), name="directory_person_user_name_unique"
            ),
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="directory_person_external_id_unique",
            ),
        ]
        indexes = [models.Index(fields=["source", "external_id"], name="directory_person_ext")]

    def __str__(self) -> str:
        return self.display_name or self.user_name


class DirectoryGroup(models.Model):
    scim_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(max_length=10, choices=Source.choices)
    external_id = models.CharField(max_length=255, blank=True)
    display_name = models.CharField(max_length=255)
    members = models.ManyToManyField(DirectoryPerson, related_name="groups", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "directory group"
        ordering = ["display_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="directory_group_external_id_unique",
            ),
        ]
        # SCIM's GET /Groups?filter=displayName eq "x" (case-insensitive, RFC 7643 §4.2).
        indexes = [
            models.Index("source", Lower("display_name"), name="directory_group_name_lower"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_source_display()})"


class DirectorySyncRun(models.Model):
    """One sync of the directory from a source (LDAP): what it changed, or why it failed and
    changed nothing. The audit record comms leads see (the Wagtail log entry
    ``directory.sync`` points at it)."""

    class Status(models.TextChoices):
        OK = "ok", "Succeeded"
        FAILED = "failed", "Failed: nothing changed"

    source = models.CharField(max_length=10, choices=Source.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    people_added = models.PositiveIntegerField(default=0)
    people_updated = models.PositiveIntegerField(default=0)
    people_deactivated = models.PositiveIntegerField(default=0)
    people_unchanged = models.PositiveIntegerField(default=0)
    groups_added = models.PositiveIntegerField(default=0)
    groups_updated = models.PositiveIntegerField(default=0)
    groups_emptied = models.PositiveIntegerField(default=0)
    groups_unchanged = models.PositiveIntegerField(default=0)
    memberships_added = models.PositiveIntegerField(default=0)
    memberships_removed = models.PositiveIntegerField(default=0)
    # What went wrong (failed), or what was read but left out (e.g. members not among the
    # synced people).
    message = models.TextField(blank=True)

    class Meta:
        verbose_name = "directory sync"
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["source", "-started_at"], name="directory_syncrun_recent")]

    def __str__(self) -> str:
        when = self.started_at.strftime("%Y-%m-%d %H:%M")
        return f"{self.get_source_display()} {when}: {self.get_status_display()}"


class ScimToken(models.Model):
    """A bearer token the identity provider presents to ``/scim/v2/`` (one per provider).

    Only the SHA-256 of the secret is stored: the secret is shown once, when
    ``manage.py scim_token create NAME`` makes it (``directory.services.scim_tokens``).
    """

    name = models.CharField(max_length=100, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "SCIM token"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
