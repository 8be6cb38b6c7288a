"""The base model every SafeShare table builds on."""

from __future__ import annotations

import uuid

from django.db import models

from safeshare.core import clock


class BaseModel(models.Model):
    """UUID primary key (never guessable, safe to show) and aware timestamps from the clock."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        abstract = True

    def touch(self) -> None:
        """Mark the row as changed now; services call this before save()."""
        self.updated_at = clock.now()
