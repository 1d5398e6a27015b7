"""The checkout steps: address → delivery → payment → review → complete.

Which step a shopper may open comes from the cart's requirements (orders.services.checkout):
a later step than the first unmet one sends them back to it with the reason. Every write goes
through the same services as the Store API's cart routes."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from customers.forms import ADDRESS_ERROR_FIELDS, AddressForm, states_by_country
from customers.selectors import addresses_for_customer, countries_served
from orders.errors import CartCannotComplete
from orders.forms import (
    NEW_ADDRESS,
    CheckoutAddressForm,
    DeliveryForm,
    GiftCardForm,
    PaymentForm,
    brand_name,
)
from orders.models import Order
from orders.selectors import cart_for_storefront
from orders.services import carts as cart_services
from orders.services import checkout as checkout_services
from orders.views.shared import shopper, storefront_cart
from payments import selectors as payment_selectors
from payments.errors import GatewayError
from payments.gateways import bogus
from payments.models import Payment, PaymentMethod
from payments.services import balances, payment_create, sessions
from storeapi.errors import ApiError, NotFound, ValidationFailed
from storeapi.money import display_money
from storeapi.pages import show_service_errors

STEPS = ("address", "delivery", "payment", "complete")
STEP_PAGES = {
    "address": "cart:checkout_address",
    "delivery": "cart:checkout_delivery",
    "payment": "cart:checkout_payment",
    "complete": "cart:checkout_review",
}
#: Payment methods these pages can take (a wallet needs its own approval page).
PAGE_PROVIDERS = (PaymentMethod.CHECK, PaymentMethod.BOGUS)
CREDIT_SOURCES = ("store_credit", "gift_card")


def checkout_step(step: str) -> Callable:
    """Open `step` for this shopper's cart: an empty cart goes back to the cart page, a step
    whose earlier steps are unfinished goes to the first unfinished one."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated and not settings.GUEST_CHECKOUT_ENABLED:
                return redirect_to_login(request.get_full_path())
            cart = storefront_cart(request)
            if cart is None or not cart.line_items.all():
                messages.info(request, "Your cart is empty.")
                return redirect("cart:detail")
            missing = checkout_services.cart_requirements(cart)
            current = checkout_services.current_step(missing)
            if STEPS.index(step) > STEPS.index(current):
                reason = next((r.message for r in missing if r.step == current), None)
                if reason:
                    messages.info(request, f"{reason}.")
                return redirect(STEP_PAGES[current])
            context = {"cart": cart, "step": step, "steps_done": STEPS[: STEPS.index(current)]}
            return view(request, cart, context, *args, **kwargs)

        return wrapper

    return decorate


# --- address ---------------------------------------------------------------------------------


@checkout_step("address")
def checkout_address(request: HttpRequest, cart: Order, context: dict) -> HttpResponse:
    user = shopper(request)
    saved = list(addresses_for_customer(user=user)) if user else []
    saved_ids = {a.pk for a in saved}
    countries = list(countries_served().values_list("iso", "name"))
    ship, bill = cart.ship_address, cart.bill_address
    data = request.POST if request.method == "POST" else None
    choice = CheckoutAddressForm(
        data,
        saved=saved,
        is_guest=user is None,
        initial={
            "email": cart.email,
            "use_shipping": bill is None or bill.pk == getattr(ship, "pk", None),
            "ship_choice": ship.public_id if ship and ship.pk in saved_ids else NEW_ADDRESS,
            "bill_choice": bill.public_id if bill and bill.pk in saved_ids else NEW_ADDRESS,
        },
    )
    ship_form = AddressForm(
        data,
        prefix="ship",
        countries=countries,
        initial=AddressForm.initial_from(ship) if ship and ship.pk not in saved_ids else {},
    )
    bill_form = AddressForm(
        data,
        prefix="bill",
        countries=countries,
        initial=AddressForm.initial_from(bill) if bill and bill.pk not in saved_ids else {},
    )
    status = 200
    if data is not None:
        if all([choice.is_valid(), ship_form.is_valid(), bill_form.is_valid()]):
            try:
                cart_services.cart_update(
                    cart=cart, user=user, data=_address_update(choice, ship_form, bill_form)
                )
            except ValidationFailed as error:
                show_service_errors(
                    choice,
                    error,
                    ADDRESS_ERROR_FIELDS,
                    nested={"shipping_address": ship_form, "billing_address": bill_form},
                )
            except NotFound:
                choice.add_error(None, "That address is no longer in your address book.")
            else:
                return redirect("cart:checkout_delivery")
        messages.error(request, "Please correct the errors below.")
        status = 422
    context.update(
        choice=choice,
        ship_form=ship_form,
        bill_form=bill_form,
        saved=saved,
        states=states_by_country(countries),
    )
    return render(request, "orders/checkout_address.html", context, status=status)


