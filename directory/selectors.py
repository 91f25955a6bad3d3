"""Reads of the directory."""

from django.db.models import QuerySet

from directory.models import DirectoryPerson


def people_for_user(user) -> QuerySet[DirectoryPerson]:
    """The directory people who are this portal user: those whose ``external_id`` is the
    directory id the identity provider gave at sign-in (``comms.models.ExternalIdentity``)."""
    ids = user.external_identities.exclude(directory_id="").values_list("directory_id")
    return DirectoryPerson.objects.filter(external_id__in=ids)
