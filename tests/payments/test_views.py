"""Account pages of payments: saved cards and payment sources (list, remove, choose the
default) and the balances of store credit and gift cards. Another customer's card or source is
a 404 and stays as it was."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from payments.models import CreditCard, GiftCard, PaymentSource
from payments.services.balances import store_credit_grant
from tests.pages import assert_redirects_to_sign_in, messages_of, queries_for, sign_in
from tests.payments.helpers import defaults_of, payments_snapshot, save_card, save_source

PAGES = ["/account/payment-methods/", "/account/balances/"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_send_an_anonymous_visitor_to_sign_in(client, db, path):
    assert_redirects_to_sign_in(client.get(path), path)


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_for_their_owner(client, customer, path):
    sign_in(client, customer)

    assert client.get(path).status_code == 200


def test_payment_methods_lists_only_the_owners_cards_and_sources(
    client, customer, other_customer, bogus, wallet
):
    save_card(customer, bogus, last4="4242")
    save_card(other_customer, bogus, last4="1111")
    save_source(customer, wallet, label="PayPal (a***@example.com)")
    save_source(other_customer, wallet, label="PayPal (g***@example.com)")
    sign_in(client, customer)

    content = client.get("/account/payment-methods/").content.decode()

    assert "Visa ending 4242" in content and "Expires 12/2040" in content
    assert "PayPal (a***@example.com)" in content
    assert "1111" not in content and "g***@example.com" not in content


def test_pages_cost_the_same_queries_for_one_row_or_many(client, customer, bogus, wallet):
    save_card(customer, bogus, last4="0001")
    save_source(customer, wallet, label="PayPal 1")
    store_credit_grant(user=customer, amount=Decimal("5.00"), currency="USD")
    GiftCard.objects.create(code="0" * 16, user=customer, currency="USD", amount=Decimal(5))
    sign_in(client, customer)
    one = [queries_for(client, path) for path in PAGES]
    for number in range(2, 6):
        save_card(customer, bogus, last4=f"000{number}")
        save_source(customer, wallet, label=f"PayPal {number}")
        store_credit_grant(user=customer, amount=Decimal("5.00"), currency="USD")
        GiftCard.objects.create(
            code=str(number) * 16, user=customer, currency="USD", amount=Decimal(5)
        )

    assert [queries_for(client, path) for path in PAGES] == one


def test_removing_a_saved_card_promotes_the_latest_one(client, customer, bogus):
    first = save_card(customer, bogus, last4="4242")
    second = save_card(customer, bogus, last4="0005")
    sign_in(client, customer)

    response = client.post(f"/account/payment-methods/cards/{first.public_id}/delete/")

    assert response["Location"] == "/account/payment-methods/"
    assert list(CreditCard.objects.filter(user=customer)) == [second]
    assert defaults_of(CreditCard, customer) == [second.pk]
    assert messages_of(response) == ["The card Visa ending 4242 has been removed."]


def test_choosing_the_default_card(client, customer, bogus):
    first = save_card(customer, bogus, last4="4242")
    second = save_card(customer, bogus, last4="0005")
    sign_in(client, customer)

    response = client.post(f"/account/payment-methods/cards/{second.public_id}/default/")

    assert defaults_of(CreditCard, customer) == [second.pk]
    assert first.pk not in defaults_of(CreditCard, customer)
    assert messages_of(response) == ["The card Visa ending 0005 is now your default card."]


def test_removing_and_choosing_payment_sources(client, customer, wallet):
    first = save_source(customer, wallet, label="PayPal (a***@example.com)")
    second = save_source(customer, wallet, label="PayPal (ada@work.example)")
    sign_in(client, customer)

    client.post(f"/account/payment-methods/sources/{second.public_id}/default/")
    assert defaults_of(PaymentSource, customer) == [second.pk]
    response = client.post(f"/account/payment-methods/sources/{second.public_id}/delete/")

    assert list(PaymentSource.objects.filter(user=customer)) == [first]
    assert defaults_of(PaymentSource, customer) == [first.pk]
    assert messages_of(response)[-1] == "PayPal (ada@work.example) has been removed."


def test_another_customers_card_and_source_are_not_found_and_stay(
    client, customer, other_customer, bogus, wallet
):
    save_card(customer, bogus, last4="4242")
    card = save_card(other_customer, bogus, last4="1111")
    source = save_source(other_customer, wallet)
    sign_in(client, customer)
    before = payments_snapshot()

    responses = [
        client.post(f"/account/payment-methods/cards/{card.public_id}/delete/"),
        client.post(f"/account/payment-methods/cards/{card.public_id}/default/"),
        client.post(f"/account/payment-methods/sources/{source.public_id}/delete/"),
        client.post(f"/account/payment-methods/sources/{source.public_id}/default/"),
        client.post("/account/payment-methods/cards/card_unknown/delete/"),
    ]

    assert [response.status_code for response in responses] == [404] * 5
    assert payments_snapshot() == before


def test_removing_is_post_only(client, customer, bogus):
    card = save_card(customer, bogus)
    sign_in(client, customer)
    before = payments_snapshot()

    response = client.get(f"/account/payment-methods/cards/{card.public_id}/delete/")

    assert response.status_code == 405
    assert payments_snapshot() == before


def test_balances_show_store_credit_and_gift_cards_of_the_owner(client, customer, other_customer):
    store_credit_grant(user=customer, amount=Decimal("30.00"), currency="USD", memo="Sorry!")
    store_credit_grant(user=customer, amount=Decimal("12.50"), currency="USD")
    store_credit_grant(user=other_customer, amount=Decimal("999.00"), currency="USD")
    GiftCard.objects.create(
        code="abcd1234ef567890",
        user=customer,
        currency="USD",
        amount=Decimal("50.00"),
        amount_used=Decimal("20.00"),
        expires_at=date(2099, 12, 31),
    )
    sign_in(client, customer)

    response = client.get("/account/balances/")

    content = response.content.decode()
    assert response.context["store_credit_total"] == Decimal("42.50")
    assert "$42.50" in content and "Sorry!" in content
    assert "$999.00" not in content
    assert "ABCD1234EF567890" in content and "$30.00" in content and "Partly used" in content
    assert "Dec. 31, 2099" in content


def test_balances_with_nothing_say_so(client, customer):
    sign_in(client, customer)

    content = client.get("/account/balances/").content.decode()

    assert "$0.00" in content
    assert "You have no store credit." in content and "You have no gift cards." in content
