"""Checkout progress and money: steps and requirements, delivery rates, taxes, totals, and the
warnings of items that can no longer be bought."""

from decimal import Decimal

import pytest

from catalog.models import Product, StockItem
from customers.models import Country
from orders.models import DeliveryRate, LineItem, TaxRate, Zone, ZoneMember
from storeapi.ids import encode_id
from tests.orders.conftest import US_ADDRESS, make_variant
from tests.orders.helpers import (
    add_item,
    addressed_cart,
    create_cart,
    order_of,
    pay,
    snapshot,
    token_of,
    update_cart,
)

DE_ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "address1": "Unter den Linden 1",
    "city": "Berlin",
    "postal_code": "10117",
    "country_iso": "DE",
}
CA_ADDRESS = {
    **US_ADDRESS,
    "address1": "1 Infinite Loop",
    "city": "Cupertino",
    "postal_code": "95014",
    "state_abbr": "CA",
}
ITEMS = {"step": "cart", "field": "line_items", "message": "Add at least one item to your cart"}
EMAIL = {"step": "address", "field": "email", "message": "Email address is required"}
SHIP_ADDRESS = {
    "step": "address",
    "field": "ship_address",
    "message": "Shipping address is required",
}
DELIVERY = {
    "step": "delivery",
    "field": "shipping_method",
    "message": "Select a shipping method for all shipments",
}
PAYMENT = {"step": "payment", "field": "payment", "message": "Add a payment method"}


def _progress(cart: dict) -> tuple:
    return cart["current_step"], cart["completed_steps"], cart["requirements"]


def _select(api, cart: dict, rate_id: str, fulfillment_id: str | None = None):
    fulfillment_id = fulfillment_id or cart["fulfillments"][0]["id"]
    return api.patch(
        f"/carts/{cart['id']}/fulfillments/{fulfillment_id}",
        {"selected_delivery_rate_id": rate_id},
        **token_of(cart),
    )


def _rates(cart: dict) -> list[tuple[str, str, bool]]:
    return [
        (rate["name"], rate["cost"], rate["selected"])
        for rate in cart["fulfillments"][0]["delivery_rates"]
    ]


def _money(cart: dict) -> dict[str, str]:
    keys = (
        "item_total",
        "delivery_total",
        "additional_tax_total",
        "included_tax_total",
        "tax_total",
        "adjustment_total",
        "total",
        "amount_due",
    )
    return {key: cart[key] for key in keys}


# --- steps and requirements ----------------------------------------------------------------------


def test_each_stage_of_checkout_reports_its_step_and_what_is_missing(api, shop):
    cart = create_cart(api)
    assert _progress(cart) == ("address", [], [ITEMS, EMAIL, SHIP_ADDRESS, DELIVERY])

    cart = add_item(api, cart, shop["variant"], 1)
    assert _progress(cart) == ("address", [], [EMAIL, SHIP_ADDRESS, DELIVERY, PAYMENT])

    cart = update_cart(api, cart, {"email": "guest@example.com"})
    assert _progress(cart) == ("address", [], [SHIP_ADDRESS, DELIVERY, PAYMENT])

    cart = update_cart(api, cart, {"shipping_address": US_ADDRESS, "use_shipping": True})
    assert _progress(cart) == ("payment", ["address", "delivery"], [PAYMENT])

    pay(api, cart, shop["check"])
    cart = api.get(f"/carts/{cart['id']}", **token_of(cart)).json()
    assert _progress(cart) == ("complete", ["address", "delivery", "payment"], [])


def test_an_address_without_delivery_stops_at_the_delivery_step(api, shop):
    cart = create_cart(api, {"email": "guest@example.com"})
    add_item(api, cart, shop["variant"], 1)

    cart = update_cart(api, cart, {"shipping_address": DE_ADDRESS})

    assert _progress(cart) == ("delivery", ["address"], [DELIVERY, PAYMENT])
    [fulfillment] = cart["fulfillments"]
    assert fulfillment["delivery_rates"] == []
    assert fulfillment["delivery_method"] == {
        "id": "",
        "name": "No delivery method available",
        "code": None,
    }
    assert cart["delivery_total"] == "0.00"


