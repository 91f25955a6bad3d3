from django.conf import settings
from django.db import models


class FeedToken(models.Model):
    """A reader's private feed address: feed readers cannot sign in, so the token does."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blog_feed_token"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "feed token"

    def __str__(self) -> str:
        return f"Feed token of {self.user}"
