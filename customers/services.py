"""Writes of customers: the address book with its defaults, and closing an account.

Lock order (CONVENTIONS.md): the customer row first, then addresses. Locking the customer
serializes every default move of one customer, and partial unique constraints make "one
default billing and one default shipping per customer" hold even if something slipped past.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.errors import CurrentPasswordInvalid
from accounts.models import AuthSession, PasswordResetToken, User
from customers import geography
from customers.errors import ADDRESS_NOT_FOUND
from customers.models import Address, Country
from customers.selectors import country_get
from storeapi import sql
from storeapi.errors import NotFound, ValidationFailed
from wishlists.services import wishlists_delete_for_customer

TEXT_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "address1",
    "address2",
    "city",
    "postal_code",
    "phone",
    "state_abbr",
    "state_name",
)
SNAPSHOT_FIELDS = (*TEXT_FIELDS, "country_id", "quick_checkout")


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def address_clean(values: dict[str, Any]) -> dict[str, Any]:
    """Validate an address the way its country needs; return model field values.

    Country must be served; names, street and city are required (quick checkout relaxes names,
    street, phone and postal code); the postal code is required where the country uses one and
    must match its format; the state must be a real subdivision where the country requires one.
    Raises ValidationFailed with `details` keyed by API field names.
    """
    return _address_clean(values)[0]


def _address_clean(values: dict[str, Any]) -> tuple[dict[str, Any], Country]:
    """address_clean, and the address's country (read once here, set on the new address)."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {field: _text(values.get(field)) for field in TEXT_FIELDS}
    quick = bool(values.get("quick_checkout"))
    cleaned["quick_checkout"] = quick
    cleaned["postal_code"] = cleaned["postal_code"].upper()

    required = ["city"] if quick else ["first_name", "last_name", "address1", "city"]
    if settings.ADDRESS_REQUIRES_PHONE and not quick:
        required.append("phone")
    for field in required:
        if not cleaned[field]:
            errors.setdefault(field, []).append("can't be blank")

    iso = _text(values.get("country_iso")).upper()
    country = country_get(iso=iso) if len(iso) == 2 else None
    if not iso:
        errors["country_iso"] = ["can't be blank"]
    elif country is None:
        errors["country_iso"] = ["is invalid"]
    elif not country.is_served:
        errors["country_iso"] = ["is not a country the store ships to"]
    else:
        cleaned["country_id"] = country.iso
        _check_postal_code(iso, cleaned, quick, errors)
        _check_state(iso, cleaned, errors)

    if errors:
        raise ValidationFailed.from_details(errors)
    return cleaned, country


def _address_new(
    *, user: User | None, cleaned: dict[str, Any], country: Country, **flags
) -> Address:
    address = Address(user=user, **cleaned, **flags)
    sql.insert(address)
    Address._meta.get_field("country").set_cached_value(address, country)
    return address


def address_create_for_cart(*, data: dict[str, Any]) -> Address:
    """A guest's (or quick checkout's) address for a cart, in no address book: validated as
    address_clean does (raises ValidationFailed), with its country."""
    cleaned, country = _address_clean(data)
    return _address_new(user=None, cleaned=cleaned, country=country)


def _check_postal_code(iso: str, cleaned: dict, quick: bool, errors: dict) -> None:
    rules = geography.rules(iso)
    if not cleaned["postal_code"]:
        if rules.zipcode_required and not quick:
            errors["postal_code"] = ["can't be blank"]
    elif not geography.postal_code_matches(iso, cleaned["postal_code"]):
        errors["postal_code"] = ["is invalid"]


def _check_state(iso: str, cleaned: dict, errors: dict) -> None:
    by_abbr, by_name = geography.subdivision_index(iso)
    abbr, name = cleaned["state_abbr"], cleaned["state_name"]
    if abbr:
        match = by_abbr.get(abbr.upper())
        if match is None:
            errors["state_abbr"] = ["is invalid"]
            return
        cleaned["state_abbr"], cleaned["state_name"] = match.abbr, match.name
    elif name:
        match = by_name.get(name.casefold()) or by_abbr.get(name.upper())
        if match is not None:
            cleaned["state_abbr"], cleaned["state_name"] = match.abbr, match.name
        elif geography.rules(iso).states_required:
            errors["state_name"] = ["is invalid"]
    elif geography.rules(iso).states_required:
        errors["state_abbr"] = ["can't be blank"]


def _lock_customer(user: User) -> None:
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk").first()


def _clear_default(user: User, flag: str, *, keep_pk: int | None = None) -> None:
    others = Address.objects.filter(user=user, deleted_at__isnull=True, **{flag: True})
    if keep_pk is not None:
        others = others.exclude(pk=keep_pk)
    others.update(**{flag: False})


def _lock_live_address(user: User, address: Address) -> Address:
    """Re-read the address under its row lock: one another request deleted or retired
    meanwhile is 404 record_not_found, as if it had never been found."""
    locked = (
        Address.objects.select_for_update()
        .filter(pk=address.pk, user=user, deleted_at__isnull=True)
        .first()
    )
    if locked is None:
        raise NotFound(ADDRESS_NOT_FOUND)
    return locked


def _has_default(user: User, flag: str) -> bool:
    return Address.objects.filter(user=user, deleted_at__isnull=True, **{flag: True}).exists()


def address_create(*, user: User, data: dict[str, Any]) -> Address:
    """Add an address to the customer's book. The first one becomes both defaults; a role
    without a default gets this address; `is_default_*: true` moves that default here."""
    with transaction.atomic():
        _lock_customer(user)
        cleaned, country = _address_clean(data)
        flags = {}
        for flag in ("is_default_billing", "is_default_shipping"):
            flags[flag] = data.get(flag) is True or not _has_default(user, flag)
            if flags[flag]:
                _clear_default(user, flag)
        return _address_new(user=user, cleaned=cleaned, country=country, **flags)


