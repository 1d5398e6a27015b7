"""Payloads and database snapshots shared by the customers tests."""

from __future__ import annotations

from typing import Any

from customers.models import Address

ADDRESSES = "/customers/me/addresses"

US_HOME: dict[str, Any] = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "address1": "350 Fifth Avenue",
    "address2": "Floor 86",
    "city": "New York",
    "postal_code": "10118",
    "phone": "+1 555 0100",
    "company": "Analytical Engines",
    "country_iso": "US",
    "state_abbr": "NY",
}

DE_OFFICE: dict[str, Any] = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "address1": "Unter den Linden 1",
    "city": "Berlin",
    "postal_code": "10117",
    "country_iso": "DE",
}


def address_row(pk: int) -> dict[str, Any]:
    """Every column of one address row, to compare before and after a denied call."""
    return Address.objects.filter(pk=pk).values().get()


def address_table() -> list[dict[str, Any]]:
    """The whole address table, ordered, to prove a call changed nothing at all."""
    return list(Address.objects.order_by("pk").values())


def defaults_of(user) -> tuple[list[int], list[int]]:
    """(pks of live default billing, pks of live default shipping) of a customer."""
    live = Address.objects.filter(user=user, deleted_at__isnull=True)
    billing = list(live.filter(is_default_billing=True).values_list("pk", flat=True))
    shipping = list(live.filter(is_default_shipping=True).values_list("pk", flat=True))
    return billing, shipping
