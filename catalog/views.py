"""Storefront pages of the catalog: the home page, the product list (search, sort, pages) and
the product page (variant choice, price, stock, add to cart). Products come from the same
selectors as the Store API; adding to the cart goes through the cart services."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from catalog import selectors
from catalog.errors import InsufficientStock, ProductNotFound
from catalog.forms import AddToCartForm, ProductSearchForm
from catalog.models import Price, Product, Variant
from orders.errors import InvalidQuantity
from orders.selectors import cart_for_storefront
from orders.services.carts import cart_create, cart_item_add
from storeapi.errors import ApiError, NotFound
from storeapi.http import request_currency

PRODUCTS_PER_PAGE = 12
HOME_PRODUCTS = 8


@dataclass(frozen=True)
class VariantRow:
    """A variant as the pages show it: its price in the currency and what stock can supply."""

    variant: Variant
    price: Price | None
    availability: selectors.Availability

    @property
    def label(self) -> str:
        values = self.variant.option_values.all()
        return ", ".join(f"{v.option_type.label}: {v.label}" for v in values) or "Standard"

    @property
    def stock_text(self) -> str:
        info = self.availability
        if not info.track_inventory:
            return "In stock"
        if info.on_hand > 0:
            return f"Only {info.on_hand} left" if info.on_hand <= 5 else "In stock"
        return "Available on backorder" if info.backorderable else "Out of stock"


@dataclass(frozen=True)
class ProductCard:
    product: Product
    default: VariantRow | None

    @property
    def purchasable(self) -> bool:
        return self.default is not None and self.default.availability.purchasable


def _row(variant: Variant, currency: str) -> VariantRow:
    return VariantRow(
        variant, selectors.variant_price(variant, currency), selectors.availability(variant)
    )


def _card(product: Product, currency: str) -> ProductCard:
    default = selectors.product_display(product, currency).default_variant
    return ProductCard(product, _row(default, currency) if default is not None else None)


def home(request: HttpRequest) -> HttpResponse:
    currency = request_currency(request)
    products = selectors.products_for_display(
        selectors.products_available(currency=currency)[:HOME_PRODUCTS]
    )
    cards = [_card(product, currency) for product in products]
    return render(request, "catalog/home.html", {"cards": cards, "currency": currency})


def product_list(request: HttpRequest) -> HttpResponse:
    currency = request_currency(request)
    form = ProductSearchForm(request.GET)
    form.is_valid()  # a bad field is shown next to it and ignored; the valid ones still apply
    cleaned = form.cleaned_data
    query = selectors.ProductQuery(
        search=cleaned.get("q") or "", in_stock=bool(cleaned.get("in_stock"))
    )
    sort = cleaned.get("sort") or None
    products = selectors.products_sort(
        selectors.products_search(
            selectors.products_available(currency=currency), currency=currency, query=query
        ),
        sort=sort,
        currency=currency,
    )
    page = Paginator(selectors.products_for_display(products), PRODUCTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    cards = [_card(product, currency) for product in page.object_list]
    context = {"form": form, "page": page, "cards": cards, "currency": currency}
    return render(request, "catalog/product_list.html", context)


def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """GET shows the product; POST adds the chosen variant to this shopper's cart."""
    currency = request_currency(request)
    try:
        product = selectors.product_get_available(id_or_slug=slug, currency=currency)
    except ProductNotFound:
        raise Http404("Product not found") from None
    display = selectors.product_display(product, currency)
    rows = [_row(v, currency) for v in (display.option_variants or display.variants)]
    if not rows:
        raise Http404("Product not found")
    choices = [(row.variant.public_id, row.label) for row in rows]
    form = AddToCartForm(request.POST or None, variant_choices=choices)
    if request.method == "POST":
        if form.is_valid() and _add_to_cart(request, form, currency):
            return redirect("cart:detail")
        messages.error(request, "The item could not be added to your cart.")
    default = display.default_variant
    selected_id = (
        form.data.get("variant_id")
        if form.is_bound
        else request.GET.get("variant") or (default.public_id if default else "")
    )
    selected = next((row for row in rows if row.variant.public_id == selected_id), rows[0])
    context = {
        "product": product,
        "description": product.description_text,
        "rows": rows,
        "selected": selected,
        "form": form,
        "option_types": list(product.option_types.all()),
        "currency": currency,
        "purchasable": any(row.availability.purchasable for row in rows),
    }
    status = 200 if not form.errors else 422
    return render(request, "catalog/product_detail.html", context, status=status)


def _add_to_cart(request: HttpRequest, form: AddToCartForm, currency: str) -> bool:
    """Add to this shopper's open cart, or open one with the item (a guest's is remembered in
    the cart cookie). A refusal becomes an error next to its field and changes nothing."""
    variant_id, quantity = form.cleaned_data["variant_id"], form.cleaned_data["quantity"]
    user = request.user if request.user.is_authenticated else None
    try:
        cart = cart_for_storefront(user=user, token=request.cart_token)
        if cart is None:
            item = {"variant_id": variant_id, "quantity": quantity}
            cart = cart_create(user=user, data={"items": [item]}, currency=currency)
        else:
            cart_item_add(cart=cart, variant_id=variant_id, quantity=quantity)
    except NotFound:
        form.add_error("variant_id", "This option is not available any more.")
        return False
    except (InsufficientStock, InvalidQuantity) as error:
        form.add_error("quantity", f"{error.message}.")
        return False
    except ApiError as error:
        form.add_error(None, error.message)
        return False
    if cart.user_id is None:
        request.cart_token = cart.token
    noun = "item" if quantity == 1 else "items"
    messages.success(request, f"Added {quantity} {noun} to your cart.")
    return True
