"""Storefront pages of payments: saved cards and payment sources (delete, choose the default)
and the balances of store credit and gift cards. The same selectors and services as the Store
API; another customer's card or source is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from payments import selectors
from payments.services import saved
from storeapi.http import request_currency
from storeapi.pages import not_found_as_404


def _card_name(card) -> str:
    return f"{card.brand.capitalize()} ending {card.last4}"


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


@login_required
@require_POST
def card_delete(request: HttpRequest, card_id: str) -> HttpResponse:
    with not_found_as_404():
        card = selectors.credit_card_get_for_customer(user=request.user, public_id=card_id)
    saved.credit_card_delete(user=request.user, card=card)
    messages.success(request, f"The card {_card_name(card)} has been removed.")
    return redirect("payments:payment_methods")


@login_required
@require_POST
def card_make_default(request: HttpRequest, card_id: str) -> HttpResponse:
    with not_found_as_404():
        card = selectors.credit_card_get_for_customer(user=request.user, public_id=card_id)
    saved.credit_card_make_default(user=request.user, card=card)
    messages.success(request, f"The card {_card_name(card)} is now your default card.")
    return redirect("payments:payment_methods")


@login_required
@require_POST
def source_delete(request: HttpRequest, source_id: str) -> HttpResponse:
    with not_found_as_404():
        source = selectors.payment_source_get_for_customer(user=request.user, public_id=source_id)
    saved.payment_source_delete(user=request.user, source=source)
    messages.success(request, f"{source.label} has been removed.")
    return redirect("payments:payment_methods")


@login_required
@require_POST
def source_make_default(request: HttpRequest, source_id: str) -> HttpResponse:
    with not_found_as_404():
        source = selectors.payment_source_get_for_customer(user=request.user, public_id=source_id)
    saved.payment_source_make_default(user=request.user, source=source)
    messages.success(request, f"{source.label} is now your default payment source.")
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
