"""Emails waiting to be sent: a row written in the transaction of the change it reports, sent
after commit by a worker (`manage.py send_outbox`) or, without one, by the process itself."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxEmail(models.Model):
    PENDING, SENT, FAILED = "pending", "sent", "failed"
    STATUSES = [(PENDING, "Pending"), (SENT, "Sent"), (FAILED, "Failed")]

    # What to send (a kind registered by the app that owns it) and about which row: the
    # message is built when it is sent, from the row as committed (outbox.services).
    kind = models.CharField(max_length=50)
    object_id = models.BigIntegerField()
    recipient = models.EmailField(max_length=254)
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = "outbox email"
        indexes = [
            # The worker's claim: due pending rows in id order; sent ones leave the index.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(status="pending"),
                name="outbox_pending_due",
            ),
            models.Index(fields=["kind", "object_id"], name="outbox_kind_object"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sent", "failed"]), name="outbox_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False)
                | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="outbox_sent_at_iff_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id} to {self.recipient} ({self.status})"