def test_removing_the_last_item_goes_back_to_the_address_step(api, shop):
    cart = addressed_cart(api, shop["variant"])

    response = api.delete(f"/carts/{cart['id']}/items/{cart['items'][0]['id']}", **token_of(cart))

    body = response.json()
    assert _progress(body) == ("address", [], [ITEMS, DELIVERY])
    assert body["fulfillments"] == []
    assert _money(body)["total"] == "0.00"


# --- delivery rates ------------------------------------------------------------------------------


def test_the_cheapest_rate_is_selected_automatically(api, shop):
    cart = addressed_cart(api, shop["variant"], quantity=2)

    assert _rates(cart) == [("Ground", "5.00", True), ("Express", "15.00", False)]
    assert cart["fulfillments"][0]["delivery_method"]["name"] == "Ground"
    assert cart["delivery_total"] == "5.00"
    assert cart["total"] == "30.00"


def test_when_express_is_cheaper_it_is_the_one_selected(api, shop):
    shop["express"].amount = Decimal("3.00")
    shop["express"].save()

    cart = addressed_cart(api, shop["variant"])

    assert _rates(cart) == [("Express", "3.00", True), ("Ground", "5.00", False)]
    assert cart["delivery_total"] == "3.00"


def test_inactive_methods_and_methods_of_other_zones_are_not_offered(api, shop):
    shop["express"].is_active = False
    shop["express"].save()
    europe = Zone.objects.create(name="Europe")
    ZoneMember.objects.create(zone=europe, country=Country.objects.get(iso="DE"))
    shop["ground"].zones.add(europe)
    courier = shop["ground"].__class__.objects.create(name="Courier", amount=Decimal("1.00"))
    courier.zones.add(europe)

    cart = addressed_cart(api, shop["variant"])

    assert _rates(cart) == [("Ground", "5.00", True)]


def test_selecting_a_rate_changes_the_delivery_total(api, shop):
    cart = addressed_cart(api, shop["variant"], quantity=2)
    express = cart["fulfillments"][0]["delivery_rates"][1]

    response = _select(api, cart, express["id"])

    assert response.status_code == 200
    body = response.json()
    assert _rates(body) == [("Ground", "5.00", False), ("Express", "15.00", True)]
    assert body["fulfillments"][0]["delivery_method"]["name"] == "Express"
    assert (body["delivery_total"], body["total"], body["amount_due"]) == (
        "15.00",
        "40.00",
        "40.00",
    )
    assert _progress(body) == ("payment", ["address", "delivery"], [PAYMENT])
    assert (
        DeliveryRate.objects.filter(fulfillment__order=order_of(cart), selected=True).count() == 1
    )


def test_the_chosen_method_survives_a_change_of_items(api, shop):
    cart = addressed_cart(api, shop["variant"], quantity=2)
    _select(api, cart, cart["fulfillments"][0]["delivery_rates"][1]["id"])

    body = add_item(api, cart, shop["variant"], 1)

    assert _rates(body) == [("Ground", "5.00", False), ("Express", "15.00", True)]
    assert body["total"] == "52.50"


def test_a_rate_of_another_carts_fulfillment_is_not_found_and_nothing_changes(api, shop):
    cart = addressed_cart(api, shop["variant"])
    other = addressed_cart(api, shop["variant"])
    before = snapshot()

    for rate in other["fulfillments"][0]["delivery_rates"]:
        response = _select(api, cart, rate["id"])

        assert response.status_code == 404
        assert response.json() == {
            "error": {"code": "record_not_found", "message": "Shipping rate not found"}
        }
    assert snapshot() == before


@pytest.mark.parametrize(
    "rate_id",
    [encode_id("dr", 999_999), None, "", "ful_x", 7],
    ids=["unknown", "missing", "empty", "other prefix", "number"],
)
def test_an_unknown_rate_is_not_found(api, shop, rate_id):
    cart = addressed_cart(api, shop["variant"])
    before = snapshot()

    response = _select(api, cart, rate_id)

    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "record_not_found",
        "message": "Shipping rate not found",
    }
    assert snapshot() == before


