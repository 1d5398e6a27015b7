"""The same payment or setup session completed twice at once (a double click, a retried
request): the gateway is asked once and one payment or one saved card results."""

from __future__ import annotations

import pytest
from django.db import connection

from payments.gateways.bogus import BogusGateway
from payments.models import CreditCard, Payment, PaymentSession, PaymentSetupSession
from payments.services.sessions import payment_session_complete, setup_session_complete
from tests.concurrency import race as _race
from tests.payments.helpers import ready_cart

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs real row locks (PostgreSQL)"
    ),
]


@pytest.fixture
def gateway_calls(monkeypatch) -> list[str]:
    calls: list[str] = []
    for name in ("complete_payment_session", "complete_setup_session"):
        original = getattr(BogusGateway, name)

        def wrapper(self, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(self, **kwargs)

        monkeypatch.setattr(BogusGateway, name, wrapper)
    return calls


@pytest.mark.parametrize("racers", [2, 4])
def test_a_payment_session_completed_at_once_charges_once(
    customer_api, bogus, shop, gateway_calls, racers
):
    cart = ready_cart(customer_api, shop["variant"])
    created = customer_api.post(
        f"/carts/{cart['id']}/payment_sessions", {"payment_method_id": bogus.public_id}
    ).json()
    session = PaymentSession.objects.get(external_id=created["external_id"])

    results = _race(
        [
            lambda: payment_session_complete(
                session=PaymentSession.objects.get(pk=session.pk),
                external_data={"token": "tok_visa"},
            )
            for _ in range(racers)
        ]
    )

    assert all(isinstance(r, PaymentSession) for r in results), results
    assert {r.status for r in results} <= {"processing", "completed"}
    assert gateway_calls == ["complete_payment_session"]
    assert Payment.objects.count() == 1
    session.refresh_from_db()
    assert (session.status, session.payment_id) == ("completed", Payment.objects.get().pk)


def test_a_setup_session_completed_at_once_saves_one_card(
    customer_api, customer, bogus, gateway_calls
):
    created = customer_api.post(
        "/customers/me/payment_setup_sessions", {"payment_method_id": bogus.public_id}
    ).json()
    session = PaymentSetupSession.objects.get(external_id=created["external_id"])

    results = _race(
        [
            lambda: setup_session_complete(
                session=PaymentSetupSession.objects.get(pk=session.pk),
                external_data={"token": "tok_visa"},
            )
            for _ in range(3)
        ]
    )

    assert all(isinstance(r, PaymentSetupSession) for r in results), results
    assert gateway_calls == ["complete_setup_session"]
    assert CreditCard.objects.filter(user=customer).count() == 1
    assert CreditCard.objects.get(user=customer).is_default is True
