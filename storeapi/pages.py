"""Helpers shared by the storefront pages (each app's views.py): a form saved through a service
with the service's errors shown next to the form's fields, a service's 404 as the page's 404,
and a safe `next` address."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django import forms
from django.http import Http404, HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from storeapi.errors import NotFound, ValidationFailed, full_messages


@contextmanager
def not_found_as_404() -> Iterator[None]:
    """A selector's NotFound (another customer's object, an unknown id) becomes Django's 404
    page, never a 500: owner-scoped lookups stay the single place that decides."""
    try:
        yield
    except NotFound as exc:
        raise Http404(exc.message) from exc


def show_service_errors(
    form: forms.Form,
    error: ValidationFailed,
    fields: dict[str, str] | None = None,
    *,
    nested: dict[str, forms.Form] | None = None,
) -> None:
    """Put a service's ValidationFailed `details` next to the form's fields ("Postal code is
    invalid"). A key like `shipping_address.postal_code` goes to `nested["shipping_address"]`;
    `fields` maps a detail key to a form field when their names differ; a key no field shows
    becomes an error of `form` as a whole."""
    details = error.details or {}
    if not details:
        form.add_error(None, error.message)
        return
    for key, messages in details.items():
        group, _, name = key.partition(".")
        target = (nested or {}).get(group) if name else None
        if target is None:
            target, name = form, key
        name = (fields or {}).get(name, name)
        if name in target.fields:
            label = target[name].label
            for message in messages:
                target.add_error(name, f"{label} {message}")
        else:
            form.add_error(None, full_messages({key: messages}))


def save_form[T](
    form: forms.Form, save: Callable[[], T], fields: dict[str, str] | None = None
) -> T | None:
    """What `save` (a service call reading `form.cleaned_data`) returns for a valid form; None
    when the form is invalid or the service refused it, its ValidationFailed then shown next
    to the fields (show_service_errors with `fields`)."""
    if not form.is_valid():
        return None
    try:
        return save()
    except ValidationFailed as error:
        show_service_errors(form, error, fields)
        return None


def safe_next(request: HttpRequest, default: str, *, field: str = "next") -> str:
    """The `next` address of the request (POST, then GET) if it stays on this site."""
    candidate = request.POST.get(field) or request.GET.get(field) or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def referer_path(request: HttpRequest, default: str) -> str:
    """The page the request came from, if it is on this site (to return after a POST)."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return default
