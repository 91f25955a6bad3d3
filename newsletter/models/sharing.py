"""A public web address for one newsletter issue, for recipients without an intranet account."""

from django.conf import settings
from django.db import models


class PublicLink(models.Model):
    """While this row exists, ``/newsletters/public/<token>/`` shows the issue's live version to
    anyone. Deleting it ("Stop sharing") kills the address; sharing again makes a new token.
    A row of its own, not a page field, so that publishing a revision never changes it."""

    issue = models.OneToOneField(
        "newsletter.NewsletterIssuePage", on_delete=models.CASCADE, related_name="public_link"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "public link"

    def __str__(self) -> str:
        return f"Public link to issue {self.issue_id}"

    @property
    def path(self) -> str:
        from django.urls import reverse

        return reverse("newsletter_public_issue", args=[self.token])