def _address_update(
    choice: CheckoutAddressForm, ship_form: AddressForm, bill_form: AddressForm
) -> dict[str, Any]:
    """The body `cart_update` takes, as the Store API's PATCH /carts/:id."""
    data: dict[str, Any] = {}
    if "email" in choice.fields:
        data["email"] = choice.cleaned_data["email"]
    if ship_id := choice.ship_to_saved():
        data["shipping_address_id"] = ship_id
    else:
        data["shipping_address"] = ship_form.service_data()
    if choice.cleaned_data["use_shipping"]:
        data["use_shipping"] = True
    elif bill_id := choice.bill_to_saved():
        data["billing_address_id"] = bill_id
    else:
        data["billing_address"] = bill_form.service_data()
    return data


# --- delivery --------------------------------------------------------------------------------


@checkout_step("delivery")
def checkout_delivery(request: HttpRequest, cart: Order, context: dict) -> HttpResponse:
    fulfillments = list(cart.fulfillments.all())
    deliverable = bool(fulfillments) and all(f.delivery_rates.all() for f in fulfillments)
    labels = {
        rate.public_id: f"{rate.delivery_method.name} — "
        + (display_money(rate.cost, cart.currency) if rate.cost else "Free")
        for fulfillment in fulfillments
        for rate in fulfillment.delivery_rates.all()
    }
    data = request.POST if request.method == "POST" else None
    form = DeliveryForm(data, fulfillments=fulfillments, labels=labels)
    status = 200
    if data is not None and deliverable:
        if form.is_valid():
            selected = {
                f.public_id: next((r.public_id for r in f.delivery_rates.all() if r.selected), None)
                for f in fulfillments
            }
            try:
                for fulfillment_id, rate_id in form.choices().items():
                    if selected.get(fulfillment_id) != rate_id:
                        checkout_services.fulfillment_select_rate(
                            cart=cart, fulfillment_id=fulfillment_id, rate_id=rate_id
                        )
            except NotFound as error:
                form.add_error(None, f"{error.message}.")
            else:
                return redirect("cart:checkout_payment")
        messages.error(request, "Please choose how your order is delivered.")
        status = 422
    context.update(form=form, deliverable=deliverable, fulfillments=fulfillments)
    return render(request, "orders/checkout_delivery.html", context, status=status)


# --- payment ---------------------------------------------------------------------------------


def _test_cards() -> list[tuple[str, str]]:
    """The test card gateway's tokens, as a shopper picks a card on this test shop."""
    approved = [
        (token, f"{brand_name(brand)} ending {last4} (approved)")
        for token, (brand, last4) in bogus.CARDS.items()
    ]
    declined = [(token, f"Declined: {reason}") for token, reason in bogus.DECLINES.items()]
    return approved + declined


def _payment_context(request: HttpRequest, cart: Order, user) -> dict[str, Any]:
    methods = [
        m
        for m in payment_selectors.payment_methods_list(order=cart)
        if m.provider in PAGE_PROVIDERS
    ]
    card_methods = {m.public_id for m in methods if m.provider == PaymentMethod.BOGUS}
    saved_cards = (
        [
            card
            for card in payment_selectors.credit_cards_for_customer(user=user)
            if card.payment_method.public_id in card_methods
        ]
        if user and card_methods
        else []
    )
    payments = [p for p in cart.payments.all() if p.state in Payment.VALID_STATES]
    return {
        "methods": methods,
        "card_methods": card_methods,
        "saved_cards": saved_cards,
        "gift_card_payment": next((p for p in payments if p.source_type == "gift_card"), None),
        "store_credit_payments": [p for p in payments if p.source_type == "store_credit"],
        "payment": next((p for p in payments if p.source_type not in CREDIT_SOURCES), None),
        "store_credit_available": (
            payment_selectors.store_credit_available_total(user=user, currency=cart.currency)
            if user
            else None
        ),
    }


