"""A change to a cart's contents commits without waiting for PostgreSQL's WAL flush
(synchronous_commit off for that transaction alone, set in its locking read); a completion and
everything else still wait for the disk."""

import pytest
from django.db import connection, transaction

from orders.selectors import CartAccess
from orders.services.checkout import lock_cart
from tests.orders.helpers import create_cart, order_of

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's commit setting"),
]


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.fixture
def cart(api, shop):
    return order_of(create_cart(api))


@pytest.mark.django_db(transaction=True)
def test_a_draft_change_commits_without_waiting_for_the_disk_and_only_it(cart):
    outside = _synchronous_commit()
    with transaction.atomic():
        lock_cart(CartAccess(pk=cart.pk, user=None, token=cart.token), draft=True)
        inside = _synchronous_commit()
    after = _synchronous_commit()

    assert (outside, inside, after) == ("on", "off", "on")


@pytest.mark.parametrize("draft", [False, True], ids=["not a draft", "draft, switched off"])
def test_other_changes_and_the_switch_keep_waiting_for_the_disk(cart, settings, draft):
    settings.CART_DRAFT_ASYNC_COMMIT = False
    with transaction.atomic():
        lock_cart(cart, draft=draft) if draft else lock_cart(cart)
        assert _synchronous_commit() == "on"


def test_the_checkout_steps_are_drafts_and_the_completion_is_not(api, shop, monkeypatch):
    """Which requests take the draft lock: items, address, the Check payment; not completing."""
    from orders import selectors
    from tests.orders.helpers import addressed_cart, complete, pay

    seen = []
    real = selectors.order_get

    def spy(**kwargs):
        if kwargs.get("lock"):
            seen.append(kwargs.get("draft", False))
        return real(**kwargs)

    monkeypatch.setattr("orders.services.checkout.order_get", spy)

    cart = addressed_cart(api, shop["variant"], quantity=1)
    pay(api, cart, shop["check"])
    assert complete(api, cart).status_code == 200

    assert seen == [True, True, True, False]  # item, address, payment, completion
