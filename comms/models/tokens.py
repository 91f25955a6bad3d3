from django.conf import settings
from django.db import models


class FeedToken(models.Model):
    """A user's secret for their personal feed addresses (the blog's Atom feed and the campaign
    calendar): feed readers and calendar clients cannot sign in, so the address carries it.
    It opens those feeds and nothing else. Deleting the row revokes the addresses."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "feed token"

    def __str__(self) -> str:
        return f"Feed token of {self.user}"
