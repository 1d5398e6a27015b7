"""Staff screen of the outbox: unsent and failed emails with their last error, filtered by
status, and a failed one sent again through the service; nothing is added or edited by hand."""

import pytest
from django.test import Client

from accounts.models import User
from outbox.models import OutboxEmail

URL = "/admin/outbox/outboxemail/"


@pytest.fixture
def staff(db):
    client = Client()
    client.force_login(User.objects.create_superuser("staff@example.com", "staff password 1"))
    return client


@pytest.fixture
def emails(db):
    def row(object_id, status, **fields):
        return OutboxEmail.objects.create(
            kind="order_confirmation",
            object_id=object_id,
            recipient=f"n{object_id}@example.com",
            status=status,
            **fields,
        )

    from django.utils import timezone

    return {
        "pending": row(1, OutboxEmail.PENDING),
        "sent": row(2, OutboxEmail.SENT, sent_at=timezone.now(), attempts=1),
        "failed": row(3, OutboxEmail.FAILED, attempts=5, last_error="SMTPRecipientsRefused: x"),
    }


def _ids(response) -> list[int]:
    assert response.status_code == 200
    return sorted(e.object_id for e in response.context["cl"].result_list)


def test_the_list_shows_every_email_and_filters_by_status(staff, emails):
    assert _ids(staff.get(URL)) == [1, 2, 3]
    assert _ids(staff.get(URL, {"status__exact": "failed"})) == [3]
    assert _ids(staff.get(URL, {"status__exact": "pending"})) == [1]
    assert "SMTPRecipientsRefused: x" in staff.get(URL).content.decode()


def test_a_failed_email_is_queued_again_by_the_action(staff, emails):
    selected = [emails["failed"].pk, emails["sent"].pk]

    response = staff.post(URL, {"action": "send_again", "_selected_action": selected})

    assert response.status_code == 302
    failed = OutboxEmail.objects.get(pk=emails["failed"].pk)
    assert (failed.status, failed.attempts) == (OutboxEmail.PENDING, 0)
    sent = OutboxEmail.objects.get(pk=emails["sent"].pk)
    assert (sent.status, sent.attempts) == (OutboxEmail.SENT, 1)


def test_emails_are_not_added_edited_or_deleted_by_hand(staff, emails):
    before = list(OutboxEmail.objects.order_by("pk").values())

    assert staff.get(f"{URL}add/").status_code == 403
    assert staff.post(f"{URL}{emails['failed'].pk}/change/", {"status": "sent"}).status_code == 403
    assert staff.post(f"{URL}{emails['failed'].pk}/delete/", {"post": "yes"}).status_code == 403
    assert list(OutboxEmail.objects.order_by("pk").values()) == before


def test_emails_are_searched_by_recipient_and_object_id(staff, emails):
    OutboxEmail.objects.create(kind="order_confirmation", object_id=40, recipient="x@example.com")

    assert _ids(staff.get(URL, {"q": "n3@example"})) == [3]
    assert _ids(staff.get(URL, {"q": "40"})) == [40]
