"""The payment methods a cart offers come from the process's copy of the shop's settings
(storeapi/settings_cache.py): a staff change shows at once in the process that made it, and in
another process within SHOP_SETTINGS_CACHE_SECONDS (the documented trade-off)."""

from __future__ import annotations

import pytest

from payments.models import Payment, PaymentMethod
from storeapi import settings_cache
from tests.payments.helpers import order_of, ready_cart, token_of

UNAVAILABLE = "payment_method_unavailable"


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(settings_cache.time, "monotonic", lambda: now[0])
    return now


def _offered(api, cart) -> list[str]:
    response = api.get(f"/carts/{cart['id']}", **token_of(cart))
    return [method["id"] for method in response.json()["payment_methods"]]


def _pay(api, cart, method):
    body = {"payment_method_id": method.public_id}
    return api.post(f"/carts/{cart['id']}/payments", body, **token_of(cart))


def test_a_method_staff_switch_off_here_is_refused_at_once(api, shop, bogus, clock):
    cart = ready_cart(api, shop["variant"])
    check = shop["check"]
    assert _offered(api, cart) == [check.public_id, bogus.public_id]

    check.is_active = False
    check.save()  # as the admin does: post_save forgets the copy

    assert _offered(api, cart) == [bogus.public_id]
    response = _pay(api, cart, check)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == UNAVAILABLE
    assert not Payment.objects.filter(order=order_of(cart)).exists()


def test_a_method_switched_off_by_another_process_is_refused_within_the_seconds(
    api, shop, bogus, clock
):
    cart = ready_cart(api, shop["variant"])
    check = shop["check"]
    PaymentMethod.objects.filter(pk=check.pk).update(is_active=False)  # no signal here

    clock[0] += 4.9
    assert _offered(api, cart) == [check.public_id, bogus.public_id]
    clock[0] += 0.1
    assert _offered(api, cart) == [bogus.public_id]
    assert _pay(api, cart, check).json()["error"]["code"] == UNAVAILABLE


def test_a_method_staff_add_is_offered_at_once(api, shop, clock):
    cart = ready_cart(api, shop["variant"])
    assert _offered(api, cart) == [shop["check"].public_id]

    later = PaymentMethod.objects.create(name="Pay later", provider=PaymentMethod.CHECK)

    assert _offered(api, cart) == [shop["check"].public_id, later.public_id]
    assert _pay(api, cart, later).status_code == 201


def test_an_internal_or_unknown_method_is_still_refused(api, shop, clock):
    cart = ready_cart(api, shop["variant"])
    credit = PaymentMethod.objects.create(name="Credit", provider=PaymentMethod.STORE_CREDIT)

    assert _pay(api, cart, credit).json()["error"]["code"] == UNAVAILABLE
    unknown = api.post(
        f"/carts/{cart['id']}/payments", {"payment_method_id": "pm_unknown"}, **token_of(cart)
    )
    assert unknown.status_code == 404
