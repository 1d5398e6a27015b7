"""Reads of customers: countries, the address book (owner-scoped), the data export."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import DecimalField, QuerySet, TextField

from accounts.models import AuthSession, User
from accounts.selectors import ACTIVE_SESSION_FROM, ACTIVE_SESSION_WHERE, active_session_params
from customers.errors import ADDRESS_NOT_FOUND, COUNTRY_NOT_FOUND
from customers.models import Address, Country
from payments.selectors import STORE_CREDIT_AVAILABLE_SQL
from storeapi.errors import NotFound
from storeapi.ids import get_by_public_id
from storeapi.settings_cache import settings_cached
from storeapi.sql import Select
from wishlists.selectors import wishlists_export


def countries_served() -> QuerySet[Country]:
    """The countries the store sells to, by name."""
    return Country.objects.filter(is_served=True).order_by("name")


_COUNTRY = Select([(Country, "c")], 'FROM "customers_country" c WHERE c.iso = %s')


@settings_cached(Country)
def country_get(*, iso: str) -> Country | None:
    """The country with this ISO code (upper case), served or not, or None. Kept a few
    seconds in the process (storeapi/settings_cache.py): the instance is shared, read-only."""
    row = _COUNTRY.first([iso])
    return row[0] if row else None


def country_get_served(*, iso: str) -> Country:
    """A served country by ISO code, any case; otherwise 404 record_not_found."""
    country = country_get(iso=(iso or "").upper()) if len(iso or "") == 2 else None
    if country is None or not country.is_served:
        raise NotFound(COUNTRY_NOT_FOUND)
    return country


def addresses_for_customer(*, user: User) -> QuerySet[Address]:
    """The customer's live addresses (retired ones excluded), most recently updated first."""
    return (
        Address.objects.filter(user=user, deleted_at__isnull=True)
        .select_related("country")
        .order_by("-updated_at", "-pk")
    )


_PROFILE_USER_FIELDS = (
    "email",
    "first_name",
    "last_name",
    "phone",
    "accepts_email_marketing",
    "is_active",
    "is_staff",
    "is_superuser",
)
# An address as the Customer answer shows it: all but its bookkeeping dates.
_PROFILE_ADDRESS_FIELDS = tuple(
    field.name
    for field in Address._meta.concrete_fields
    if field.name not in {"in_use_since", "created_at", "updated_at", "deleted_at"}
)


@dataclass(frozen=True)
class CustomerProfile:
    """What the Customer answer shows: the user, the live address book (countries loaded, most
    recently updated first) and the store credit available in `currency`."""

    user: User
    addresses: list[Address]
    store_credit_total: Decimal
    currency: str
    #: The version of the rows it was read from (`session_get_active_with_profile`), or None.
    version: Hashable | None = None


# The reads of a profile below: only what the Customer answer and the request's authentication
# use is read (the others are deferred; the query-count tests would catch a deferred field read
# later). The user `u` joined to its live address book `a` with countries `c`, a row per
# address (or one row without), and the store credit available in a currency as an extra.
_ADDRESS_BOOK_PARTS = [(Address, "a", _PROFILE_ADDRESS_FIELDS), (Country, "c", ("name",))]
_ADDRESS_BOOK_JOIN = (
    'LEFT JOIN "customers_address" a ON a.user_id = u.id AND a.deleted_at IS NULL '
    'LEFT JOIN "customers_country" c ON c.iso = a.country_id'
)
_ADDRESS_BOOK_ORDER = "ORDER BY a.updated_at DESC, a.id DESC"
_STORE_CREDIT_EXTRA = (
    f"({STORE_CREDIT_AVAILABLE_SQL.format(user_id='u.id')})",
    DecimalField(max_digits=30, decimal_places=2),
)


def _address_book(rows: list[tuple], address_at: int) -> list[Address]:
    """The addresses of the rows (at `address_at`, its country next), countries set."""
    addresses = []
    for row in rows:
        address = row[address_at]
        if address is not None:
            address.country = row[address_at + 1]
            addresses.append(address)
    return addresses


def _available(credit: Decimal | None) -> Decimal:
    return credit if credit is not None else Decimal("0.00")


_PROFILE_OF_USER = Select(
    _ADDRESS_BOOK_PARTS,
    f'FROM "accounts_user" u {_ADDRESS_BOOK_JOIN} WHERE u.id = %s {_ADDRESS_BOOK_ORDER}',
    optional=("a", "c"),
    extras=[_STORE_CREDIT_EXTRA],
)


def customer_profile(*, user: User, currency: str) -> CustomerProfile:
    """The profile of a customer already loaded, in one precompiled statement: every sign-in
    and refresh answers with it."""
    rows = _PROFILE_OF_USER.all([currency, user.pk])
    return CustomerProfile(
        user=user,
        addresses=_address_book(rows, 0),
        store_credit_total=_available(rows[0][2] if rows else None),
        currency=currency,
    )


def _session_with_profile(*, versioned: bool) -> Select:
    return Select(
        [
            (AuthSession, "s", ("user",)),  # its id and owner: what authentication hands on
            (User, "u", _PROFILE_USER_FIELDS),
            *_ADDRESS_BOOK_PARTS,
        ],
        f"{ACTIVE_SESSION_FROM} {_ADDRESS_BOOK_JOIN} "
        f"WHERE {ACTIVE_SESSION_WHERE} {_ADDRESS_BOOK_ORDER}",
        optional=("a", "c"),
        once=("s", "u"),
        extras=[_STORE_CREDIT_EXTRA]
        + ([("u.xmin::text", TextField()), ("a.xmin::text", TextField())] if versioned else []),
    )


