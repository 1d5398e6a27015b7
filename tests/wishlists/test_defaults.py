"""One default wishlist per customer: the first is the default, choosing another moves it,
deleting it promotes the most recently updated remaining one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.wishlists.helpers import WISHLISTS, add_item, create_wishlist, defaults_of
from wishlists.models import Wishlist
from wishlists.services import wishlist_create, wishlist_delete, wishlist_update


def _age(wishlist: Wishlist, days: int) -> None:
    Wishlist.objects.filter(pk=wishlist.pk).update(updated_at=timezone.now() - timedelta(days=days))


def test_the_first_wishlist_is_the_default_even_if_the_body_says_otherwise(customer_api, customer):
    response = customer_api.post(WISHLISTS, {"name": "First", "is_default": False})

    assert response.json()["is_default"] is True
    assert defaults_of(customer) == ["First"]


def test_later_wishlists_are_not_the_default(customer_api, customer):
    create_wishlist(customer_api, "First")

    response = customer_api.post(WISHLISTS, {"name": "Second"})

    assert response.json()["is_default"] is False
    assert defaults_of(customer) == ["First"]


def test_creating_a_wishlist_as_default_moves_the_default(customer_api, customer):
    create_wishlist(customer_api, "First")

    response = customer_api.post(WISHLISTS, {"name": "Second", "is_default": True})

    assert response.json()["is_default"] is True
    assert defaults_of(customer) == ["Second"]


def test_making_another_wishlist_the_default_moves_it(customer_api, customer):
    first = create_wishlist(customer_api, "First")
    second = create_wishlist(customer_api, "Second")

    response = customer_api.patch(f"{WISHLISTS}/{second.public_id}", {"is_default": True})

    assert response.status_code == 200
    assert response.json()["is_default"] is True
    assert defaults_of(customer) == ["Second"]
    assert customer_api.get(f"{WISHLISTS}/{first.public_id}").json()["is_default"] is False


def test_making_the_default_the_default_again_changes_nothing(customer_api, customer):
    first = create_wishlist(customer_api, "First")
    create_wishlist(customer_api, "Second")

    response = customer_api.patch(f"{WISHLISTS}/{first.public_id}", {"is_default": True})

    assert response.json()["is_default"] is True
    assert defaults_of(customer) == ["First"]


def test_turning_the_default_off_is_ignored_so_there_is_always_one(customer_api, customer):
    first = create_wishlist(customer_api, "First")
    create_wishlist(customer_api, "Second")

    response = customer_api.patch(
        f"{WISHLISTS}/{first.public_id}", {"is_default": False, "name": "Still first"}
    )

    assert response.status_code == 200
    assert response.json()["is_default"] is True
    assert response.json()["name"] == "Still first"
    assert defaults_of(customer) == ["Still first"]


def test_deleting_the_default_promotes_the_most_recently_updated_one(customer_api, customer):
    first = create_wishlist(customer_api, "First")
    stale = create_wishlist(customer_api, "Stale")
    fresh = create_wishlist(customer_api, "Fresh")
    older = create_wishlist(customer_api, "Older")
    _age(stale, 5)
    _age(fresh, 1)
    _age(older, 3)

    response = customer_api.delete(f"{WISHLISTS}/{first.public_id}")

    assert response.status_code == 204
    assert defaults_of(customer) == ["Fresh"]
    fresh.refresh_from_db()
    assert fresh.updated_at < timezone.now() - timedelta(hours=23)  # promotion is no edit


def test_adding_an_item_makes_a_wishlist_the_most_recently_updated(
    customer_api, customer, variants
):
    first = create_wishlist(customer_api, "First")
    quiet = create_wishlist(customer_api, "Quiet")
    busy = create_wishlist(customer_api, "Busy")
    _age(quiet, 1)
    _age(busy, 2)
    add_item(customer_api, busy, variants["mug"])

    customer_api.delete(f"{WISHLISTS}/{first.public_id}")

    assert defaults_of(customer) == ["Busy"]


def test_deleting_another_wishlist_leaves_the_default(customer_api, customer):
    create_wishlist(customer_api, "First")
    second = create_wishlist(customer_api, "Second")

    customer_api.delete(f"{WISHLISTS}/{second.public_id}")

    assert defaults_of(customer) == ["First"]


def test_deleting_the_only_wishlist_leaves_none_and_the_next_is_the_default(customer_api, customer):
    only = create_wishlist(customer_api, "Only")

    customer_api.delete(f"{WISHLISTS}/{only.public_id}")

    assert Wishlist.objects.filter(user=customer).count() == 0
    assert customer_api.post(WISHLISTS, {"name": "Again"}).json()["is_default"] is True


def test_defaults_are_per_customer(customer_api, other_api, customer, other_customer):
    create_wishlist(customer_api, "Mine")
    create_wishlist(other_api, "Theirs")
    create_wishlist(other_api, "Theirs too", is_default=True)

    assert defaults_of(customer) == ["Mine"]
    assert defaults_of(other_customer) == ["Theirs too"]


def test_the_services_keep_the_rules_for_other_callers(customer):
    first = wishlist_create(user=customer, name="First")
    second = wishlist_create(user=customer, name="Second")
    wishlist_update(user=customer, wishlist=second, changes={"is_default": True})
    assert defaults_of(customer) == ["Second"]

    wishlist_delete(user=customer, wishlist=second)

    first.refresh_from_db()
    assert first.is_default is True


def test_the_database_refuses_a_second_default(customer):
    Wishlist.objects.create(user=customer, name="One", is_default=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        Wishlist.objects.create(user=customer, name="Two", is_default=True)


def test_the_database_refuses_a_blank_name(customer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Wishlist.objects.create(user=customer, name="")
