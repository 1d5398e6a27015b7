"""`manage.py send_outbox`: --once sends what is due and says so; the worker loop keeps
sending until it is told to stop, and gives the process its signal handlers back."""

import signal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from outbox.management.commands import send_outbox
from outbox.models import OutboxEmail
from outbox.services import email_enqueue
from tests.outbox.conftest import NOTE


@pytest.fixture
def queued(notes, settings):
    settings.EMAIL_OUTBOX_WORKER = True
    for pk in (1, 2, 3):
        email_enqueue(kind=NOTE, object_id=pk, recipient=f"n{pk}@example.com")


def test_once_sends_what_is_due_and_reports_it(db, queued, notes):
    notes.missing.add(2)
    out = StringIO()

    call_command("send_outbox", "--once", "--batch-size", "2", stdout=out)

    assert out.getvalue() == "2 sent, 1 failed\n"
    assert sorted(m.subject for m in mail.outbox) == ["Note 1", "Note 3"]
    assert OutboxEmail.objects.filter(status=OutboxEmail.PENDING).count() == 0


def test_a_batch_size_below_one_is_refused(db):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("send_outbox", "--once", "--batch-size", "0")


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_until_stopped_and_restores_the_signal_handlers(queued, monkeypatch):
    command = send_outbox.Command()
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    polls = []

    def idle(seconds):  # the first idle poll: everything was sent; stop as SIGTERM would
        polls.append(seconds)
        assert signal.getsignal(signal.SIGTERM) == command._stop
        command._stop(signal.SIGTERM, None)

    monkeypatch.setattr(send_outbox.time, "sleep", idle)

    call_command(command, batch_size=2, interval=0.5)

    assert polls == [0.5]
    assert sorted(m.subject for m in mail.outbox) == ["Note 1", "Note 2", "Note 3"]
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {OutboxEmail.SENT}
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
