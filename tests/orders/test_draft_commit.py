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


@pytest.mark.django_db(transaction=True)  # the cart's own INSERT commits apart
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


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("switch", [True, False])
def test_a_new_cart_is_a_draft_too_in_its_insert(api, shop, settings, switch):
    """An empty cart is one INSERT in autocommit: the setting rides in its RETURNING list,
    for that statement's own transaction."""
    from django.test.utils import CaptureQueriesContext

    settings.CART_DRAFT_ASYNC_COMMIT = switch
    with CaptureQueriesContext(connection) as context:
        cart = create_cart(api)

    (insert,) = [q["sql"] for q in context.captured_queries if "INSERT" in q["sql"]]
    assert ("set_config(" in insert and "synchronous_commit" in insert) is switch
    assert order_of(cart).number == cart["number"]


def test_inside_a_callers_transaction_a_draft_waits_for_the_disk_like_the_rest(cart):
    """A service's draft setting would reach the caller's other writes: not applied there."""
    # The caller's, then the service's (and the test's own around both).
    with transaction.atomic(), transaction.atomic():
        lock_cart(CartAccess(pk=cart.pk, user=None, token=cart.token), draft=True)
        assert _synchronous_commit() == "on"
