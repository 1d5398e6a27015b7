"""Store credit: GET /customers/me/store_credits[/:id] in the current currency, the customer's
available total, POST/DELETE /carts/:id/store_credits, capture at completion with a ledger
event, the grant_store_credit command and the admin's grant and adjust."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import User
from catalog.models import Price, StockItem
from payments.models import Payment, StoreCredit, StoreCreditCategory, StoreCreditEvent
from payments.services.balances import store_credit_adjust, store_credit_grant
from tests.payments.helpers import (
    NO_STORE_CREDIT,
    NOT_AUTHENTICATED,
    balances,
    not_found,
    order_of,
    ready_cart,
    token_of,
)

CREDIT_NOT_FOUND = not_found("Store credit not found")


def _grant(user, amount, currency="USD", **kwargs) -> StoreCredit:
    return store_credit_grant(user=user, amount=Decimal(amount), currency=currency, **kwargs)


@pytest.fixture
def sells_eur(shop):
    Price.objects.create(variant=shop["variant"], currency="EUR", amount=Decimal("11.00"))


# --- the customer's credits ----------------------------------------------------------------


def test_list_shows_credits_in_the_current_currency(customer_api, customer):
    credit = _grant(customer, "20")
    _grant(customer, "7", currency="EUR")

    response = customer_api.get("/customers/me/store_credits")

    assert response.status_code == 200
    assert response.json()["data"] == [
        {
            "id": credit.public_id,
            "amount": "20.00",
            "amount_used": "0.00",
            "amount_remaining": "20.00",
            "display_amount": "$20.00",
            "display_amount_used": "$0.00",
            "display_amount_remaining": "$20.00",
            "currency": "USD",
        }
    ]
    assert credit.public_id.startswith("credit_")
    assert response.json()["meta"]["count"] == 1


def test_detail_of_a_credit_in_another_currency_is_not_found(customer_api, customer):
    euros = _grant(customer, "7", currency="EUR")

    response = customer_api.get(f"/customers/me/store_credits/{euros.public_id}")

    assert response.status_code == 404
    assert response.json() == CREDIT_NOT_FOUND


def test_the_currency_header_shows_credits_in_a_currency_the_store_sells(
    customer_api, customer, sells_eur
):
    _grant(customer, "20")
    euros = _grant(customer, "7", currency="EUR")

    listed = customer_api.get("/customers/me/store_credits", HTTP_X_SPREE_CURRENCY="EUR")
    detail = customer_api.get(
        f"/customers/me/store_credits/{euros.public_id}", HTTP_X_SPREE_CURRENCY="eur"
    )

    assert [c["id"] for c in listed.json()["data"]] == [euros.public_id]
    assert detail.status_code == 200
    assert (detail.json()["currency"], detail.json()["display_amount"]) == ("EUR", "€7.00")


def test_a_currency_the_store_does_not_sell_falls_back_to_the_default(customer_api, customer):
    usd = _grant(customer, "20")
    _grant(customer, "7", currency="EUR")

    listed = customer_api.get("/customers/me/store_credits", HTTP_X_SPREE_CURRENCY="EUR")

    assert [c["id"] for c in listed.json()["data"]] == [usd.public_id]


def test_detail_shows_what_is_used(customer_api, customer):
    credit = _grant(customer, "20")
    StoreCredit.objects.filter(pk=credit.pk).update(amount_used=Decimal("5.5"))

    response = customer_api.get(f"/customers/me/store_credits/{credit.public_id}")

    assert response.status_code == 200
    body = response.json()
    assert (body["amount_used"], body["amount_remaining"], body["display_amount_remaining"]) == (
        "5.50",
        "14.50",
        "$14.50",
    )


def test_available_total_on_the_customer(customer_api, customer, sells_eur):
    _grant(customer, "20")
    used = _grant(customer, "10")
    StoreCredit.objects.filter(pk=used.pk).update(amount_used=Decimal("4"))
    _grant(customer, "7", currency="EUR")

    usd = customer_api.get("/customers/me").json()
    eur = customer_api.get("/customers/me", HTTP_X_SPREE_CURRENCY="EUR").json()

    assert (usd["available_store_credit_total"], usd["display_available_store_credit_total"]) == (
        "26.00",
        "$26.00",
    )
    assert eur["available_store_credit_total"] == "7.00"


def test_available_total_without_credit_is_zero(customer_api):
    me = customer_api.get("/customers/me").json()

    assert (me["available_store_credit_total"], me["display_available_store_credit_total"]) == (
        "0.00",
        "$0.00",
    )


@pytest.mark.parametrize("path", ["", "/credit_UkLWZg9DAJ"])
def test_anonymous_is_refused(api, customer, path):
    _grant(customer, "20")

    response = api.get(f"/customers/me/store_credits{path}")

    assert (response.status_code, response.json()) == (401, NOT_AUTHENTICATED)


def test_another_customers_credit_is_not_found(other_api, customer):
    credit = _grant(customer, "20")

    response = other_api.get(f"/customers/me/store_credits/{credit.public_id}")

    assert (response.status_code, response.json()) == (404, CREDIT_NOT_FOUND)
    assert other_api.get("/customers/me/store_credits").json()["data"] == []


def test_the_owner_sees_their_credit(customer_api, customer):
    credit = _grant(customer, "20")

    response = customer_api.get(f"/customers/me/store_credits/{credit.public_id}")

    assert response.status_code == 200
    assert response.json()["id"] == credit.public_id


# --- on a cart -----------------------------------------------------------------------------


def test_applying_without_an_amount_covers_the_cart(customer_api, customer, shop):
    _grant(customer, "100")
    cart = ready_cart(customer_api, shop["variant"])

    response = customer_api.post(f"/carts/{cart['id']}/store_credits")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["total"], body["store_credit_total"], body["amount_due"]) == (
        "55.00",
        "55.00",
        "0.00",
    )
    assert body["display_store_credit_total"] == "$55.00"
    assert body["covered_by_store_credit"] is True
    assert body["current_step"] == "complete"
    [payment] = body["payments"]
    assert (payment["source_type"], payment["amount"], payment["status"]) == (
        "store_credit",
        "55.00",
        "checkout",
    )
    assert payment["source_id"].startswith("credit_")


def test_applying_an_explicit_amount(customer_api, customer, shop):
    _grant(customer, "100")
    cart = ready_cart(customer_api, shop["variant"])

    response = customer_api.post(f"/carts/{cart['id']}/store_credits", {"amount": 10})

    assert response.status_code == 200
    body = response.json()
    assert (body["store_credit_total"], body["amount_due"], body["total"]) == (
        "10.00",
        "45.00",
        "55.00",
    )
    assert body["covered_by_store_credit"] is False
    assert body["current_step"] == "payment"


def test_applying_more_than_the_balance_takes_the_balance(customer_api, customer, shop):
    _grant(customer, "20")
    cart = ready_cart(customer_api, shop["variant"])

    body = customer_api.post(f"/carts/{cart['id']}/store_credits", {"amount": "50"}).json()

    assert (body["store_credit_total"], body["amount_due"]) == ("20.00", "35.00")


def test_several_credits_are_spent_oldest_first(customer_api, customer, shop):
    older = _grant(customer, "10")
    newer = _grant(customer, "100")
    cart = ready_cart(customer_api, shop["variant"])

    body = customer_api.post(f"/carts/{cart['id']}/store_credits").json()

    assert [(p["source_id"], p["amount"]) for p in body["payments"]] == [
        (older.public_id, "10.00"),
        (newer.public_id, "45.00"),
    ]
    assert body["store_credit_total"] == "55.00"


def test_applying_again_replaces_the_earlier_amount(customer_api, customer, shop):
    _grant(customer, "100")
    cart = ready_cart(customer_api, shop["variant"])
    customer_api.post(f"/carts/{cart['id']}/store_credits", {"amount": 10})

    body = customer_api.post(f"/carts/{cart['id']}/store_credits", {"amount": 15}).json()

    assert body["store_credit_total"] == "15.00"
    assert len(body["payments"]) == 1


@pytest.mark.parametrize(
    "setup",
    ["none", "other currency", "used up", "another customers"],
)
def test_no_credit_available_is_a_processing_error(
    customer_api, customer, other_customer, shop, setup
):
    if setup == "other currency":
        _grant(customer, "20", currency="EUR")
    elif setup == "used up":
        credit = _grant(customer, "20")
        StoreCredit.objects.filter(pk=credit.pk).update(amount_used=Decimal("20"))
    elif setup == "another customers":
        _grant(other_customer, "20")
    cart = ready_cart(customer_api, shop["variant"])

    response = customer_api.post(f"/carts/{cart['id']}/store_credits")

    assert (response.status_code, response.json()) == (422, NO_STORE_CREDIT)
    assert not Payment.objects.filter(source_type="store_credit").exists()
    assert order_of(cart).store_credit_total == Decimal("0")


@pytest.mark.parametrize("amount", ["lots", -5, 0, [10]])
def test_a_bad_amount_is_a_validation_error(customer_api, customer, shop, amount):
    _grant(customer, "20")
    cart = ready_cart(customer_api, shop["variant"])

    response = customer_api.post(f"/carts/{cart['id']}/store_credits", {"amount": amount})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert not Payment.objects.exists()


def test_applying_and_removing_need_a_jwt(api, customer, shop):
    _grant(customer, "20")
    cart = ready_cart(api, shop["variant"], email="guest@example.com")

    post = api.post(f"/carts/{cart['id']}/store_credits", **token_of(cart))
    delete = api.delete(f"/carts/{cart['id']}/store_credits", **token_of(cart))

    assert (post.status_code, post.json()) == (401, NOT_AUTHENTICATED)
    assert (delete.status_code, delete.json()) == (401, NOT_AUTHENTICATED)


def test_another_customer_holding_the_cart_token_spends_no_credit_on_it(
    customer_api, customer, other_api, other_customer, shop
):
    credit = _grant(other_customer, "100")
    owners = _grant(customer, "100")
    cart = ready_cart(customer_api, shop["variant"])

    response = other_api.post(f"/carts/{cart['id']}/store_credits", **token_of(cart))

    assert (response.status_code, response.json()) == (422, NO_STORE_CREDIT)
    assert not Payment.objects.exists()
    assert balances(credit) == (Decimal("100"), Decimal("0"), Decimal("0"))
    assert balances(owners) == (Decimal("100"), Decimal("0"), Decimal("0"))


def test_a_signed_in_customer_cannot_spend_credit_on_a_guest_cart(
    api, customer_api, customer, shop
):
    _grant(customer, "100")
    cart = ready_cart(api, shop["variant"], email="guest@example.com")

    response = customer_api.post(f"/carts/{cart['id']}/store_credits", **token_of(cart))

    assert (response.status_code, response.json()) == (422, NO_STORE_CREDIT)
    assert not Payment.objects.exists()


def test_another_customer_without_the_token_is_denied(
    customer_api, other_api, other_customer, shop
):
    _grant(other_customer, "100")
    cart = ready_cart(customer_api, shop["variant"])

    response = other_api.post(f"/carts/{cart['id']}/store_credits")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "access_denied"
    assert not Payment.objects.exists()


def test_removing_takes_the_credit_off(customer_api, customer, shop):
    _grant(customer, "100")
    cart = ready_cart(customer_api, shop["variant"])
    customer_api.post(f"/carts/{cart['id']}/store_credits")

    response = customer_api.delete(f"/carts/{cart['id']}/store_credits")

    assert response.status_code == 200
    body = response.json()
    assert (body["store_credit_total"], body["amount_due"], body["payments"]) == (
        "0.00",
        "55.00",
        [],
    )
    assert body["covered_by_store_credit"] is False
    assert not Payment.objects.exists()


def test_removing_nothing_is_fine(customer_api, shop):
    cart = ready_cart(customer_api, shop["variant"])

    response = customer_api.delete(f"/carts/{cart['id']}/store_credits")

    assert response.status_code == 200
    assert response.json()["store_credit_total"] == "0.00"


def test_the_credit_follows_the_cart_total(customer_api, customer, shop):
    _grant(customer, "100")
    cart = ready_cart(customer_api, shop["variant"])
    body = customer_api.post(f"/carts/{cart['id']}/store_credits").json()
    item_id = body["items"][0]["id"]

    smaller = customer_api.patch(f"/carts/{cart['id']}/items/{item_id}", {"quantity": 1}).json()

    assert (smaller["total"], smaller["store_credit_total"], smaller["amount_due"]) == (
        "17.50",
        "17.50",
        "0.00",
    )
    larger = customer_api.patch(f"/carts/{cart['id']}/items/{item_id}", {"quantity": 4}).json()
    assert (larger["store_credit_total"], larger["amount_due"]) == ("55.00", "0.00")


# --- completion ----------------------------------------------------------------------------


def test_completing_captures_the_credit_and_writes_the_ledger(customer_api, customer, shop):
    credit = _grant(customer, "100")
    cart = ready_cart(customer_api, shop["variant"])
    customer_api.post(f"/carts/{cart['id']}/store_credits")

    response = customer_api.post(f"/carts/{cart['id']}/complete")

    assert response.status_code == 200, response.json()
    order = response.json()
    assert (order["payment_status"], order["store_credit_total"], order["amount_due"]) == (
        "paid",
        "55.00",
        "0.00",
    )
    assert order["payments"][0]["status"] == "completed"
    assert balances(credit) == (Decimal("100.00"), Decimal("55.00"), Decimal("0.00"))
    capture = StoreCreditEvent.objects.get(store_credit=credit, action="capture")
    assert (capture.amount, capture.balance_after, capture.order_id) == (
        Decimal("55.00"),
        Decimal("45.00"),
        order_of(cart).pk,
    )
    assert list(
        StoreCreditEvent.objects.filter(store_credit=credit).values_list("action", flat=True)
    ) == ["allocation", "capture"]
    assert customer_api.get("/customers/me").json()["available_store_credit_total"] == "45.00"
    listed = customer_api.get("/customers/me/store_credits").json()["data"]
    assert (listed[0]["amount_used"], listed[0]["amount_remaining"]) == ("55.00", "45.00")


def test_partial_credit_and_a_check_payment(customer_api, customer, shop):
    credit = _grant(customer, "10")
    cart = ready_cart(customer_api, shop["variant"])
    customer_api.post(f"/carts/{cart['id']}/store_credits")
    check = customer_api.post(
        f"/carts/{cart['id']}/payments", {"payment_method_id": shop["check"].public_id}
    ).json()
    assert check["amount"] == "45.00"

    order = customer_api.post(f"/carts/{cart['id']}/complete").json()

    assert order["payment_status"] == "balance_due"
    statuses = {p["source_type"]: p["status"] for p in order["payments"]}
    assert statuses == {"store_credit": "completed", None: "pending"}
    assert balances(credit)[1] == Decimal("10.00")


def test_a_credit_lowered_before_completion_stops_the_checkout(customer_api, customer, shop):
    credit = _grant(customer, "100")
    cart = ready_cart(customer_api, shop["variant"])
    customer_api.post(f"/carts/{cart['id']}/store_credits")
    store_credit_adjust(store_credit=credit, amount=Decimal("30"), reason="Correction")
    stock_before = StockItem.objects.get(variant=shop["variant"]).count_on_hand

    response = customer_api.post(f"/carts/{cart['id']}/complete")

    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "cart_cannot_complete",
        "message": "A store credit or gift card balance changed; please review your payment",
    }
    assert order_of(cart).state == "cart"
    assert balances(credit) == (Decimal("30.00"), Decimal("0.00"), Decimal("0.00"))
    assert StockItem.objects.get(variant=shop["variant"]).count_on_hand == stock_before
    assert not StoreCreditEvent.objects.filter(action="capture").exists()


# --- staff ---------------------------------------------------------------------------------


def test_grant_store_credit_command(customer, capsys):
    call_command("grant_store_credit", "ADA@example.com", "12.50", "--memo", "Sorry")

    credit = StoreCredit.objects.get(user=customer)
    assert (credit.amount, credit.currency, credit.memo, credit.category.name) == (
        Decimal("12.50"),
        "USD",
        "Sorry",
        "Goodwill",
    )
    event = StoreCreditEvent.objects.get(store_credit=credit)
    assert (event.action, event.amount, event.balance_after) == (
        "allocation",
        Decimal("12.50"),
        Decimal("12.50"),
    )
    assert capsys.readouterr().out.strip() == f"Granted 12.50 USD ({credit.public_id})"


def test_grant_store_credit_command_in_another_currency(customer):
    call_command("grant_store_credit", "ada@example.com", "5", "--currency", "eur")

    assert StoreCredit.objects.get(user=customer).currency == "EUR"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody@example.com", "10"], "No customer with email nobody@example.com"),
        (["ada@example.com", "ten"], "Not an amount: ten"),
        (["ada@example.com", "-1"], None),
        (["ada@example.com", "0"], None),
    ],
)
def test_grant_store_credit_command_refuses_bad_input(customer, args, message):
    with pytest.raises(CommandError) as error:
        call_command("grant_store_credit", *args)

    if message:
        assert str(error.value) == message
    assert not StoreCredit.objects.exists()


@pytest.fixture
def staff(db):
    superuser = User.objects.create_superuser("staff@example.com", "staff password 1")
    client = Client()
    client.force_login(superuser)
    return client, superuser


def test_admin_grants_through_the_ledger(staff, customer):
    client, superuser = staff
    category = StoreCreditCategory.objects.create(name="Refund")

    response = client.post(
        "/admin/payments/storecredit/add/",
        {
            "user": customer.pk,
            "category": category.pk,
            "currency": "USD",
            "amount": "25.00",
            "memo": "Late delivery",
            "adjustment_reason": "",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    credit = StoreCredit.objects.get(user=customer)
    assert (credit.amount, credit.created_by, credit.category) == (
        Decimal("25.00"),
        superuser,
        category,
    )
    event = StoreCreditEvent.objects.get(store_credit=credit)
    assert (event.action, event.amount, event.created_by, event.reason) == (
        "allocation",
        Decimal("25.00"),
        superuser,
        "Late delivery",
    )


def _change(client, credit, amount, reason=""):
    events = list(credit.events.all())
    data = {
        "category": credit.category_id,
        "amount": amount,
        "memo": credit.memo,
        "adjustment_reason": reason,
        "events-TOTAL_FORMS": str(len(events)),
        "events-INITIAL_FORMS": str(len(events)),
    }
    for index, event in enumerate(events):
        data[f"events-{index}-id"] = str(event.pk)
        data[f"events-{index}-store_credit"] = str(credit.pk)
    return client.post(f"/admin/payments/storecredit/{credit.pk}/change/", data)


def test_admin_adjusts_through_the_ledger(staff, customer):
    client, superuser = staff
    credit = _grant(customer, "20")

    response = _change(client, credit, "35.00", "Goodwill top-up")

    assert response.status_code == 302, response.content.decode()[:2000]
    credit.refresh_from_db()
    assert credit.amount == Decimal("35.00")
    adjustment = StoreCreditEvent.objects.get(store_credit=credit, action="adjustment")
    assert (adjustment.amount, adjustment.balance_after, adjustment.reason) == (
        Decimal("15.00"),
        Decimal("35.00"),
        "Goodwill top-up",
    )
    assert adjustment.created_by == superuser


def test_admin_cannot_adjust_below_what_is_used(staff, customer):
    client, _ = staff
    credit = _grant(customer, "20")
    StoreCredit.objects.filter(pk=credit.pk).update(amount_used=Decimal("15"))
    credit.refresh_from_db()

    response = _change(client, credit, "10.00", "Too low")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "amount": ["Can't be less than the amount already used."]
    }
    credit.refresh_from_db()
    assert credit.amount == Decimal("20.00")
    assert not StoreCreditEvent.objects.filter(action="adjustment").exists()


def test_admin_adjustment_needs_a_reason(staff, customer):
    client, _ = staff
    credit = _grant(customer, "20")

    response = _change(client, credit, "30.00", "")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "adjustment_reason": ["Say why the amount changes."]
    }
    assert balances(credit)[0] == Decimal("20.00")
    assert not StoreCreditEvent.objects.filter(action="adjustment").exists()


def test_admin_changes_the_memo_without_a_ledger_event(staff, customer):
    client, _ = staff
    credit = _grant(customer, "20", memo="Old")
    credit.memo = "New memo"

    response = _change(client, credit, "20.00")

    assert response.status_code == 302
    credit.refresh_from_db()
    assert (credit.memo, credit.amount) == ("New memo", Decimal("20.00"))
    assert list(credit.events.values_list("action", flat=True)) == ["allocation"]


@pytest.mark.parametrize("amount", ["0", "-5"])
def test_admin_cannot_grant_nothing(staff, customer, amount):
    client, _ = staff
    category = StoreCreditCategory.objects.create(name="Refund")

    response = client.post(
        "/admin/payments/storecredit/add/",
        {
            "user": customer.pk,
            "category": category.pk,
            "currency": "USD",
            "amount": amount,
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"amount": ["Must be greater than 0."]}
    assert not StoreCredit.objects.exists()


def test_adjusting_below_what_is_used_is_refused(customer):
    credit = _grant(customer, "20")
    StoreCredit.objects.filter(pk=credit.pk).update(amount_used=Decimal("15"))

    from storeapi.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        store_credit_adjust(store_credit=credit, amount=Decimal("10"), reason="x")
    assert balances(credit) == (Decimal("20.00"), Decimal("15.00"), Decimal("0.00"))
