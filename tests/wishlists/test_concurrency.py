"""Racing wishlist writes keep the rules (real threads, real row locks on PostgreSQL): one
default per customer, a variant once per wishlist."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from storeapi.errors import ValidationFailed
from tests.concurrency import POSTGRES_ONLY, race
from tests.factories import UserFactory
from tests.wishlists.helpers import defaults_of
from wishlists.models import Wishlist, WishlistItem
from wishlists.services import (
    wishlist_create,
    wishlist_delete,
    wishlist_item_add,
    wishlist_update,
)

pytestmark = POSTGRES_ONLY


@pytest.mark.parametrize("racers", [2, 5])
def test_concurrent_first_wishlists_make_exactly_one_default(racers):
    user = UserFactory()

    results = race(
        [lambda i=i: wishlist_create(user=user, name=f"List {i}") for i in range(racers)]
    )

    assert all(isinstance(r, Wishlist) for r in results), results
    assert Wishlist.objects.filter(user=user).count() == racers
    assert len(defaults_of(user)) == 1


@pytest.mark.parametrize("racers", [2, 5])
def test_concurrent_default_moves_leave_exactly_one_default(racers):
    user = UserFactory()
    lists = [wishlist_create(user=user, name=f"List {i}") for i in range(racers)]

    results = race(
        [
            lambda w=w: wishlist_update(user=user, wishlist=w, changes={"is_default": True})
            for w in lists
        ]
    )

    assert all(isinstance(r, Wishlist) for r in results), results
    assert len(defaults_of(user)) == 1


def test_deleting_the_default_and_its_successor_at_once_leaves_one_default():
    user = UserFactory()
    default = wishlist_create(user=user, name="Default")
    successor = wishlist_create(user=user, name="Successor")
    last = wishlist_create(user=user, name="Last")
    Wishlist.objects.filter(pk=last.pk).update(updated_at=timezone.now() - timedelta(days=1))

    results = race(
        [
            lambda: wishlist_delete(user=user, wishlist=default),
            lambda: wishlist_delete(user=user, wishlist=successor),
        ]
    )

    assert results == [None, None]
    assert defaults_of(user) == ["Last"]


@pytest.mark.parametrize("racers", [2, 5])
def test_concurrent_adds_of_one_variant_make_one_item(racers):
    from tests.factories import PriceFactory

    user = UserFactory()
    wishlist = wishlist_create(user=user, name="Gifts")
    variant = PriceFactory().variant

    results = race(
        [
            lambda: wishlist_item_add(
                user=user, wishlist=wishlist, variant_id=variant.public_id, quantity=1
            )
            for _ in range(racers)
        ]
    )

    added = [r for r in results if isinstance(r, WishlistItem)]
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert (len(added), len(refused)) == (1, racers - 1), results
    assert all(r.details == {"variant_id": ["has already been taken"]} for r in refused)
    assert WishlistItem.objects.filter(wishlist=wishlist).count() == 1
