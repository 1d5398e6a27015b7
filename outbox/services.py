"""Writes of the outbox: queue an email in the caller's transaction, send what is due (each row
once, however many workers drain it), give failed ones another chance.

An app that mails registers a kind with a builder (`email_kind_register`, from its AppConfig):
the row names the kind and the object it is about, and the message is built when it is sent,
from the data as committed. So the request that queues it pays one INSERT, and rendering and
delivery (an SMTP round trip in production) happen in the worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outbox.models import OutboxEmail
from storeapi import sql

logger = logging.getLogger("outbox")

#: kind -> builder(object ids) -> {object id: message}; an id it leaves out no longer exists.
Builder = Callable[[list[int]], dict[int, EmailMessage]]
_BUILDERS: dict[str, Builder] = {}

BATCH_SIZE = 20
MAX_ATTEMPTS = 5
RETRY_DELAY = timedelta(seconds=30)  # doubled after each failure, up to RETRY_DELAY_MAX
RETRY_DELAY_MAX = timedelta(hours=1)
_ERROR_LENGTH = 2000


def email_kind_register(kind: str, builder: Builder) -> None:
    """Let `kind` be queued: `builder(object_ids)` answers the message for each object that
    still exists (one that is gone fails the row for good)."""
    _BUILDERS[kind] = builder


def email_enqueue(*, kind: str, object_id: int, recipient: str) -> OutboxEmail:
    """Queue one email in the caller's transaction (one INSERT), so it exists exactly when the
    change it reports commits. It leaves through the worker when EMAIL_OUTBOX_WORKER is on,
    else right after commit in this process (development, tests). An unregistered kind
    raises ValueError."""
    if kind not in _BUILDERS:
        raise ValueError(f"unknown email kind {kind!r}")
    email = OutboxEmail(kind=kind, object_id=object_id, recipient=recipient)
    sql.insert(email)
    if not settings.EMAIL_OUTBOX_WORKER:
        # robust: the change has committed; a failure here is logged, never the answer.
        transaction.on_commit(lambda: outbox_send(ids=[email.pk]), robust=True)
    return email


@dataclass(frozen=True)
class SendResult:
    sent: int = 0
    failed: int = 0  # this attempt failed (the row is retried later, or failed for good)

    @property
    def claimed(self) -> int:
        return self.sent + self.failed


def _retry_delay(attempts: int) -> timedelta:
    return min(RETRY_DELAY * 2 ** (attempts - 1), RETRY_DELAY_MAX)


def _build(rows: list[OutboxEmail]) -> dict[int, EmailMessage | str]:
    """Each row's message, or why it has none (a str): built per kind, in one call each."""
    by_kind: dict[str, list[OutboxEmail]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    built: dict[int, EmailMessage | str] = {}
    for kind, group in by_kind.items():
        builder = _BUILDERS.get(kind)
        if builder is None:
            built.update({row.pk: f"unknown email kind {kind!r}" for row in group})
            continue
        messages = builder(sorted({row.object_id for row in group}))
        for row in group:
            message = messages.get(row.object_id)
            if message is None:
                built[row.pk] = f"{kind} {row.object_id} no longer exists"
            else:
                message.to = [row.recipient]
                built[row.pk] = message
    return built


def _deliver(
    rows: list[OutboxEmail], built: dict[int, EmailMessage | str]
) -> tuple[list[int], dict[int, tuple[str, bool]]]:
    """Send each built message over one connection. Returns the rows sent and, for the
    others, (error, whether retrying can help)."""
    sent: list[int] = []
    errors: dict[int, tuple[str, bool]] = {
        pk: (reason, False) for pk, reason in built.items() if isinstance(reason, str)
    }
    pending = [row for row in rows if row.pk not in errors]
    if not pending:
        return sent, errors
    connection = mailers.default
    try:
        connection.open()
    except Exception as exc:  # any backend failure is recorded on the row, never lost
        errors.update({row.pk: (_describe(exc), True) for row in pending})
        return sent, errors
    try:
        for row in pending:
            try:
                delivered = connection.send_messages([built[row.pk]])
            except Exception as exc:  # as above: recorded, retried
                errors[row.pk] = (_describe(exc), True)
            else:
                if delivered:
                    sent.append(row.pk)
                else:
                    errors[row.pk] = ("the mail backend sent nothing", True)
    finally:
        connection.close()
    return sent, errors


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:_ERROR_LENGTH]


def outbox_send(*, batch_size: int = BATCH_SIZE, ids: Sequence[int] | None = None) -> SendResult:
    """Send up to `batch_size` due emails (only those of `ids`, when given), each once however
    many drainers run: the batch is claimed with FOR UPDATE SKIP LOCKED (a drainer skips
    the rows another holds) and marked sent in the transaction that sent it. A failure is
    recorded (attempts, last_error) and retried after a growing delay, up to MAX_ATTEMPTS;
    then, or at once when retrying cannot help (unknown kind, object gone), the row is
    `failed` for staff to see (admin)."""
    now = timezone.now()
    with transaction.atomic():
        due = OutboxEmail.objects.select_for_update(skip_locked=True).filter(
            status=OutboxEmail.PENDING, next_attempt_at__lte=now
        )
        if ids is not None:
            due = due.filter(pk__in=list(ids))
        rows = list(due.order_by("next_attempt_at", "id")[:batch_size])
        if not rows:
            return SendResult()
        try:
            built = _build(rows)
        except Exception as exc:  # a builder's failure (its database read) fails the batch
            error = (_describe(exc), True)
            sent, errors = [], {row.pk: error for row in rows}
        else:
            sent, errors = _deliver(rows, built)
        done = timezone.now()
        if sent:
            OutboxEmail.objects.filter(pk__in=sent).update(
                status=OutboxEmail.SENT, sent_at=done, attempts=F("attempts") + 1
            )
        for row in rows:
            if row.pk in errors:
                _record_failure(row, *errors[row.pk], now=done)
    return SendResult(sent=len(sent), failed=len(errors))


def _record_failure(row: OutboxEmail, error: str, retryable: bool, *, now) -> None:
    attempts = row.attempts + 1
    gives_up = not retryable or attempts >= MAX_ATTEMPTS
    OutboxEmail.objects.filter(pk=row.pk).update(
        attempts=attempts,
        last_error=error,
        status=OutboxEmail.FAILED if gives_up else OutboxEmail.PENDING,
        next_attempt_at=now if gives_up else now + _retry_delay(attempts),
    )
    log = logger.error if gives_up else logger.warning
    log(
        "outbox email %s (%s #%s) attempt %s failed%s: %s",
        row.pk,
        row.kind,
        row.object_id,
        attempts,
        "; giving up" if gives_up else "",
        error,
    )


def outbox_drain(*, batch_size: int = BATCH_SIZE) -> SendResult:
    """Send everything due now, batch after batch (rows that fail wait for their retry)."""
    sent = failed = 0
    while True:
        result = outbox_send(batch_size=batch_size)
        sent, failed = sent + result.sent, failed + result.failed
        if result.claimed < batch_size:
            return SendResult(sent=sent, failed=failed)


def outbox_retry(*, ids: Iterable[int]) -> int:
    """Give failed emails a fresh round of attempts, due now (the admin's action). Pending and
    sent ones are left alone. Returns how many were requeued."""
    return OutboxEmail.objects.filter(pk__in=list(ids), status=OutboxEmail.FAILED).update(
        status=OutboxEmail.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
