"""A cart change waiting on another one that holds the cart gives up after a bounded wait with
409 cart_already_updated, and an email change keeps the fulfillments (and their ids)."""

import pytest
from django.db import connection

from orders.models import Order
from tests.orders.conftest import US_ADDRESS
from tests.storeapi.locks import row_locked_elsewhere, short_lock_timeout


def test_changing_the_email_keeps_the_fulfillment_and_rate_ids(api, shop):
    cart = api.post("/carts").json()
    token = {"HTTP_X_SPREE_TOKEN": cart["token"]}
    api.post(f"/carts/{cart['id']}/items", {"variant_id": shop["variant"].public_id}, **token)
    before = api.patch(
        f"/carts/{cart['id']}",
        {"email": "a@example.com", "shipping_address": US_ADDRESS, "use_shipping": True},
        **token,
    ).json()

    after = api.patch(f"/carts/{cart['id']}", {"email": "b@example.com"}, **token).json()

    assert after["email"] == "b@example.com"
    assert [f["id"] for f in after["fulfillments"]] == [f["id"] for f in before["fulfillments"]]
    assert [r["id"] for r in after["fulfillments"][0]["delivery_rates"]] == [
        r["id"] for r in before["fulfillments"][0]["delivery_rates"]
    ]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
def test_a_cart_held_by_another_request_answers_409_after_a_bounded_wait(api, shop):
    cart = api.post("/carts").json()

    with row_locked_elsewhere(Order.objects.filter(number=cart["number"])), short_lock_timeout():
        response = api.patch(
            f"/carts/{cart['id']}", {"email": "late@example.com"}, HTTP_X_SPREE_TOKEN=cart["token"]
        )

    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "cart_already_updated",
        "message": "The cart has already been updated.",
    }
    assert Order.objects.get(number=cart["number"]).email == ""