_SESSION_WITH_PROFILE = _session_with_profile(versioned=False)
_SESSION_WITH_VERSIONED_PROFILE = _session_with_profile(versioned=True)

# The version of the rows a Customer answer is made of (PostgreSQL): `xmin` is the transaction
# that wrote a row version, and every UPDATE writes a new one, so the user's and each live
# address's (by id) change with any write to them, through any path. The store credit
# available is read itself. The same text as `_profile_version` builds from the full read.
_SESSION_WITH_PROFILE_VERSION = Select(
    [(AuthSession, "s", ("user",)), (User, "u", _PROFILE_USER_FIELDS)],
    f"{ACTIVE_SESSION_FROM} WHERE {ACTIVE_SESSION_WHERE}",
    extras=[
        _STORE_CREDIT_EXTRA,
        (
            "u.xmin::text || '|' || COALESCE((SELECT string_agg(v.id::text || ':' || "
            "v.xmin::text, ',' ORDER BY v.id) FROM \"customers_address\" v "
            "WHERE v.user_id = u.id AND v.deleted_at IS NULL), '')",
            TextField(),
        ),
    ],
)


def _profile_version(user_version: str, address_versions: list[tuple[int, str]]) -> str:
    return f"{user_version}|" + ",".join(f"{pk}:{xmin}" for pk, xmin in sorted(address_versions))


def profile_versions_available(using: str = "default") -> bool:
    """Whether a profile read can tell the version of its rows: on PostgreSQL, and outside a
    transaction (one that rewrites a row leaves it the same `xmin` each time)."""
    connection = connections[using]
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def session_get_active_with_profile(
    *, session_id: int, user_id: int, currency: str
) -> tuple[AuthSession, CustomerProfile] | None:
    """`accounts.selectors.session_get_active` and `customer_profile` in one statement (a row
    per live address): GET /customers/me is this read and nothing else. The profile carries
    its `version` where `profile_versions_available`."""
    versioned = profile_versions_available()
    select = _SESSION_WITH_VERSIONED_PROFILE if versioned else _SESSION_WITH_PROFILE
    rows = select.all([currency, *active_session_params(session_id=session_id, user_id=user_id)])
    if not rows:
        return None
    session, user, _, _, credit, *user_version = rows[0]
    session.user = user
    addresses, total = _address_book(rows, 2), _available(credit)
    version = None
    if versioned:  # each row ends with the user's xmin and its address's
        address_versions = [(row[2].pk, row[-1]) for row in rows if row[2] is not None]
        version = (_profile_version(user_version[0], address_versions), total)
    return session, CustomerProfile(
        user=user, addresses=addresses, store_credit_total=total, currency=currency, version=version
    )


def session_get_active_with_profile_version(
    *, session_id: int, user_id: int, currency: str
) -> tuple[AuthSession, Hashable] | None:
    """The live session with its user (as `session_get_active`) and the `version` the profile
    read would give now, in one statement far cheaper than that read; PostgreSQL only, where
    `profile_versions_available`."""
    row = _SESSION_WITH_PROFILE_VERSION.first(
        [currency, *active_session_params(session_id=session_id, user_id=user_id)]
    )
    if row is None:
        return None
    session, user, credit, version = row
    session.user = user
    return session, (version, _available(credit))


def address_get_for_customer(*, user: User, public_id: str) -> Address:
    """One live address of the customer; another customer's (or a retired one) is 404."""
    return get_by_public_id(
        addresses_for_customer(user=user), public_id, "addr", not_found=NotFound(ADDRESS_NOT_FOUND)
    )


def customer_export(*, user: User) -> dict[str, Any]:
    """Every piece of personal data we hold about the customer, as one JSON-ready document."""
    from accounts.models import AuthSession
    from orders.selectors import orders_export
    from payments.selectors import payments_export

    addresses = Address.objects.filter(user=user).select_related("country").order_by("pk")
    sessions = AuthSession.objects.filter(user=user).order_by("pk")
    return {
        "profile": {
            "id": user.public_id,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": user.phone,
            "accepts_email_marketing": user.accepts_email_marketing,
            "metadata": user.private_metadata,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "addresses": [
            {
                "id": address.public_id,
                "first_name": address.first_name,
                "last_name": address.last_name,
                "company": address.company,
                "address1": address.address1,
                "address2": address.address2,
                "city": address.city,
                "postal_code": address.postal_code,
                "phone": address.phone,
                "country_iso": address.country_id,
                "state_abbr": address.state_abbr,
                "state_name": address.state_name,
                "is_default_billing": address.is_default_billing,
                "is_default_shipping": address.is_default_shipping,
                "created_at": address.created_at.isoformat(),
                "deleted_at": address.deleted_at.isoformat() if address.deleted_at else None,
            }
            for address in addresses
        ],
        "sessions": [
            {
                "id": session.public_id,
                "created_at": session.created_at.isoformat(),
                "last_used_at": session.last_used_at.isoformat(),
                "ip_address": session.ip_address,
                "user_agent": session.user_agent,
                "revoked_at": session.revoked_at.isoformat() if session.revoked_at else None,
            }
            for session in sessions
        ],
        "wishlists": wishlists_export(user=user),
        "orders": orders_export(user=user),
        **payments_export(user=user),
    }