def address_update(*, user: User, address: Address, data: dict[str, Any]) -> Address:
    """Change an address of the customer. One used by a completed order is not edited: a new
    address takes the changes (and its defaults) and the old one is retired. Returns the
    address now holding the values (a new `addr_` id in that case). Raises ValidationFailed,
    or NotFound when the address was deleted or retired meanwhile."""
    with transaction.atomic():
        _lock_customer(user)
        address = _lock_live_address(user, address)
        merged = {field: data.get(field, getattr(address, field)) for field in TEXT_FIELDS}
        merged["country_iso"] = data.get("country_iso", address.country_id)
        merged["quick_checkout"] = data.get("quick_checkout", address.quick_checkout)
        country_changed = _text(merged["country_iso"]).upper() != address.country_id
        if country_changed and "state_abbr" not in data and "state_name" not in data:
            merged["state_abbr"] = merged["state_name"] = ""
        cleaned = address_clean(merged)

        flags = {
            flag: address_flag
            for flag, address_flag in (
                ("is_default_billing", address.is_default_billing),
                ("is_default_shipping", address.is_default_shipping),
            )
        }
        for flag in flags:
            if data.get(flag) is True:
                flags[flag] = True
            elif data.get(flag) is False:
                flags[flag] = False

        changed = any(getattr(address, f) != cleaned[f] for f in SNAPSHOT_FIELDS)
        if address.is_in_use and changed:
            address.deleted_at = timezone.now()
            address.is_default_billing = address.is_default_shipping = False
            address.save(
                update_fields=[
                    "deleted_at",
                    "is_default_billing",
                    "is_default_shipping",
                    "updated_at",
                ]
            )
            for flag, value in flags.items():
                if value:
                    _clear_default(user, flag)
            return Address.objects.create(user=user, **cleaned, **flags)

        for flag, value in flags.items():
            if value:
                _clear_default(user, flag, keep_pk=address.pk)
        for field, value in {**cleaned, **flags}.items():
            setattr(address, field, value)
        address.save()
        return address


def address_delete(*, user: User, address: Address) -> None:
    """Remove an address. One used by a completed order is retired (soft-deleted), others are
    deleted. A default it held is cleared, not moved (as Spree and Saleor do). Raises NotFound
    when the address was deleted or retired meanwhile."""
    with transaction.atomic():
        _lock_customer(user)
        address = _lock_live_address(user, address)
        if address.is_in_use:
            address.deleted_at = timezone.now()
            address.is_default_billing = address.is_default_shipping = False
            address.save()
        else:
            address.delete()


def addresses_mark_in_use(*, address_ids: list[int]) -> int:
    """Freeze addresses a completed order points at (called by orders at completion)."""
    now, frozen = timezone.now(), 0
    for pk in sorted(set(address_ids)):  # one or two: the order's billing and shipping
        frozen += sql.update(Address, {"in_use_since": now}, pk=pk, in_use_since=None)
    return frozen


def customer_close(*, user: User, current_password: Any) -> None:
    """Close the account: sessions and reset tokens gone, wishlists, open carts and saved
    payment methods deleted (or detached where they paid), addresses deleted (or, when orders
    use them, stripped of the person's name and phone), orders kept without email, the profile
    erased and the email freed. Store credit and gift card records stay for the books.
    The user row stays so completed orders keep their books. Raises CurrentPasswordInvalid."""
    from orders.services.carts import orders_anonymise_for_customer
    from payments.services.saved import saved_methods_forget_for_customer

    if not isinstance(current_password, str) or not user.check_password(current_password):
        raise CurrentPasswordInvalid()
    with transaction.atomic():
        _lock_customer(user)
        in_use = Address.objects.filter(user=user, in_use_since__isnull=False)
        in_use.update(
            first_name="",
            last_name="",
            company="",
            phone="",
            is_default_billing=False,
            is_default_shipping=False,
            deleted_at=Coalesce("deleted_at", Value(timezone.now())),
        )
        Address.objects.filter(user=user, in_use_since__isnull=True).delete()
        AuthSession.objects.filter(user=user).delete()
        PasswordResetToken.objects.filter(user=user).delete()
        wishlists_delete_for_customer(user=user)
        orders_anonymise_for_customer(user=user)
        saved_methods_forget_for_customer(user=user)
        user = User.objects.get(pk=user.pk)
        user.email = f"closed-{user.pk}-{secrets.token_hex(8)}@closed.invalid"
        user.first_name = user.last_name = user.phone = ""
        user.private_metadata = {}
        user.accepts_email_marketing = False
        user.is_active = False
        user.set_unusable_password()
        user.save()


def countries_sync() -> int:
    """Load any ISO 3166-1 country missing from the table (pycountry), the default served set
    switched on; returns how many were added. Idempotent: existing rows are left as staff set
    them. Used by the data migration, `manage.py sync_countries`, and tests after a flush."""
    from customers.geography import DEFAULT_SERVED_COUNTRIES, all_countries

    existing = set(Country.objects.values_list("iso", flat=True))
    missing = [
        Country(iso=iso, iso3=iso3, name=name, is_served=iso in DEFAULT_SERVED_COUNTRIES)
        for iso, iso3, name in all_countries()
        if iso not in existing
    ]
    Country.objects.bulk_create(missing, ignore_conflicts=True)
    country_get.forget()  # bulk_create sends no signals
    return len(missing)


def countries_set_served(*, countries: QuerySet[Country], is_served: bool) -> int:
    """Start or stop shipping to `countries` (staff); returns how many rows were changed."""
    changed = countries.update(is_served=is_served)
    country_get.forget()  # QuerySet.update sends no signals
    return changed
