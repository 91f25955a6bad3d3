"""The worker's heartbeat: one row, shared by web and worker processes through the database."""

from django.db import models


class Heartbeat(models.Model):
    """When a worker last processed the heartbeat beat queued (``comms.tasks.heartbeat``).

    One row (pk 1). Its age says whether beat and at least one worker are alive: /healthz
    answers 503 when it is older than HEALTH_HEARTBEAT_MAX_AGE.
    """

    SINGLETON = 1

    processed_at = models.DateTimeField()

    class Meta:
        verbose_name = "worker heartbeat"

    def __str__(self) -> str:
        return f"Heartbeat processed at {self.processed_at.isoformat()}"
