"""Storefront pages of customers: the address book, the order history, the data export and
closing the account. They call the same selectors and services as the Store API; another
customer's address or order is a 404, exactly as on the API."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.browser_sessions import browser_sign_out
from accounts.errors import CurrentPasswordInvalid
from customers import selectors, services
from customers.forms import (
    ADDRESS_ERROR_FIELDS,
    AddressBookForm,
    CloseAccountForm,
    states_by_country,
)
from customers.models import Address
from storeapi.pages import not_found_as_404, save_form

ORDERS_PER_PAGE = 10
DEFAULT_KINDS = {"shipping": "is_default_shipping", "billing": "is_default_billing"}


# --- addresses -------------------------------------------------------------------------------


@login_required
def addresses(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "customers/addresses.html",
        {"addresses": selectors.addresses_for_customer(user=request.user)},
    )


def _address_form_page(request: HttpRequest, form: AddressBookForm, address=None) -> HttpResponse:
    return render(
        request,
        "customers/address_form.html",
        {"form": form, "address": address, "states": states_by_country(form.countries)},
    )


def _save_address(request: HttpRequest, form: AddressBookForm, address=None) -> bool:
    """Create or update through the service; its validation errors go next to the fields."""

    def save() -> Address:
        if address is None:
            return services.address_create(user=request.user, data=form.service_data())
        return services.address_update(user=request.user, address=address, data=form.service_data())

    return save_form(form, save, ADDRESS_ERROR_FIELDS) is not None


@login_required
def address_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and "refresh" not in request.POST:
        form = AddressBookForm(request.POST)
        if _save_address(request, form):
            messages.success(request, "The address has been added.")
            return redirect("customers:addresses")
        messages.error(request, "The address was not saved. Please correct the errors below.")
    elif request.method == "POST":  # without JavaScript: show the states of the chosen country
        form = AddressBookForm(initial=request.POST.dict())
    else:
        form = AddressBookForm()
    return _address_form_page(request, form)


@login_required
def address_edit(request: HttpRequest, address_id: str) -> HttpResponse:
    with not_found_as_404():
        address = selectors.address_get_for_customer(user=request.user, public_id=address_id)
        if request.method == "POST" and "refresh" not in request.POST:
            form = AddressBookForm(request.POST)
            if _save_address(request, form, address):
                messages.success(request, "The address has been saved.")
                return redirect("customers:addresses")
            messages.error(request, "The address was not saved. Please correct the errors below.")
        elif request.method == "POST":
            form = AddressBookForm(initial=request.POST.dict())
        else:
            form = AddressBookForm(initial=AddressBookForm.initial_from(address))
    return _address_form_page(request, form, address)


@login_required
@require_POST
def address_delete(request: HttpRequest, address_id: str) -> HttpResponse:
    with not_found_as_404():
        address = selectors.address_get_for_customer(user=request.user, public_id=address_id)
        services.address_delete(user=request.user, address=address)
    messages.success(request, "The address has been deleted.")
    return redirect("customers:addresses")


@login_required
@require_POST
def address_make_default(request: HttpRequest, address_id: str) -> HttpResponse:
    flag = DEFAULT_KINDS.get(request.POST.get("kind", ""))
    with not_found_as_404():
        address = selectors.address_get_for_customer(user=request.user, public_id=address_id)
        if flag is None:
            messages.error(request, "Choose whether this is your shipping or billing address.")
            return redirect("customers:addresses")
        services.address_update(user=request.user, address=address, data={flag: True})
    kind = "shipping" if flag == "is_default_shipping" else "billing"
    messages.success(request, f"Your default {kind} address has been changed.")
    return redirect("customers:addresses")


# --- orders ----------------------------------------------------------------------------------


@login_required
def orders(request: HttpRequest) -> HttpResponse:
    from orders.selectors import orders_for_customer

    paginator = Paginator(orders_for_customer(user=request.user), ORDERS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "customers/orders.html", {"page": page})


@login_required
def order_detail(request: HttpRequest, order_id: str) -> HttpResponse:
    from orders.selectors import order_get_for_customer
    from payments.models import Payment

    with not_found_as_404():
        order = order_get_for_customer(user=request.user, public_id=order_id)
    payments = [p for p in order.payments.all() if p.state in Payment.VALID_STATES]
    return render(request, "customers/order_detail.html", {"order": order, "payments": payments})


# --- personal data and closing ---------------------------------------------------------------


@login_required
def data(request: HttpRequest) -> HttpResponse:
    return render(request, "customers/data.html")


@login_required
def data_download(request: HttpRequest) -> HttpResponse:
    """Everything we hold about the customer (customers.selectors.customer_export) as a JSON
    file to keep."""
    document = selectors.customer_export(user=request.user)
    response = HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"my-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def close(request: HttpRequest) -> HttpResponse:
    from orders.middleware import CART_COOKIE

    form = CloseAccountForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.customer_close(
                    user=request.user, current_password=form.cleaned_data["current_password"]
                )
            except CurrentPasswordInvalid:
                form.add_error("current_password", "Current password is incorrect.")
            else:
                browser_sign_out(request)
                messages.success(request, "Your account has been closed. Goodbye!")
                response = redirect("/")
                response.delete_cookie(CART_COOKIE)
                return response
        messages.error(request, "Your account was not closed. Please correct the errors below.")
    return render(request, "customers/close.html", {"form": form})
