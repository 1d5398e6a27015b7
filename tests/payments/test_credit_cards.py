"""GET/DELETE /customers/me/credit_cards[/:id]: the customer's saved cards, one default."""

from __future__ import annotations

import pytest

from payments.models import CreditCard
from tests.payments.helpers import NOT_AUTHENTICATED, defaults_of, not_found, save_card

CARD_NOT_FOUND = not_found("Credit card not found")


def test_list_shows_the_saved_cards_default_first(customer_api, customer, bogus):
    first = save_card(customer, bogus, last4="4242")
    second = save_card(customer, bogus, last4="4444", brand="master")

    response = customer_api.get("/customers/me/credit_cards")

    assert response.status_code == 200
    body = response.json()
    assert body["data"] == [
        {
            "id": first.public_id,
            "brand": "visa",
            "last4": "4242",
            "month": 12,
            "year": 2040,
            "name": "Ada L",
            "default": True,
            "gateway_payment_profile_id": first.gateway_payment_profile_id,
        },
        {
            "id": second.public_id,
            "brand": "master",
            "last4": "4444",
            "month": 12,
            "year": 2040,
            "name": "Ada L",
            "default": False,
            "gateway_payment_profile_id": second.gateway_payment_profile_id,
        },
    ]
    assert body["meta"]["count"] == 2
    assert first.public_id.startswith("card_")


def test_list_is_empty_without_cards_and_hides_other_customers_cards(
    customer_api, other_customer, bogus
):
    save_card(other_customer, bogus)

    response = customer_api.get("/customers/me/credit_cards")

    assert response.status_code == 200
    assert response.json()["data"] == []


def test_get_one_card(customer_api, customer, bogus):
    card = save_card(customer, bogus)

    response = customer_api.get(f"/customers/me/credit_cards/{card.public_id}")

    assert response.status_code == 200
    assert response.json()["id"] == card.public_id
    assert response.json()["last4"] == "4242"
    assert response.json()["default"] is True


@pytest.mark.parametrize("card_id", ["card_nope", "card_UkLWZg9DAJ_", "12", "ps_{pk}"])
def test_unknown_or_mistyped_card_id_is_not_found(customer_api, customer, bogus, card_id):
    card = save_card(customer, bogus)

    response = customer_api.get(f"/customers/me/credit_cards/{card_id.format(pk=card.pk)}")

    assert response.status_code == 404
    assert response.json() == CARD_NOT_FOUND


def test_first_saved_card_is_the_default(customer, bogus):
    first = save_card(customer, bogus, last4="4242")
    save_card(customer, bogus, last4="4444")
    save_card(customer, bogus, last4="0005")

    assert defaults_of(CreditCard, customer) == [first.pk]


def test_deleting_the_default_promotes_the_most_recent_remaining(customer_api, customer, bogus):
    first = save_card(customer, bogus, last4="4242")
    older = save_card(customer, bogus, last4="4444")
    newest = save_card(customer, bogus, last4="0005")

    response = customer_api.delete(f"/customers/me/credit_cards/{first.public_id}")

    assert response.status_code == 204
    assert response.content == b""
    assert not CreditCard.objects.filter(pk=first.pk).exists()
    assert defaults_of(CreditCard, customer) == [newest.pk]
    assert CreditCard.objects.get(pk=older.pk).is_default is False
    listed = customer_api.get("/customers/me/credit_cards").json()["data"]
    assert [(c["id"], c["default"]) for c in listed] == [
        (newest.public_id, True),
        (older.public_id, False),
    ]


def test_deleting_another_card_keeps_the_default(customer_api, customer, bogus):
    first = save_card(customer, bogus, last4="4242")
    second = save_card(customer, bogus, last4="4444")

    response = customer_api.delete(f"/customers/me/credit_cards/{second.public_id}")

    assert response.status_code == 204
    assert defaults_of(CreditCard, customer) == [first.pk]


def test_deleting_the_last_card_leaves_none(customer_api, customer, bogus):
    card = save_card(customer, bogus)

    assert customer_api.delete(f"/customers/me/credit_cards/{card.public_id}").status_code == 204

    assert not CreditCard.objects.filter(user=customer).exists()
    response = customer_api.delete(f"/customers/me/credit_cards/{card.public_id}")
    assert response.status_code == 404
    assert response.json() == CARD_NOT_FOUND


def test_a_card_saved_again_after_deleting_all_becomes_the_default(customer_api, customer, bogus):
    card = save_card(customer, bogus)
    customer_api.delete(f"/customers/me/credit_cards/{card.public_id}")

    again = save_card(customer, bogus, last4="4444")

    assert defaults_of(CreditCard, customer) == [again.pk]


# --- authorization matrix: anonymous, another customer, owner -------------------------------


@pytest.mark.parametrize("method", ["GET list", "GET", "DELETE"])
def test_anonymous_is_refused(api, customer, bogus, method):
    card = save_card(customer, bogus)
    path = "/customers/me/credit_cards"
    if method == "GET list":
        response = api.get(path)
    elif method == "GET":
        response = api.get(f"{path}/{card.public_id}")
    else:
        response = api.delete(f"{path}/{card.public_id}")

    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED
    assert CreditCard.objects.filter(pk=card.pk, is_default=True).exists()


def test_another_customers_card_is_not_found_and_unchanged(other_api, customer, bogus):
    card = save_card(customer, bogus)

    get = other_api.get(f"/customers/me/credit_cards/{card.public_id}")
    delete = other_api.delete(f"/customers/me/credit_cards/{card.public_id}")

    assert (get.status_code, get.json()) == (404, CARD_NOT_FOUND)
    assert (delete.status_code, delete.json()) == (404, CARD_NOT_FOUND)
    assert CreditCard.objects.filter(pk=card.pk, user=customer, is_default=True).exists()


def test_the_owner_may_read_and_delete(customer_api, customer, bogus):
    card = save_card(customer, bogus)

    assert customer_api.get(f"/customers/me/credit_cards/{card.public_id}").status_code == 200
    assert customer_api.delete(f"/customers/me/credit_cards/{card.public_id}").status_code == 204


def test_the_jwt_without_a_publishable_key_is_refused(customer_api, customer, bogus):
    save_card(customer, bogus)
    customer_api.api_key = None

    response = customer_api.get("/customers/me/credit_cards")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


# --- a card that paid for an order ----------------------------------------------------------


def test_deleting_a_card_that_paid_for_an_order_forgets_it_but_keeps_the_payment(
    customer_api, customer, bogus, shop
):
    from tests.payments.helpers import ready_cart

    cart = ready_cart(customer_api, shop["variant"])
    session = customer_api.post(
        f"/carts/{cart['id']}/payment_sessions", {"payment_method_id": bogus.public_id}
    ).json()
    paid = customer_api.patch(
        f"/carts/{cart['id']}/payment_sessions/{session['id']}/complete",
        {"external_data": {"token": "tok_visa", "save_card": True}},
    ).json()
    card = CreditCard.objects.get(user=customer)
    assert paid["payment"]["source_id"] == card.public_id
    order = customer_api.post(f"/carts/{cart['id']}/complete").json()

    response = customer_api.delete(f"/customers/me/credit_cards/{card.public_id}")

    assert response.status_code == 204
    assert customer_api.get("/customers/me/credit_cards").json()["data"] == []
    assert customer_api.get(f"/customers/me/credit_cards/{card.public_id}").status_code == 404
    history = customer_api.get(f"/customers/me/orders/{order['id']}").json()
    assert history["payments"][0]["source_type"] == "credit_card"
    assert history["payments"][0]["source"]["last4"] == "4242"
