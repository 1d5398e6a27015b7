"""Storefront pages of wishlists: the customer's wishlists (create, rename, delete, choose the
default, share or stop sharing, remove items), "Add to wishlist" from a product page, and the
public page of a shared wishlist. The same selectors and services as the Store API; another
customer's wishlist is a 404, and a private one is never shown by its link."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from catalog.selectors import variant_price
from storeapi.errors import ValidationFailed
from storeapi.http import request_currency
from storeapi.pages import not_found_as_404, referer_path, safe_next, save_form
from wishlists import selectors, services
from wishlists.forms import WishlistNameForm
from wishlists.models import Wishlist


def _rows(wishlist, currency: str) -> list[dict]:
    """Each item with its variant's price in the shopper's currency (prefetched prices)."""
    return [
        {"item": item, "variant": item.variant, "price": variant_price(item.variant, currency)}
        for item in wishlist.items.all()
    ]


def _share_url(request: HttpRequest, wishlist) -> str:
    return request.build_absolute_uri(reverse("wishlist_shared", args=[wishlist.token]))


def _update(request: HttpRequest, wishlist_id: str, changes: dict[str, Any]) -> Wishlist:
    """The customer's wishlist changed through wishlist_update; another customer's, or one
    gone meanwhile, is a 404."""
    with not_found_as_404():
        wishlist = selectors.wishlist_get_for_customer(user=request.user, public_id=wishlist_id)
        return services.wishlist_update(user=request.user, wishlist=wishlist, changes=changes)


@login_required
def wishlist_list(request: HttpRequest) -> HttpResponse:
    """The customer's wishlists, and the form that creates one."""
    form = WishlistNameForm(request.POST or None)
    if request.method == "POST":
        wishlist = save_form(
            form,
            lambda: services.wishlist_create(user=request.user, name=form.cleaned_data["name"]),
        )
        if wishlist is not None:
            messages.success(request, f"The wishlist “{wishlist.name}” has been created.")
            return redirect("wishlists:detail", wishlist_id=wishlist.public_id)
        messages.error(request, "The wishlist was not created. Please correct the errors below.")
    wishlists = selectors.wishlists_for_customer(user=request.user, expand=("items",))
    return render(request, "wishlists/list.html", {"wishlists": wishlists, "form": form})


@login_required
def wishlist_detail(request: HttpRequest, wishlist_id: str) -> HttpResponse:
    """One wishlist with its items; POST renames it."""
    with not_found_as_404():
        wishlist = selectors.wishlist_get_for_customer(
            user=request.user, public_id=wishlist_id, expand=("items",)
        )
        form = WishlistNameForm(request.POST or None, initial={"name": wishlist.name})
        if request.method == "POST":
            renamed = save_form(
                form,
                lambda: services.wishlist_update(
                    user=request.user, wishlist=wishlist, changes=form.cleaned_data
                ),
            )
            if renamed is not None:
                messages.success(request, "The wishlist has been renamed.")
                return redirect("wishlists:detail", wishlist_id=wishlist.public_id)
            messages.error(request, "The wishlist was not renamed. Please correct the errors.")
    context = {
        "wishlist": wishlist,
        "rows": _rows(wishlist, request_currency(request)),
        "form": form,
        "share_url": _share_url(request, wishlist),
    }
    return render(request, "wishlists/detail.html", context)


@login_required
@require_POST
def wishlist_delete(request: HttpRequest, wishlist_id: str) -> HttpResponse:
    with not_found_as_404():
        wishlist = selectors.wishlist_get_for_customer(user=request.user, public_id=wishlist_id)
        services.wishlist_delete(user=request.user, wishlist=wishlist)
    messages.success(request, f"The wishlist “{wishlist.name}” has been deleted.")
    return redirect("wishlists:list")


@login_required
@require_POST
def wishlist_sharing(request: HttpRequest, wishlist_id: str) -> HttpResponse:
    """Share the wishlist by its link (`share=1`) or make it private again."""
    shared = request.POST.get("share") == "1"
    wishlist = _update(request, wishlist_id, {"is_private": not shared})
    messages.success(
        request,
        "Anyone with the link can now see this wishlist."
        if shared
        else "This wishlist is private again; its link no longer works.",
    )
    return redirect("wishlists:detail", wishlist_id=wishlist.public_id)


@login_required
@require_POST
def wishlist_make_default(request: HttpRequest, wishlist_id: str) -> HttpResponse:
    wishlist = _update(request, wishlist_id, {"is_default": True})
    messages.success(
        request, f"“{wishlist.name}” is now your default wishlist: “Add to wishlist” saves there."
    )
    return redirect("wishlists:list")


@login_required
@require_POST
def item_remove(request: HttpRequest, wishlist_id: str, item_id: str) -> HttpResponse:
    with not_found_as_404():
        item = selectors.wishlist_item_get_for_customer(
            user=request.user, wishlist_id=wishlist_id, item_id=item_id
        )
        services.wishlist_item_remove(user=request.user, item=item)
    messages.success(request, "The item has been removed from the wishlist.")
    return redirect("wishlists:detail", wishlist_id=wishlist_id)


@require_POST
def wishlist_add(request: HttpRequest) -> HttpResponse:
    """ "Add to wishlist" on a product page (POST `variant_id`, optional `next`): the variant goes
    on the default wishlist. A signed-out shopper is sent to sign in and back to the product."""
    back = safe_next(request, referer_path(request, reverse("wishlists:list")))
    if not request.user.is_authenticated:
        parts = urlsplit(back)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        messages.info(request, "Sign in to save items to your wishlist.")
        return redirect(f"{settings.LOGIN_URL}?{urlencode({'next': path})}")
    try:
        item = services.wishlist_item_add_to_default(
            user=request.user, variant_id=request.POST.get("variant_id")
        )
    except ValidationFailed as error:
        if error.details == services.DUPLICATE_VARIANT:
            messages.info(request, "That item is already on your wishlist.")
        else:
            messages.error(request, "That item cannot be added to a wishlist.")
    else:
        messages.success(
            request,
            f"{item.variant.product.name} has been added to your wishlist “{item.wishlist.name}”.",
        )
    return redirect(back)


def wishlist_shared(request: HttpRequest, token: str) -> HttpResponse:
    """A shared wishlist by its link, for anyone (signed in or not); a private one is a 404."""
    with not_found_as_404():
        wishlist = selectors.wishlist_get_shared(token=token)
    return render(
        request,
        "wishlists/shared.html",
        {"wishlist": wishlist, "rows": _rows(wishlist, request_currency(request))},
    )
