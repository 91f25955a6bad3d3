"""Who a portal user is at the institution's identity provider."""

from django.conf import settings
from django.db import models


class ExternalIdentity(models.Model):
    """A portal user's identity at an OpenID Connect provider: the issuer and the stable
    subject identifier it gives the person (``sub``; at Entra ID the object id's pairwise
    value). Never the email address, which changes and can be reused. The directory sync links
    subscribers to the same people by it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    directory_id = models.CharField(
        max_length=255,
        blank=True,
        db_index=True,
        help_text="The person's id in the directory (OIDC_DIRECTORY_ID_CLAIM, Entra ID's object "
        "id): what SCIM provisioning sends as externalId, so the signed-in user and the "
        "directory person (and their subscriber) are known to be the same.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "identity at the identity provider"
        verbose_name_plural = "identities at the identity provider"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="comms_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"
