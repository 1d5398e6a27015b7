"""Address writes racing each other: the customer row lock keeps one default of each kind, and a
request that loses a race gets 404, never a 500."""

import threading

import pytest
from django.db import connection

from customers import selectors, services
from customers.models import Address
from storeapi.errors import NotFound
from tests.customers.helpers import DE_OFFICE, US_HOME, defaults_of
from tests.factories import AddressFactory, UserFactory

POSTGRES_ONLY = (
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs real row locks (PostgreSQL)"
    ),
)


def postgres_only(test):
    """Real threads need real row locks: PostgreSQL, with committed transactions."""
    for mark in POSTGRES_ONLY:
        test = mark(test)
    return test


def _concurrently(calls) -> list[object]:
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            results[index] = calls[index]()
        except Exception as exc:
            results[index] = exc
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


# --- a stale address (deleted or retired by another request) is 404 -----------------------


def test_updating_an_address_deleted_meanwhile_is_not_found(customer):
    address = AddressFactory(user=customer)
    stale = selectors.address_get_for_customer(user=customer, public_id=address.public_id)
    services.address_delete(user=customer, address=address)

    with pytest.raises(NotFound) as raised:
        services.address_update(user=customer, address=stale, data={"city": "Boston"})

    assert (raised.value.code, raised.value.message) == ("record_not_found", "Address not found")
    assert Address.objects.count() == 0


def test_deleting_an_address_retired_meanwhile_is_not_found(customer):
    address = AddressFactory(user=customer)
    services.addresses_mark_in_use(address_ids=[address.pk])
    stale = selectors.address_get_for_customer(user=customer, public_id=address.public_id)
    services.address_update(user=customer, address=stale, data={"city": "Brooklyn"})
    retired = Address.objects.filter(pk=address.pk).values().get()

    with pytest.raises(NotFound) as raised:
        services.address_delete(user=customer, address=stale)

    assert raised.value.message == "Address not found"
    assert Address.objects.filter(pk=address.pk).values().get() == retired


# --- real threads on PostgreSQL -----------------------------------------------------------


@postgres_only
def test_concurrent_creates_leave_exactly_one_default_of_each_kind():
    user = UserFactory()

    results = _concurrently(
        [lambda: services.address_create(user=user, data=US_HOME) for _ in range(4)]
        + [lambda: services.address_create(user=user, data=DE_OFFICE) for _ in range(4)]
    )

    assert all(isinstance(r, Address) for r in results), results
    billing, shipping = defaults_of(user)
    assert len(billing) == len(shipping) == 1
    assert Address.objects.filter(user=user).count() == 8


@postgres_only
def test_concurrent_default_moves_leave_exactly_one_default_of_each_kind():
    user = UserFactory()
    addresses = [services.address_create(user=user, data=US_HOME) for _ in range(6)]
    flags = {"is_default_billing": True, "is_default_shipping": True}

    results = _concurrently(
        [(lambda a=a: services.address_update(user=user, address=a, data=flags)) for a in addresses]
    )

    assert all(isinstance(r, Address) for r in results), results
    billing, shipping = defaults_of(user)
    assert len(billing) == len(shipping) == 1


@postgres_only
def test_concurrent_edits_of_an_address_in_use_retire_it_once():
    user = UserFactory()
    address = services.address_create(user=user, data=US_HOME)
    services.addresses_mark_in_use(address_ids=[address.pk])

    results = _concurrently(
        [
            (
                lambda city=city: services.address_update(
                    user=user, address=address, data={"city": city}
                )
            )
            for city in ("Brooklyn", "Queens", "Bronx")
        ]
    )

    winners = [r for r in results if isinstance(r, Address)]
    losers = [r for r in results if not isinstance(r, Address)]
    assert len(winners) == 1, results
    assert all(isinstance(r, NotFound) and r.message == "Address not found" for r in losers)
    live = Address.objects.get(user=user, deleted_at__isnull=True)
    assert live.pk == winners[0].pk
    assert (live.is_default_billing, live.is_default_shipping) == (True, True)
    assert Address.objects.filter(user=user).count() == 2