def test_a_fulfillment_of_another_cart_is_not_found(api, shop):
    cart = addressed_cart(api, shop["variant"])
    other = addressed_cart(api, shop["variant"])
    before = snapshot()

    response = _select(
        api,
        cart,
        other["fulfillments"][0]["delivery_rates"][1]["id"],
        fulfillment_id=other["fulfillments"][0]["id"],
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "record_not_found"
    assert snapshot() == before


def test_delivery_is_free_once_the_items_reach_the_amount(api, shop):
    shop["ground"].free_over_amount = Decimal("50.00")
    shop["ground"].save()
    cart = addressed_cart(api, shop["variant"], quantity=3)
    assert _rates(cart) == [("Ground", "5.00", True), ("Express", "15.00", False)]
    assert (cart["item_total"], cart["total"]) == ("37.50", "42.50")

    cart = add_item(api, cart, shop["variant"], 1)

    assert _rates(cart) == [("Ground", "0.00", True), ("Express", "15.00", False)]
    assert (cart["item_total"], cart["delivery_total"], cart["total"]) == (
        "50.00",
        "0.00",
        "50.00",
    )

    cart = api.patch(
        f"/carts/{cart['id']}/items/{cart['items'][0]['id']}", {"quantity": 3}, **token_of(cart)
    ).json()

    assert _rates(cart) == [("Ground", "5.00", True), ("Express", "15.00", False)]
    assert cart["total"] == "42.50"


def test_items_from_two_locations_ship_as_two_fulfillments(api, shop):
    from catalog.models import StockLocation

    east = StockLocation.objects.create(name="East", country_iso="US")
    poster = make_variant(name="Poster", price="8.00", location=east)

    cart = addressed_cart(api, shop["variant"])
    cart = add_item(api, cart, poster, 1)

    assert [f["stock_location"]["name"] for f in cart["fulfillments"]] == ["Main warehouse", "East"]
    assert [[i["quantity"] for i in f["items"]] for f in cart["fulfillments"]] == [[1], [1]]
    assert cart["delivery_total"] == "10.00"
    assert cart["total"] == "30.50"


# --- taxes ---------------------------------------------------------------------------------------


def _tax(rate: str, *, zone: Zone | None = None, included=False, delivery=False) -> TaxRate:
    if zone is None:
        zone = Zone.objects.get(name="North America")
    return TaxRate.objects.create(
        name="Sales tax",
        zone=zone,
        rate=Decimal(rate),
        is_included_in_price=included,
        applies_to_delivery=delivery,
    )


def test_no_tax_rate_means_no_tax(api, shop):
    cart = addressed_cart(api, shop["variant"], quantity=2)

    assert _money(cart) == {
        "item_total": "25.00",
        "delivery_total": "5.00",
        "additional_tax_total": "0.00",
        "included_tax_total": "0.00",
        "tax_total": "0.00",
        "adjustment_total": "0.00",
        "total": "30.00",
        "amount_due": "30.00",
    }


def test_an_added_tax_is_charged_on_top_of_the_items(api, shop):
    _tax("0.0825")

    cart = addressed_cart(api, shop["variant"], quantity=2)

    assert _money(cart) == {
        "item_total": "25.00",
        "delivery_total": "5.00",
        "additional_tax_total": "2.06",
        "included_tax_total": "0.00",
        "tax_total": "2.06",
        "adjustment_total": "2.06",
        "total": "32.06",
        "amount_due": "32.06",
    }
    item = cart["items"][0]
    assert (item["additional_tax_total"], item["total"]) == ("2.06", "27.06")
    assert "tax_total" not in item  # not a LineItem field of the SDK
    assert cart["display_tax_total"] == "$2.06"


def test_an_included_tax_is_reported_but_not_added(api, shop):
    _tax("0.20", included=True)

    cart = addressed_cart(api, shop["variant"], quantity=2)

    assert _money(cart) == {
        "item_total": "25.00",
        "delivery_total": "5.00",
        "additional_tax_total": "0.00",
        "included_tax_total": "4.17",
        "tax_total": "4.17",
        "adjustment_total": "0.00",
        "total": "30.00",
        "amount_due": "30.00",
    }
    item = cart["items"][0]
    assert (item["included_tax_total"], item["pre_tax_amount"], item["total"]) == (
        "4.17",
        "20.83",
        "25.00",
    )


def test_a_tax_on_delivery_is_charged_on_the_fulfillment_too(api, shop):
    _tax("0.10", delivery=True)

    cart = addressed_cart(api, shop["variant"], quantity=2)

    assert (cart["additional_tax_total"], cart["total"]) == ("3.00", "33.00")
    fulfillment = cart["fulfillments"][0]
    assert (fulfillment["cost"], fulfillment["additional_tax_total"], fulfillment["total"]) == (
        "5.00",
        "0.50",
        "5.50",
    )
    rates = {r["name"]: r for r in fulfillment["delivery_rates"]}
    assert (rates["Ground"]["additional_tax_total"], rates["Ground"]["total"]) == ("0.50", "5.50")
    assert (rates["Express"]["additional_tax_total"], rates["Express"]["total"]) == (
        "1.50",
        "16.50",
    )


def test_a_state_tax_applies_only_to_addresses_in_that_state(api, shop):
    new_york = Zone.objects.create(name="New York")
    ZoneMember.objects.create(zone=new_york, country=Country.objects.get(iso="US"), state_abbr="NY")
    _tax("0.04", zone=new_york)
    cart = addressed_cart(api, shop["variant"], quantity=2)
    assert (cart["tax_total"], cart["total"]) == ("1.00", "31.00")

    cart = update_cart(api, cart, {"shipping_address": CA_ADDRESS, "use_shipping": True})

    assert (cart["tax_total"], cart["total"]) == ("0.00", "30.00")
    assert cart["items"][0]["additional_tax_total"] == "0.00"


def test_an_inactive_tax_rate_is_ignored(api, shop):
    rate = _tax("0.10")
    rate.is_active = False
    rate.save()

    cart = addressed_cart(api, shop["variant"])

    assert cart["tax_total"] == "0.00"


def test_two_rates_are_each_rounded_and_summed(api, shop):
    _tax("0.0625")
    _tax("0.0225")

    cart = addressed_cart(api, shop["variant"], quantity=1)

    # 12.50 x 6.25% = 0.78125 -> 0.78; 12.50 x 2.25% = 0.28125 -> 0.28
    assert (cart["additional_tax_total"], cart["total"]) == ("1.06", "18.56")


# --- totals follow every change ------------------------------------------------------------------


def test_totals_and_the_payment_follow_every_change(api, shop):
    _tax("0.10")
    cart = addressed_cart(api, shop["variant"], quantity=1)
    assert (cart["item_total"], cart["tax_total"], cart["total"]) == ("12.50", "1.25", "18.75")
    pay(api, cart, shop["check"])

    cart = api.patch(
        f"/carts/{cart['id']}/items/{cart['items'][0]['id']}", {"quantity": 4}, **token_of(cart)
    ).json()

    assert (cart["item_total"], cart["tax_total"], cart["total"]) == ("50.00", "5.00", "60.00")
    assert cart["payments"][0]["amount"] == "60.00"
    assert _progress(cart)[0] == "complete"

    cart = _select(api, cart, cart["fulfillments"][0]["delivery_rates"][1]["id"]).json()

    assert (cart["delivery_total"], cart["total"], cart["amount_due"]) == (
        "15.00",
        "70.00",
        "70.00",
    )
    assert cart["payments"][0]["amount"] == "70.00"
    row = order_of(cart)
    assert (row.item_total, row.delivery_total, row.additional_tax_total, row.total) == (
        Decimal("50.00"),
        Decimal("15.00"),
        Decimal("5.00"),
        Decimal("70.00"),
    )


# --- warnings ------------------------------------------------------------------------------------


def test_an_item_whose_product_was_unpublished_is_removed_with_a_warning(api, shop):
    cart = addressed_cart(api, shop["variant"], quantity=2)
    item_id = cart["items"][0]["id"]
    Product.objects.filter(pk=shop["variant"].product_id).update(status=Product.ARCHIVED)

    body = api.get(f"/carts/{cart['id']}", **token_of(cart)).json()

    assert body["warnings"] == [
        {
            "code": "line_item_removed",
            "message": "Mug was removed because it was discontinued",
            "line_item_id": item_id,
            "variant_id": shop["variant"].public_id,
        }
    ]
    assert body["items"] == []
    assert body["fulfillments"] == []
    assert body["total"] == "0.00"
    assert not LineItem.objects.filter(order=order_of(cart)).exists()
    # Reported once: the next read has nothing left to remove.
    assert api.get(f"/carts/{cart['id']}", **token_of(cart)).json()["warnings"] == []


def test_an_item_that_sold_out_is_removed_with_a_warning(api, shop):
    cart = addressed_cart(api, shop["variant"], quantity=2)
    poster = make_variant(name="Poster", price="8.00")
    cart = add_item(api, cart, poster, 1)
    StockItem.objects.filter(variant=shop["variant"]).update(count_on_hand=0)

    body = api.patch(f"/carts/{cart['id']}", {"customer_note": "hi"}, **token_of(cart)).json()

    assert body["warnings"] == [
        {
            "code": "line_item_removed",
            "message": "Mug was removed because it was sold out",
            "line_item_id": cart["items"][0]["id"],
            "variant_id": shop["variant"].public_id,
        }
    ]
    assert [i["name"] for i in body["items"]] == ["Poster"]
    assert (body["item_total"], body["total"]) == ("8.00", "13.00")


def test_an_item_short_of_stock_is_reduced_with_a_warning(api, shop):
    cart = addressed_cart(api, shop["variant"], quantity=5)
    StockItem.objects.filter(variant=shop["variant"]).update(count_on_hand=2)

    body = api.get(f"/carts/{cart['id']}", **token_of(cart)).json()

    assert body["warnings"] == [
        {
            "code": "line_item_quantity_reduced",
            "message": "Mug quantity was reduced to 2 because of limited stock",
            "line_item_id": cart["items"][0]["id"],
            "variant_id": shop["variant"].public_id,
        }
    ]
    assert body["items"][0]["quantity"] == 2
    assert (body["item_total"], body["total"]) == ("25.00", "30.00")


def test_a_backorderable_item_is_never_swept(api, shop):
    preorder = make_variant(name="Preorder", on_hand=1, backorderable=True)
    cart = create_cart(api)
    add_item(api, cart, preorder, 3)
    StockItem.objects.filter(variant=preorder).update(count_on_hand=0)

    body = api.get(f"/carts/{cart['id']}", **token_of(cart)).json()

    assert body["warnings"] == []
    assert body["items"][0]["quantity"] == 3


def test_a_refresh_reads_again_a_cart_a_finished_service_loaded(api, shop):
    """A service answers from the cart it loaded; a later refresh of that returned object (in
    another transaction) does not trust it but reads the rows and the tax setup again."""
    from django.db import transaction

    from orders.services.carts import cart_item_add
    from orders.services.checkout import cart_refresh

    cart = addressed_cart(api, shop["variant"])
    loaded = cart_item_add(cart=order_of(cart), variant_id=shop["variant"].public_id, quantity=1)
    assert loaded.item_count == 2 and loaded.additional_tax_total == Decimal("0")
    LineItem.objects.filter(order=loaded).update(quantity=4)
    zone = ZoneMember.objects.get(country_id="US").zone
    TaxRate.objects.create(name="Sales tax", zone=zone, rate=Decimal("0.10"))

    with transaction.atomic():
        cart_refresh(loaded)

    stored = order_of(cart)
    assert (stored.item_count, stored.item_total) == (4, Decimal("50.00"))
    assert stored.additional_tax_total == Decimal("5.00")
    assert (loaded.item_count, loaded.additional_tax_total) == (4, Decimal("5.00"))
