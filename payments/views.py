"""Storefront pages of payments: saved cards and payment sources (delete, choose the default)
and the balances of store credit and gift cards. The same selectors and services as the Store
API; another customer's card or source is a 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from payments import selectors
from payments.models import CreditCard, PaymentSource
from payments.services import saved
from storeapi.http import request_currency
from storeapi.pages import not_found_as_404


@dataclass(frozen=True)
class SavedKind:
    """How the pages find one kind of saved payment method and name it in their messages."""

    lookup: Callable[..., CreditCard | PaymentSource]
    name: Callable[[Any], str]
    noun: str


#: The `kind` the payment-method URLs pass.
SAVED_KINDS = {
    "card": SavedKind(
        lookup=selectors.credit_card_get_for_customer,
        name=lambda card: f"The card {card.brand.capitalize()} ending {card.last4}",
        noun="card",
    ),
    "source": SavedKind(
        lookup=selectors.payment_source_get_for_customer,
        name=lambda source: source.label,
        noun="payment source",
    ),
}


@login_required
def payment_methods(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "payments/payment_methods.html",
        {
            "cards": selectors.credit_cards_for_customer(user=request.user),
            "sources": selectors.payment_sources_for_customer(user=request.user),
        },
    )


def _saved_method(request: HttpRequest, kind: str, method_id: str) -> CreditCard | PaymentSource:
    with not_found_as_404():
        return SAVED_KINDS[kind].lookup(user=request.user, public_id=method_id)


@login_required
@require_POST
def saved_method_delete(request: HttpRequest, kind: str, method_id: str) -> HttpResponse:
    method = _saved_method(request, kind, method_id)
    saved.saved_method_delete(user=request.user, method=method)
    messages.success(request, f"{SAVED_KINDS[kind].name(method)} has been removed.")
    return redirect("payments:payment_methods")


@login_required
@require_POST
def saved_method_make_default(request: HttpRequest, kind: str, method_id: str) -> HttpResponse:
    method = _saved_method(request, kind, method_id)
    saved.saved_method_make_default(user=request.user, method=method)
    name, noun = SAVED_KINDS[kind].name(method), SAVED_KINDS[kind].noun
    messages.success(request, f"{name} is now your default {noun}.")
    return redirect("payments:payment_methods")


@login_required
def balances(request: HttpRequest) -> HttpResponse:
    """Store credit in the shopper's currency (as the API lists it) and gift cards."""
    currency = request_currency(request)
    return render(
        request,
        "payments/balances.html",
        {
            "currency": currency,
            "store_credits": selectors.store_credits_for_customer(
                user=request.user, currency=currency
            ),
            "store_credit_total": selectors.store_credit_available_total(
                user=request.user, currency=currency
            ),
            "gift_cards": selectors.gift_cards_for_customer(user=request.user),
        },
    )