@checkout_step("payment")
def checkout_payment(request: HttpRequest, cart: Order, context: dict) -> HttpResponse:
    user = shopper(request)
    context.update(_payment_context(request, cart, user))
    action = request.POST.get("action") if request.method == "POST" else None
    pay_data = request.POST if action == "pay" else None
    gift_data = request.POST if action == "gift_card" else None
    pay_form = PaymentForm(
        pay_data,
        methods=context["methods"],
        card_methods=context["card_methods"],
        test_cards=_test_cards(),
        saved_cards=context["saved_cards"],
        is_guest=user is None,
    )
    gift_form = GiftCardForm(gift_data)
    status = 200
    if action == "pay":
        if cart.amount_due <= 0:
            return redirect("cart:checkout_review")
        if pay_form.is_valid() and _pay(cart, pay_form):
            messages.success(request, "Your payment method is saved. Please review your order.")
            return redirect("cart:checkout_review")
        messages.error(request, "The payment was not accepted.")
        status = 422
    elif action == "gift_card":
        if gift_form.is_valid():
            try:
                balances.gift_card_apply(cart=cart, code=gift_form.cleaned_data["code"])
            except ApiError as error:
                gift_form.add_error("code", f"{error.message.rstrip('.')}.")
            else:
                messages.success(request, "Your gift card is applied.")
                return redirect("cart:checkout_payment")
        messages.error(request, "The gift card could not be applied.")
        status = 422
    elif action == "remove_gift_card":
        balances.gift_card_remove(cart=cart)
        messages.success(request, "The gift card was removed.")
        return redirect("cart:checkout_payment")
    elif action == "store_credit" and user is not None:
        try:
            balances.store_credit_apply(cart=cart, user=user)
        except ApiError as error:
            messages.error(request, f"{error.message.rstrip('.')}.")
        else:
            messages.success(request, "Your store credit is applied.")
        return redirect("cart:checkout_payment")
    elif action == "remove_store_credit" and user is not None:
        balances.store_credit_remove(cart=cart)
        messages.success(request, "Your store credit is no longer used on this order.")
        return redirect("cart:checkout_payment")
    elif action is not None:
        messages.error(request, "Please choose a way to pay.")
        status = 400
    context.update(pay_form=pay_form, gift_form=gift_form, test_cards=_test_cards())
    return render(request, "orders/checkout_payment.html", context, status=status)


def _pay(cart: Order, form: PaymentForm) -> bool:
    """Check: a payment collected later (payment_create). Test card: a gateway session
    charged at once with the chosen test token or saved card (payment_session_create and
    _complete). A refusal is shown next to the field and records no payment."""
    method_id = form.cleaned_data["method"]
    try:
        if method_id not in form.card_methods:
            payment_create(order=cart, payment_method_id=method_id)
            return True
        saved_id = form.saved_card_id()
        external = (
            {"credit_card_id": saved_id} if saved_id else {"token": form.cleaned_data["card_token"]}
        )
        if form.cleaned_data.get("save_card") and not saved_id:
            external["save_card"] = True
        session = sessions.payment_session_create(cart=cart, payment_method_id=method_id)
        sessions.payment_session_complete(session=session, external_data=external)
    except GatewayError as error:
        form.add_error("saved_card" if form.saved_card_id() else "card_token", error.message)
        return False
    except ApiError as error:
        form.add_error(None, f"{error.message.rstrip('.')}.")
        return False
    return True


# --- review and completion -------------------------------------------------------------------


@checkout_step("complete")
def checkout_review(request: HttpRequest, cart: Order, context: dict) -> HttpResponse:
    context["payments"] = [p for p in cart.payments.all() if p.state in Payment.VALID_STATES]
    return render(request, "orders/checkout_review.html", context)


@require_POST
def checkout_complete(request: HttpRequest) -> HttpResponse:
    """Place the order (cart_complete); then its confirmation page. A refusal says why."""
    if not request.user.is_authenticated and not settings.GUEST_CHECKOUT_ENABLED:
        return redirect_to_login(reverse("cart:checkout_review"))
    # No sweep here: an item gone since the review refuses the order instead of changing it.
    cart = cart_for_storefront(user=shopper(request), token=request.cart_token)
    if cart is None or not cart.line_items.all():
        messages.info(request, "Your cart is empty.")
        return redirect("cart:detail")
    try:
        order = checkout_services.cart_complete(cart=cart)
    except CartCannotComplete as error:
        messages.error(request, f"Your order was not placed: {error.message.rstrip('.')}.")
        return redirect("cart:checkout_review")
    messages.success(request, f"Thank you! Your order {order.number} is placed.")
    return redirect("orders:confirmation", order_id=order.order_id)
