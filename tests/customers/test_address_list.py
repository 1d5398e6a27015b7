"""The address list: pagination meta, default order, `sort`, `q[...]` filters, query bound."""

from datetime import timedelta

import pytest
from django.utils import timezone

from customers.models import Address
from tests.customers.helpers import ADDRESSES
from tests.factories import AddressFactory

# Per request, once the publishable key is cached: session + user, count, page (country joined).
ADDRESS_LIST_QUERIES = 3
# Per request, one statement: session + user, the addresses with their countries (once for all
# three keys), the available store credit total.
CUSTOMER_ME_QUERIES = 1


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["data"]]


@pytest.fixture
def book(customer):
    """Three addresses whose update order differs from their creation order."""
    now = timezone.now()
    berlin = AddressFactory(
        user=customer,
        first_name="Grace",
        city="Berlin",
        postal_code="10117",
        country_id="DE",
        state_abbr="",
        state_name="",
    )
    york = AddressFactory(user=customer, first_name="Ada", city="New York", postal_code="10118")
    austin = AddressFactory(
        user=customer,
        first_name="Alan",
        city="Austin",
        postal_code="73301",
        state_abbr="TX",
        state_name="Texas",
    )
    for address, age in ((berlin, 1), (york, 3), (austin, 2)):
        Address.objects.filter(pk=address.pk).update(updated_at=now - timedelta(hours=age))
    return {"berlin": berlin, "york": york, "austin": austin}


def test_list_is_ordered_by_most_recently_updated_first(customer_api, book):
    response = customer_api.get(ADDRESSES)

    assert _ids(response) == [
        book["berlin"].public_id,
        book["austin"].public_id,
        book["york"].public_id,
    ]


def test_updating_an_address_moves_it_to_the_top(customer_api, book):
    customer_api.patch(f"{ADDRESSES}/{book['york'].public_id}", {"address2": "Suite 1"})

    assert _ids(customer_api.get(ADDRESSES))[0] == book["york"].public_id


def test_list_has_pagination_meta(customer_api, book):
    response = customer_api.get(ADDRESSES)

    assert response.json()["meta"] == {
        "page": 1,
        "limit": 25,
        "count": 3,
        "pages": 1,
        "from": 1,
        "to": 3,
        "in": 3,
        "previous": None,
        "next": None,
    }


def test_list_pages_through_the_book(customer_api, customer):
    AddressFactory.create_batch(30, user=customer)

    first = customer_api.get(ADDRESSES)
    second = customer_api.get(ADDRESSES, {"page": 2, "limit": 10})

    assert len(first.json()["data"]) == 25
    assert first.json()["meta"]["next"] == 2
    assert len(second.json()["data"]) == 10
    assert second.json()["meta"] == {
        "page": 2,
        "limit": 10,
        "count": 30,
        "pages": 3,
        "from": 11,
        "to": 20,
        "in": 10,
        "previous": 1,
        "next": 3,
    }
    every = _ids(customer_api.get(ADDRESSES, {"limit": 100}))
    assert len(set(every)) == 30
    assert set(_ids(second)) <= set(every)


def test_list_limit_is_capped_at_100(customer_api, book):
    assert customer_api.get(ADDRESSES, {"limit": 500}).json()["meta"]["limit"] == 100


def test_list_page_zero_is_a_bad_request(customer_api, book):
    response = customer_api.get(ADDRESSES, {"page": 0})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"


def test_list_leaves_out_retired_addresses(customer_api, book):
    Address.objects.filter(pk=book["york"].pk).update(deleted_at=timezone.now())

    response = customer_api.get(ADDRESSES)

    assert _ids(response) == [book["berlin"].public_id, book["austin"].public_id]
    assert response.json()["meta"]["count"] == 2


