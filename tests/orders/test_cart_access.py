"""Who may use a cart (STORE_API.md §1.6): the owner's JWT or the cart token. Unknown and
completed carts are 404 cart_not_found; a cart found without the right credential is 403."""

import pytest

from storeapi.ids import encode_id
from tests.orders.helpers import (
    ACCESS_DENIED,
    CART_NOT_FOUND,
    addressed_cart,
    complete,
    create_cart,
    order_of,
    pay,
    snapshot,
    token_of,
)


def _routes(cart: dict, shop) -> list[tuple[str, str, dict | None]]:
    """Every cart route, with a body that would succeed for the rightful caller."""
    base = f"/carts/{cart['id']}"
    item = cart["items"][0]["id"]
    fulfillment = cart["fulfillments"][0]
    express = fulfillment["delivery_rates"][1]["id"]
    return [
        ("GET", base, None),
        ("PATCH", base, {"email": "thief@example.com"}),
        ("DELETE", base, None),
        ("POST", f"{base}/items", {"variant_id": shop["variant"].public_id, "quantity": 1}),
        ("PATCH", f"{base}/items/{item}", {"quantity": 3}),
        ("DELETE", f"{base}/items/{item}", None),
        (
            "PATCH",
            f"{base}/fulfillments/{fulfillment['id']}",
            {"selected_delivery_rate_id": express},
        ),
        ("POST", f"{base}/payments", {"payment_method_id": shop["check"].public_id}),
        ("POST", f"{base}/complete", None),
    ]


@pytest.fixture
def guest_cart(api, shop):
    """A guest cart one step from completion: an item, address, rates and a payment."""
    cart = addressed_cart(api, shop["variant"], quantity=2)
    pay(api, cart, shop["check"])
    return cart


def _assert_every_route_answers(client, routes, status: int, body: dict, **headers) -> None:
    """Each route gets `status` and `body`, and none of them changes a row."""
    before = snapshot()
    for method, path, payload in routes:
        response = client.call(method, path, payload, **headers)

        assert (response.status_code, response.json()) == (status, body), (method, path)
    assert snapshot() == before


@pytest.mark.parametrize(
    "headers",
    [{}, {"HTTP_X_SPREE_TOKEN": "not-the-token"}, {"HTTP_X_SPREE_ORDER_TOKEN": "wrong"}],
    ids=["no token", "wrong token", "wrong order token"],
)
def test_another_guests_cart_is_forbidden_on_every_route_and_unchanged(
    api, shop, guest_cart, headers
):
    _assert_every_route_answers(api, _routes(guest_cart, shop), 403, ACCESS_DENIED, **headers)


def test_another_customers_jwt_does_not_open_a_customers_cart(customer_api, other_api, shop):
    cart = addressed_cart(customer_api, shop["variant"])
    pay(customer_api, cart, shop["check"])

    _assert_every_route_answers(other_api, _routes(cart, shop), 403, ACCESS_DENIED)


def test_the_token_of_one_cart_does_not_open_another(api, shop, guest_cart):
    mine = create_cart(api)
    before = snapshot()

    response = api.get(f"/carts/{guest_cart['id']}", **token_of(mine))

    assert response.status_code == 403
    assert snapshot() == before


def test_a_completed_cart_is_not_found_on_every_route_even_with_its_token(api, shop, guest_cart):
    routes = _routes(guest_cart, shop)
    assert complete(api, guest_cart).status_code == 200
    others = [route for route in routes if not route[1].endswith("/complete")]

    _assert_every_route_answers(api, others, 404, CART_NOT_FOUND, **token_of(guest_cart))


@pytest.mark.parametrize(
    "cart_id",
    [
        encode_id("cart", 999_999),
        encode_id("cart", 2**62),
        "cart_",
        "cart_!!!",
        "12345",
        "cart_0000000000000000000000000000000000",
    ],
    ids=["unknown", "beyond any key", "empty body", "garbage", "bare number", "undecodable"],
)
@pytest.mark.parametrize(
    ("method", "suffix"),
    [("GET", ""), ("PATCH", ""), ("DELETE", ""), ("POST", "/items"), ("POST", "/complete")],
)
def test_unknown_cart_ids_are_not_found(api, shop, cart_id, method, suffix):
    response = api.call(method, f"/carts/{cart_id}{suffix}", {}, HTTP_X_SPREE_TOKEN="whatever")

    assert response.status_code == 404
    assert response.json() == CART_NOT_FOUND


@pytest.mark.parametrize("prefix", ["addr", "li", "variant", "cus"])
def test_an_id_with_another_models_prefix_is_not_a_cart(api, shop, guest_cart, prefix):
    pk = order_of(guest_cart).pk
    foreign = encode_id(prefix, pk)

    response = api.get(f"/carts/{foreign}", **token_of(guest_cart))

    assert response.status_code == 404
    assert response.json() == CART_NOT_FOUND


def test_the_or_prefix_names_the_same_open_cart(api, shop, guest_cart):
    order_id = encode_id("or", order_of(guest_cart).pk)

    response = api.get(f"/carts/{order_id}", **token_of(guest_cart))

    assert response.status_code == 200
    assert response.json()["id"] == guest_cart["id"]


