from django.conf import settings
from django.db import models
from django.db.models import Q

from storeapi.ids import encode_id


class ApiKey(models.Model):
    """A publishable key (`pk_` + 24 base58) that storefront clients send in `X-Spree-Api-Key`.

    Publishable keys are public by design (they ship in browser code), so the value is kept as is.
    """

    PUBLISHABLE = "publishable"
    KEY_TYPES = [(PUBLISHABLE, "Publishable")]

    name = models.CharField(max_length=100)
    key_type = models.CharField(max_length=20, choices=KEY_TYPES, default=PUBLISHABLE)
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "API key"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.token[:10]}…)"

    @property
    def public_id(self) -> str:
        return encode_id("key", self.pk)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyRecord(models.Model):
    """One use of an `Idempotency-Key`, scoped to a publishable key and customer, kept 24 hours."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"

    scope_digest = models.CharField(max_length=64)
    key_digest = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)
    state = models.CharField(
        max_length=20, choices=[(IN_PROGRESS, IN_PROGRESS), (COMPLETED, COMPLETED)]
    )
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope_digest", "key_digest"], name="idempotency_one_use_per_key"
            ),
            models.CheckConstraint(
                condition=Q(state="in_progress") | Q(status_code__isnull=False),
                name="idempotency_completed_has_status",
            ),
        ]

    def __str__(self) -> str:
        return f"idempotency key {self.key_digest[:12]} ({self.state})"