def test_list_sorts_by_a_field(customer_api, book):
    ascending = customer_api.get(ADDRESSES, {"sort": "city"})
    descending = customer_api.get(ADDRESSES, {"sort": "-city"})

    assert _ids(ascending) == [
        book["austin"].public_id,
        book["berlin"].public_id,
        book["york"].public_id,
    ]
    assert _ids(descending) == list(reversed(_ids(ascending)))


def test_list_sorts_by_first_name_then_created_at(customer_api, book):
    response = customer_api.get(ADDRESSES, {"sort": "first_name,-created_at"})

    assert _ids(response) == [
        book["york"].public_id,
        book["austin"].public_id,
        book["berlin"].public_id,
    ]


def test_list_ignores_an_unknown_sort_field(customer_api, book):
    assert _ids(customer_api.get(ADDRESSES, {"sort": "user_id"})) == _ids(
        customer_api.get(ADDRESSES)
    )


def test_list_filters_by_city_containing(customer_api, book):
    response = customer_api.get(ADDRESSES, {"q[city_cont]": "YORK"})

    assert _ids(response) == [book["york"].public_id]
    assert response.json()["meta"]["count"] == 1


def test_list_filters_by_spree_column_alias_firstname(customer_api, book):
    assert _ids(customer_api.get(ADDRESSES, {"q[firstname_eq]": "Grace"})) == [
        book["berlin"].public_id
    ]
    assert _ids(customer_api.get(ADDRESSES, {"q[first_name_eq]": "Grace"})) == [
        book["berlin"].public_id
    ]


def test_list_filters_by_spree_column_alias_zipcode(customer_api, book):
    assert _ids(customer_api.get(ADDRESSES, {"q[zipcode_start]": "101"})) == [
        book["berlin"].public_id,
        book["york"].public_id,
    ]


def test_list_filters_by_country_and_state(customer_api, book):
    assert _ids(customer_api.get(ADDRESSES, {"q[country_iso_eq]": "DE"})) == [
        book["berlin"].public_id
    ]
    assert _ids(customer_api.get(ADDRESSES, {"q[state_abbr_in]": "TX,CA"})) == [
        book["austin"].public_id
    ]


def test_list_combines_filters(customer_api, book):
    response = customer_api.get(ADDRESSES, {"q[city_cont]": "n", "q[firstname_start]": "A"})

    assert _ids(response) == [book["austin"].public_id, book["york"].public_id]


def test_list_ignores_unknown_filters(customer_api, book, other_customer):
    response = customer_api.get(ADDRESSES, {"q[user_id_eq]": other_customer.pk, "q[bogus]": "x"})

    assert len(_ids(response)) == 3


def test_list_honours_fields(customer_api, book):
    response = customer_api.get(ADDRESSES, {"fields": "city", "q[city_cont]": "Berlin"})

    assert response.json()["data"] == [{"id": book["berlin"].public_id, "city": "Berlin"}]


@pytest.mark.parametrize("count", [1, 30])
def test_address_list_runs_a_bounded_number_of_queries(
    customer_api, customer, count, django_assert_max_num_queries
):
    AddressFactory.create_batch(count, user=customer)
    AddressFactory.create_batch(count, user=customer, country_id="DE", state_abbr="", state_name="")
    customer_api.get(ADDRESSES)  # caches the publishable key

    with django_assert_max_num_queries(ADDRESS_LIST_QUERIES):
        response = customer_api.get(ADDRESSES, {"limit": 100})

    assert len(response.json()["data"]) == 2 * count


@pytest.mark.parametrize("count", [1, 30])
def test_customer_me_runs_a_bounded_number_of_queries(
    customer_api, customer, count, django_assert_max_num_queries
):
    AddressFactory.create_batch(count, user=customer)
    AddressFactory.create_batch(count, user=customer, country_id="DE", state_abbr="", state_name="")
    customer_api.get("/customers/me")  # caches the publishable key

    with django_assert_max_num_queries(CUSTOMER_ME_QUERIES):
        response = customer_api.get("/customers/me")

    assert len(response.json()["addresses"]) == 2 * count