def test_the_owner_needs_no_token(customer_api, shop):
    cart = create_cart(customer_api)

    response = customer_api.get(f"/carts/{cart['id']}")

    assert response.status_code == 200
    assert response.json()["id"] == cart["id"]


def test_the_token_opens_a_customers_cart_without_a_jwt(customer_api, api, shop):
    cart = create_cart(customer_api)

    response = api.patch(f"/carts/{cart['id']}", {"customer_note": "hi"}, **token_of(cart))

    assert response.status_code == 200
    assert order_of(cart).customer_note == "hi"


def test_the_token_works_alongside_another_customers_jwt(customer_api, other_api, shop):
    cart = create_cart(customer_api)

    response = other_api.get(f"/carts/{cart['id']}", **token_of(cart))

    assert response.status_code == 200


def test_the_seed_order_token_header_is_an_alias(api, shop, guest_cart):
    response = api.patch(
        f"/carts/{guest_cart['id']}",
        {"customer_note": "via alias"},
        HTTP_X_SPREE_ORDER_TOKEN=guest_cart["token"],
    )

    assert response.status_code == 200
    assert order_of(guest_cart).customer_note == "via alias"


def test_the_token_header_name_is_case_insensitive_and_trimmed(api, shop, guest_cart):
    response = api.get(
        f"/carts/{guest_cart['id']}", HTTP_X_SPREE_TOKEN=f"  {guest_cart['token']}  "
    )

    assert response.status_code == 200


def test_a_prefix_of_the_token_is_not_the_token(api, shop, guest_cart):
    response = api.get(f"/carts/{guest_cart['id']}", HTTP_X_SPREE_TOKEN=guest_cart["token"][:-1])

    assert response.status_code == 403


def test_cart_routes_need_the_publishable_key(shop, guest_cart):
    from tests.conftest import StoreClient

    response = StoreClient().get(f"/carts/{guest_cart['id']}", **token_of(guest_cart))

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


# --- the access is checked on the locked row (orders.services.checkout.lock_cart) ----------


def test_another_customers_cart_takes_changes_through_its_token(customer_api, other_api, shop):
    """Signed in as someone else, the token still opens the cart for changes: the slow path,
    which locks the owner's row before the cart's."""
    cart = create_cart(customer_api)
    item = {"variant_id": shop["variant"].public_id, "quantity": 2}

    added = other_api.post(f"/carts/{cart['id']}/items", item, **token_of(cart))
    noted = other_api.patch(f"/carts/{cart['id']}", {"customer_note": "gift"}, **token_of(cart))

    assert (added.status_code, noted.status_code) == (201, 200)
    assert order_of(cart).customer_note == "gift"
    assert order_of(cart).item_count == 2


def test_a_signed_in_customer_needs_the_token_for_a_guest_cart(customer_api, api, shop):
    cart = create_cart(api)
    item = {"variant_id": shop["variant"].public_id, "quantity": 1}

    without = customer_api.post(f"/carts/{cart['id']}/items", item)
    with_token = customer_api.post(f"/carts/{cart['id']}/items", item, **token_of(cart))

    assert (without.status_code, without.json()) == (403, ACCESS_DENIED)
    assert with_token.status_code == 201


def test_a_cart_someone_else_holds_answers_403_before_checking_the_body(api, shop):
    """A bad quantity or an unknown payment method on a cart the caller may not use is 403,
    not 422 or 404: the body is only looked at once the access holds."""
    cart = create_cart(api)
    base = f"/carts/{cart['id']}"
    wrong = {"HTTP_X_SPREE_TOKEN": "not-the-token"}

    bad_quantity = api.post(f"{base}/items", {"variant_id": "x", "quantity": -4}, **wrong)
    bad_method = api.post(f"{base}/payments", {"payment_method_id": "pm_nope"}, **wrong)

    assert (bad_quantity.status_code, bad_quantity.json()) == (403, ACCESS_DENIED)
    assert (bad_method.status_code, bad_method.json()) == (403, ACCESS_DENIED)


def test_completing_another_customers_cart_with_its_token(customer_api, other_api, shop):
    cart = addressed_cart(customer_api, shop["variant"], quantity=1)
    pay(customer_api, cart, shop["check"])

    response = other_api.post(f"/carts/{cart['id']}/complete", **token_of(cart))

    assert response.status_code == 200
    assert order_of(cart).state == "complete"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_guarded_lock_leaves_another_owners_cart_unlocked(customer, shop):
    """order_get(owner=...) keeps out a cart someone else owns, and does not lock it: the
    owner's row must be locked before the cart's (CONVENTIONS.md)."""
    import threading

    from django.db import connection, transaction

    from orders.models import Order
    from orders.selectors import order_get

    cart = Order.objects.create(user=customer, token="t" * 24, number="R000000001")
    outcome = {}

    def lock_it_elsewhere():
        try:
            with transaction.atomic():
                Order.objects.select_for_update(nowait=True).get(pk=cart.pk)
            outcome["locked"] = True
        finally:
            connection.close()

    with transaction.atomic():
        as_guest = order_get(pk=cart.pk, lock=True, owner=None)
        as_owner_elsewhere = order_get(pk=cart.pk, lock=True, owner=customer.pk + 1000)
        other = threading.Thread(target=lock_it_elsewhere)
        other.start()
        other.join()

    assert (as_guest, as_owner_elsewhere) == (None, None)
    assert outcome == {"locked": True}
