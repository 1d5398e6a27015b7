"""Ours (OUR_CONTRACT.md): GET/DELETE /customers/me/payment_sources[/:id], saved wallets."""

from __future__ import annotations

import pytest

from payments.models import PaymentSource
from tests.payments.helpers import (
    NOT_AUTHENTICATED,
    defaults_of,
    not_found,
    ready_cart,
    save_source,
)

SOURCE_NOT_FOUND = not_found("Payment source not found")


def test_list_shows_the_saved_sources_default_first(customer_api, customer, wallet):
    first = save_source(customer, wallet, label="PayPal (a***@example.com)")
    second = save_source(customer, wallet, label="PayPal (b***@example.com)")

    response = customer_api.get("/customers/me/payment_sources")

    assert response.status_code == 200
    data = response.json()["data"]
    assert [row["id"] for row in data] == [first.public_id, second.public_id]
    assert data[0] == {
        "id": first.public_id,
        "gateway_payment_profile_id": first.gateway_payment_profile_id,
        "payment_method_id": wallet.public_id,
        "type": "paypal",
        "label": "PayPal (a***@example.com)",
        "default": True,
        "created_at": data[0]["created_at"],
    }
    assert data[1]["default"] is False
    assert first.public_id.startswith("ps_")
    assert response.json()["meta"]["count"] == 2


def test_list_hides_other_customers_sources(customer_api, other_customer, wallet):
    save_source(other_customer, wallet)

    assert customer_api.get("/customers/me/payment_sources").json()["data"] == []


def test_get_one_source(customer_api, customer, wallet):
    source = save_source(customer, wallet)

    response = customer_api.get(f"/customers/me/payment_sources/{source.public_id}")

    assert response.status_code == 200
    assert response.json()["id"] == source.public_id
    assert response.json()["default"] is True


@pytest.mark.parametrize("source_id", ["ps_nope", "card_{pk}", "{pk}"])
def test_unknown_or_mistyped_source_id_is_not_found(customer_api, customer, wallet, source_id):
    source = save_source(customer, wallet)

    response = customer_api.get(f"/customers/me/payment_sources/{source_id.format(pk=source.pk)}")

    assert response.status_code == 404
    assert response.json() == SOURCE_NOT_FOUND


def test_deleting_the_default_promotes_the_most_recent_remaining(customer_api, customer, wallet):
    first = save_source(customer, wallet, label="one")
    older = save_source(customer, wallet, label="two")
    newest = save_source(customer, wallet, label="three")

    response = customer_api.delete(f"/customers/me/payment_sources/{first.public_id}")

    assert response.status_code == 204
    assert not PaymentSource.objects.filter(pk=first.pk).exists()
    assert defaults_of(PaymentSource, customer) == [newest.pk]
    assert PaymentSource.objects.get(pk=older.pk).is_default is False


def test_deleting_another_source_keeps_the_default(customer_api, customer, wallet):
    first = save_source(customer, wallet, label="one")
    second = save_source(customer, wallet, label="two")

    assert (
        customer_api.delete(f"/customers/me/payment_sources/{second.public_id}").status_code == 204
    )

    assert defaults_of(PaymentSource, customer) == [first.pk]


@pytest.mark.parametrize("method", ["GET list", "GET", "DELETE"])
def test_anonymous_is_refused(api, customer, wallet, method):
    source = save_source(customer, wallet)
    path = "/customers/me/payment_sources"
    if method == "GET list":
        response = api.get(path)
    elif method == "GET":
        response = api.get(f"{path}/{source.public_id}")
    else:
        response = api.delete(f"{path}/{source.public_id}")

    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED
    assert PaymentSource.objects.filter(pk=source.pk, is_default=True).exists()


def test_another_customers_source_is_not_found_and_unchanged(other_api, customer, wallet):
    source = save_source(customer, wallet)

    get = other_api.get(f"/customers/me/payment_sources/{source.public_id}")
    delete = other_api.delete(f"/customers/me/payment_sources/{source.public_id}")

    assert (get.status_code, get.json()) == (404, SOURCE_NOT_FOUND)
    assert (delete.status_code, delete.json()) == (404, SOURCE_NOT_FOUND)
    assert PaymentSource.objects.filter(pk=source.pk, user=customer, is_default=True).exists()


def test_the_owner_may_read_and_delete(customer_api, customer, wallet):
    source = save_source(customer, wallet)

    assert customer_api.get(f"/customers/me/payment_sources/{source.public_id}").status_code == 200
    response = customer_api.delete(f"/customers/me/payment_sources/{source.public_id}")
    assert response.status_code == 204


def test_a_saved_source_pays_its_owners_cart(customer_api, customer, wallet, shop):
    source = save_source(customer, wallet)
    cart = ready_cart(customer_api, shop["variant"])
    session = customer_api.post(
        f"/carts/{cart['id']}/payment_sessions", {"payment_method_id": wallet.public_id}
    ).json()

    response = customer_api.patch(
        f"/carts/{cart['id']}/payment_sessions/{session['id']}/complete",
        {"external_data": {"payment_source_id": source.public_id}},
    )

    assert response.status_code == 200, response.json()
    payment = response.json()["payment"]
    assert payment["source_type"] == "payment_source"
    assert payment["source_id"] == source.public_id
    assert payment["source"] == {
        "id": source.public_id,
        "gateway_payment_profile_id": source.gateway_payment_profile_id,
    }
    assert PaymentSource.objects.filter(user=customer).count() == 1


def test_another_customers_source_cannot_pay(customer_api, other_customer, wallet, shop):
    source = save_source(other_customer, wallet)
    cart = ready_cart(customer_api, shop["variant"])
    session = customer_api.post(
        f"/carts/{cart['id']}/payment_sessions", {"payment_method_id": wallet.public_id}
    ).json()

    response = customer_api.patch(
        f"/carts/{cart['id']}/payment_sessions/{session['id']}/complete",
        {"external_data": {"payment_source_id": source.public_id}},
    )

    assert response.status_code == 404
    assert response.json() == SOURCE_NOT_FOUND
    fetched = customer_api.get(f"/carts/{cart['id']}/payment_sessions/{session['id']}").json()
    assert fetched["status"] == "pending"
    assert "payment" not in fetched


def test_deleting_a_source_that_paid_for_an_order_keeps_the_payment(
    customer_api, customer, wallet, shop
):
    source = save_source(customer, wallet)
    cart = ready_cart(customer_api, shop["variant"])
    session = customer_api.post(
        f"/carts/{cart['id']}/payment_sessions", {"payment_method_id": wallet.public_id}
    ).json()
    customer_api.patch(
        f"/carts/{cart['id']}/payment_sessions/{session['id']}/complete",
        {"external_data": {"payment_source_id": source.public_id}},
    )
    order = customer_api.post(f"/carts/{cart['id']}/complete").json()

    response = customer_api.delete(f"/customers/me/payment_sources/{source.public_id}")

    assert response.status_code == 204
    assert customer_api.get("/customers/me/payment_sources").json()["data"] == []
    history = customer_api.get(f"/customers/me/orders/{order['id']}").json()
    assert history["payments"][0]["source_id"] == source.public_id
