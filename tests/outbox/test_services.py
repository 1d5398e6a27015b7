"""The outbox: an email is queued in the caller's transaction, sent once after commit (in the
process without a worker, by the worker with one), and a failure is recorded and retried with
a growing delay up to a cap, then left `failed` for staff."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from outbox.models import OutboxEmail
from outbox.services import (
    MAX_ATTEMPTS,
    SendResult,
    email_enqueue,
    outbox_drain,
    outbox_retry,
    outbox_send,
)
from tests.outbox.conftest import NOTE

START = timezone.datetime(2026, 11, 20, 12, 0, tzinfo=timezone.UTC)
UNREACHABLE = {"default": {"BACKEND": "tests.outbox.backends.UnreachableBackend"}}
REFUSING = {"default": {"BACKEND": "tests.outbox.backends.RefusingBackend"}}


@pytest.fixture
def worker_on(settings):
    settings.EMAIL_OUTBOX_WORKER = True


def _queue(object_id: int = 7, recipient: str = "ada@example.com") -> OutboxEmail:
    return email_enqueue(kind=NOTE, object_id=object_id, recipient=recipient)


def test_without_a_worker_the_email_is_sent_right_after_commit(
    db, notes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = _queue()
    assert mail.outbox == []  # nothing leaves before the transaction commits
    assert OutboxEmail.objects.get().status == OutboxEmail.PENDING

    for callback in callbacks:
        callback()

    [message] = mail.outbox
    assert (message.to, message.subject, message.body) == (
        ["ada@example.com"],
        "Note 7",
        "About 7.",
    )
    row = OutboxEmail.objects.get()
    assert row.pk == email.pk
    assert (row.kind, row.object_id, row.recipient) == (NOTE, 7, "ada@example.com")
    assert (row.status, row.attempts, row.last_error) == (OutboxEmail.SENT, 1, "")
    assert row.sent_at is not None and row.sent_at >= row.created_at


def test_with_a_worker_the_request_only_writes_the_row(
    db, notes, worker_on, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _queue()

    assert callbacks == []
    assert mail.outbox == []
    assert notes.built == []
    row = OutboxEmail.objects.get()
    assert (row.status, row.attempts, row.sent_at) == (OutboxEmail.PENDING, 0, None)

    assert outbox_send() == SendResult(sent=1, failed=0)
    assert [m.subject for m in mail.outbox] == ["Note 7"]
    assert OutboxEmail.objects.get().status == OutboxEmail.SENT


def test_a_rolled_back_transaction_leaves_no_email(db, notes):
    with pytest.raises(RuntimeError), transaction.atomic():
        _queue()
        raise RuntimeError("the change it reports failed")

    assert not OutboxEmail.objects.exists()
    assert outbox_send() == SendResult()
    assert mail.outbox == []


def test_an_unknown_kind_is_refused(db):
    with pytest.raises(ValueError, match="unknown email kind 'nope'"):
        email_enqueue(kind="nope", object_id=1, recipient="ada@example.com")

    assert not OutboxEmail.objects.exists()


def test_a_sent_email_is_never_sent_again(db, notes, worker_on):
    _queue()
    assert outbox_send() == SendResult(sent=1)

    assert outbox_send() == SendResult()
    assert outbox_drain() == SendResult()
    assert len(mail.outbox) == 1


def test_a_batch_is_built_in_one_call_per_kind_and_sent_in_id_order(db, notes, worker_on):
    for pk in (3, 1, 2):
        _queue(object_id=pk, recipient=f"n{pk}@example.com")

    assert outbox_send(batch_size=2) == SendResult(sent=2)
    assert notes.built == [[1, 3]]
    assert [m.to for m in mail.outbox] == [["n3@example.com"], ["n1@example.com"]]

    assert outbox_drain(batch_size=2) == SendResult(sent=1)
    assert [m.subject for m in mail.outbox] == ["Note 3", "Note 1", "Note 2"]


def test_a_failure_is_recorded_and_retried_later_with_a_growing_delay(
    db, notes, worker_on, settings
):
    settings.MAILERS = UNREACHABLE
    with time_machine.travel(START, tick=False):
        email = _queue()
        assert outbox_send() == SendResult(failed=1)

        row = OutboxEmail.objects.get(pk=email.pk)
        assert (row.status, row.attempts, row.sent_at) == (OutboxEmail.PENDING, 1, None)
        assert row.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
        assert row.next_attempt_at == START + timedelta(seconds=30)
        assert outbox_send() == SendResult()  # not due yet

    with time_machine.travel(START + timedelta(seconds=30), tick=False):
        assert outbox_send() == SendResult(failed=1)
        row = OutboxEmail.objects.get(pk=email.pk)
        assert row.attempts == 2
        assert row.next_attempt_at == START + timedelta(seconds=90)  # 30 s, then 60 s

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with time_machine.travel(START + timedelta(seconds=90), tick=False):
        assert outbox_send() == SendResult(sent=1)

    row = OutboxEmail.objects.get(pk=email.pk)
    assert (row.status, row.attempts) == (OutboxEmail.SENT, 3)
    assert row.sent_at == START + timedelta(seconds=90)
    assert row.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert [m.subject for m in mail.outbox] == ["Note 7"]


def test_after_the_last_attempt_the_email_is_failed_and_left_alone(db, notes, worker_on, settings):
    settings.MAILERS = REFUSING
    with time_machine.travel(START, tick=False):
        email = _queue()
    moment = START
    for _ in range(MAX_ATTEMPTS):
        with time_machine.travel(moment, tick=False):
            assert outbox_send() == SendResult(failed=1)
        moment += timedelta(hours=2)

    row = OutboxEmail.objects.get(pk=email.pk)
    assert (row.status, row.attempts, row.sent_at) == (OutboxEmail.FAILED, MAX_ATTEMPTS, None)
    assert row.last_error.startswith("SMTPRecipientsRefused: {'ada@example.com': (550")
    with time_machine.travel(moment + timedelta(days=1), tick=False):
        assert outbox_drain() == SendResult()
    assert mail.outbox == []


def test_an_email_about_an_object_that_is_gone_fails_at_once(db, notes, worker_on):
    notes.missing.add(7)
    email = _queue(object_id=7)
    _queue(object_id=8, recipient="grace@example.com")

    assert outbox_send() == SendResult(sent=1, failed=1)

    row = OutboxEmail.objects.get(pk=email.pk)
    assert (row.status, row.attempts) == (OutboxEmail.FAILED, 1)
    assert row.last_error == f"{NOTE} 7 no longer exists"
    assert [m.to for m in mail.outbox] == [["grace@example.com"]]


def test_a_builder_that_fails_leaves_its_batch_for_a_retry(db, notes, worker_on, monkeypatch):
    from outbox import services

    def broken(object_ids):
        raise ConnectionError("database went away")

    monkeypatch.setitem(services._BUILDERS, NOTE, broken)
    email = _queue()

    assert outbox_send() == SendResult(failed=1)

    row = OutboxEmail.objects.get(pk=email.pk)
    assert (row.status, row.attempts) == (OutboxEmail.PENDING, 1)
    assert row.last_error == "ConnectionError: database went away"
    assert mail.outbox == []


def test_retrying_gives_a_failed_email_a_fresh_round(db, notes, worker_on, settings):
    settings.MAILERS = REFUSING
    failed = _queue(object_id=1)
    OutboxEmail.objects.filter(pk=failed.pk).update(status=OutboxEmail.FAILED, attempts=5)
    pending = _queue(object_id=2)

    assert outbox_retry(ids=[failed.pk, pending.pk]) == 1

    row = OutboxEmail.objects.get(pk=failed.pk)
    assert (row.status, row.attempts) == (OutboxEmail.PENDING, 0)
    assert row.next_attempt_at <= timezone.now()
    assert OutboxEmail.objects.get(pk=pending.pk).attempts == 0
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert outbox_drain() == SendResult(sent=2)
