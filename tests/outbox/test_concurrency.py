"""Two workers draining one outbox at once (threads, PostgreSQL row locks): every email is
sent exactly once, each worker taking the rows the other has not claimed (SKIP LOCKED)."""

import time

import pytest
from django.core import mail

from outbox import services
from outbox.models import OutboxEmail
from outbox.services import SendResult, email_enqueue, outbox_drain
from tests.concurrency import POSTGRES_ONLY, race
from tests.outbox.conftest import NOTE

pytestmark = POSTGRES_ONLY

EMAILS = 24


@pytest.mark.parametrize("round_number", range(3))
def test_two_drainers_send_every_email_exactly_once(notes, settings, monkeypatch, round_number):
    settings.EMAIL_OUTBOX_WORKER = True
    build = services._BUILDERS[NOTE]

    def slow_build(object_ids):
        time.sleep(0.01)  # long enough that both drainers hold a batch at the same time
        return build(object_ids)

    monkeypatch.setitem(services._BUILDERS, NOTE, slow_build)
    for pk in range(1, EMAILS + 1):
        email_enqueue(kind=NOTE, object_id=pk, recipient=f"n{pk}@example.com")
    mail.outbox = []

    results = race([lambda: outbox_drain(batch_size=3), lambda: outbox_drain(batch_size=3)])

    assert all(isinstance(r, SendResult) for r in results), results
    assert sum(r.sent for r in results) == EMAILS
    assert all(r.sent > 0 and r.failed == 0 for r in results), results
    assert sorted(m.subject for m in mail.outbox) == sorted(f"Note {pk}" for pk in range(1, 25))
    rows = OutboxEmail.objects.all()
    assert {(r.status, r.attempts) for r in rows} == {(OutboxEmail.SENT, 1)}
    OutboxEmail.objects.all().delete()
