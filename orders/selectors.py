"""Reads of carts and orders: who may see which, and the prefetches that keep a cart or an
order history a fixed number of queries."""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import CharField, Prefetch, QuerySet

from accounts.models import User
from catalog.errors import VariantNotFound
from catalog.models import (
    OptionType,
    OptionValue,
    Price,
    Product,
    StockItem,
    StockLocation,
    Variant,
)
from catalog.selectors import variants_for_display
from customers.models import Address, Country
from orders.errors import CartNotFound, OrderNotFound
from orders.models import (
    DeliveryMethod,
    DeliveryRate,
    Fulfillment,
    FulfillmentItem,
    LineItem,
    Order,
    TaxRate,
    Zone,
    ZoneMember,
)
from payments.models import Payment
from payments.selectors import payments_load_for_order
from storeapi import sql
from storeapi.errors import AccessDenied
from storeapi.ids import decode_id, decode_id_or_pk, encode_id
from storeapi.settings_cache import settings_cached
from storeapi.sql import Select

ORDER_PREFIXES = ("cart", "or")


def with_details(queryset: QuerySet[Order]) -> QuerySet[Order]:
    """Everything a Cart or Order representation reads, in a fixed number of queries."""
    return queryset.select_related(
        "bill_address__country", "ship_address__country", "user"
    ).prefetch_related(
        Prefetch(
            "line_items",
            queryset=LineItem.objects.prefetch_related(
                Prefetch("variant", queryset=variants_for_display())
            ).order_by("created_at", "pk"),
        ),
        Prefetch(
            "fulfillments",
            queryset=Fulfillment.objects.select_related("stock_location").prefetch_related(
                Prefetch("items", queryset=FulfillmentItem.objects.select_related("line_item")),
                Prefetch(
                    "delivery_rates",
                    queryset=DeliveryRate.objects.select_related("delivery_method").order_by(
                        "cost", "pk"
                    ),
                ),
            ),
        ),
        Prefetch(
            "payments",
            queryset=Payment.objects.select_related(
                "payment_method", "credit_card", "payment_source", "store_credit", "gift_card"
            ).order_by("pk"),
        ),
    )


# --- a cart loaded once per request ---------------------------------------------------------
#
# A cart mutation loads the cart's relations once (after locking it), changes them in memory
# as it writes, and the response is built from those objects: the same shapes as
# `with_details`, set as prefetch caches so the serializers read them alike, in fewer queries
# (no prices, no second order row, option values with their types in one query; payments as
# payments.selectors.payments_load_for_order reads them).
#
# These queries carry no ORDER BY: rows are sorted here by the same keys (each ending in the
# primary key, so the order is total). Compiling an ORDER BY makes Django hash every selected
# column, which costs more than the query itself on these wide rows.

_LOADED = "_cart_details_loaded"
_ADDRESS_FIELDS = ("bill_address", "ship_address")


def unordered_first(queryset: QuerySet) -> Any:
    """The first row of a lookup that matches at most one (by primary key), or None; like
    `.first()` without the ORDER BY."""
    rows = list(queryset.order_by()[:1])
    return rows[0] if rows else None


def related_set(instance: Any, name: str, objects: list) -> None:
    """Make `instance.<name>.all()` answer `objects` without a query (as a prefetch would)."""
    cache = instance.__dict__.get("_prefetched_objects_cache")
    if cache is None:
        cache = instance._prefetched_objects_cache = {}
    cache.pop(name, None)
    queryset = getattr(instance, name).all()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    cache[name] = queryset


def related_list(instance: Any, name: str) -> list:
    """The objects `instance.<name>.all()` answers (the prefetched list itself)."""
    queryset = getattr(instance, name).all()
    if queryset._result_cache is None:
        queryset._fetch_all()
    return queryset._result_cache


_FULL, _TOTALS = "full", "totals"


def _current_transaction() -> object | None:
    """The innermost atomic block running now (None in autocommit)."""
    return connection.atomic_blocks[-1] if connection.in_atomic_block else None


def cart_details_loaded(
    cart: Order, *, for_representation: bool = False, in_this_transaction: bool = False
) -> bool:
    """True when `cart` holds its relations as loaded by cart_details_load (and kept current
    by the services that changed them since): everything, or what its totals need. A write
    trusts them only `in_this_transaction`: the one that locked and loaded the cart."""
    loaded = cart.__dict__.get(_LOADED)
    if loaded is None or (for_representation and loaded[0] != _FULL):
        return False
    if not in_this_transaction:
        return True
    return loaded[1] is not None and loaded[1] is _current_transaction()


def mark_cart_details_loaded(cart: Order) -> None:
    """For a service that set every relation of a new cart itself."""
    cart.__dict__[_LOADED] = (_FULL, _current_transaction())


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


# One statement per number of variants; bounded, as carts have no cap on their lines.
@lru_cache(maxsize=64)
def _option_values_select(count: int) -> Select:
    return Select(
        [(Variant.option_values.through, "link"), (OptionValue, "ov"), (OptionType, "ot")],
        'FROM "catalog_variant_option_values" link '
        'INNER JOIN "catalog_optionvalue" ov ON ov.id = link.optionvalue_id '
        'INNER JOIN "catalog_optiontype" ot ON ot.id = ov.option_type_id '
        f"WHERE link.variant_id IN ({_placeholders(count)})",
    )


@lru_cache(maxsize=64)
def _active_stock_select(count: int) -> Select:
    return Select(
        [(StockItem, "s")],
        'FROM "catalog_stockitem" s '
        'INNER JOIN "catalog_stocklocation" sl ON sl.id = s.stock_location_id '
        f"WHERE sl.is_active = %s AND s.variant_id IN ({_placeholders(count)}) ORDER BY s.id",
    )


def variants_load_details(variants: Iterable[Variant]) -> None:
    """Option values (with their types, in their display order) and stock at active locations
    (`active_stock_items`, as variants_for_display) for each variant, in two precompiled
    queries (storeapi/sql.py)."""
    by_pk = {variant.pk: variant for variant in variants}
    if not by_pk:
        return
    pks = list(by_pk)
    values: dict[int, list] = {pk: [] for pk in by_pk}
    option_type_field = OptionValue._meta.get_field("option_type")
    for link, value, option_type in _option_values_select(len(pks)).all(pks):
        option_type_field.set_cached_value(value, option_type)
        values[link.variant_id].append(value)
    stock: dict[int, list[StockItem]] = {pk: [] for pk in by_pk}
    for (item,) in _active_stock_select(len(pks)).all([True, *pks]):
        stock[item.variant_id].append(item)
    for pk, variant in by_pk.items():
        # OptionValue's default ordering: option_type__position, position, pk.
        ordered = sorted(values[pk], key=lambda v: (v.option_type.position, v.position, v.pk))
        related_set(variant, "option_values", ordered)
        variant.active_stock_items = stock[pk]


_FULFILLMENTS = Select(
    [(Fulfillment, "f"), (StockLocation, "sl"), (DeliveryRate, "r"), (DeliveryMethod, "m")],
    'FROM "orders_fulfillment" f INNER JOIN "catalog_stocklocation" sl '
    "ON sl.id = f.stock_location_id "
    'LEFT OUTER JOIN "orders_deliveryrate" r ON r.fulfillment_id = f.id '
    'LEFT OUTER JOIN "orders_deliverymethod" m ON m.id = r.delivery_method_id '
    "WHERE f.order_id = %s ORDER BY f.id, r.id",
    optional=("r", "m"),
)
_FULFILLMENT_ITEMS = Select(
    [(FulfillmentItem, "i")],
    'FROM "orders_fulfillmentitem" i INNER JOIN "orders_fulfillment" f ON f.id = i.fulfillment_id '
    "WHERE f.order_id = %s ORDER BY i.id",
)


def cart_load_fulfillments(
    cart: Order,
    lines: dict[int, LineItem],
    *,
    with_items: bool = True,
    items_read: list[FulfillmentItem] | None = None,
) -> None:
    """The cart's fulfillments with location, items (pointing at `lines`; `items_read` when
    the caller read them with the lines) and rates (with their methods, read with the
    fulfillments)."""
    location_field = Fulfillment._meta.get_field("stock_location")
    method_field = DeliveryRate._meta.get_field("delivery_method")
    by_pk: dict[int, Fulfillment] = {}
    rates: dict[int, list] = {}
    for fulfillment, location, rate, method in _FULFILLMENTS.all([cart.pk]):
        if fulfillment.pk not in by_pk:
            location_field.set_cached_value(fulfillment, location)
            by_pk[fulfillment.pk] = fulfillment
            rates[fulfillment.pk] = []
        if rate is not None:
            method_field.set_cached_value(rate, method)
            rates[fulfillment.pk].append(rate)
    fulfillments = list(by_pk.values())
    order_field = Fulfillment._meta.get_field("order")
    items: dict[int, list] = {f.pk: [] for f in fulfillments}
    if fulfillments and with_items:
        line_field = FulfillmentItem._meta.get_field("line_item")
        if items_read is None:
            items_read = [item for (item,) in _FULFILLMENT_ITEMS.all([cart.pk])]
        for item in items_read:
            line = lines.get(item.line_item_id)
            if line is not None:
                line_field.set_cached_value(item, line)
            items[item.fulfillment_id].append(item)
    for fulfillment in fulfillments:
        order_field.set_cached_value(fulfillment, cart)
        if with_items:
            related_set(fulfillment, "items", items[fulfillment.pk])
        related_set(
            fulfillment,
            "delivery_rates",
            sorted(rates[fulfillment.pk], key=lambda r: (r.cost, r.pk)),
        )
    related_set(cart, "fulfillments", fulfillments)


#: What a write reads of the shop's delivery and tax setup, kept on the cart instance it
#: locked and loaded (forgotten when that instance is loaded again): one request prices its
#: rates and its totals with the same rows.
CHECKOUT_REFERENCE_MEMO = "_checkout_reference"


# --- the shop's delivery and tax setup ------------------------------------------------------
#
# Small sets read whole and kept a few seconds in the process (storeapi/settings_cache.py), then
# filtered here as the SQL they replace did. The instances are shared by every request of the
# process: read-only.


@settings_cached(Zone, ZoneMember)
def _zone_members() -> MappingProxyType[str, tuple[tuple[int, str], ...]]:
    """Each country's zone members: (zone id, state abbreviation, blank for the whole country)."""
    members: dict[str, list[tuple[int, str]]] = {}
    for country_iso, zone_id, state_abbr in ZoneMember.objects.values_list(
        "country_id", "zone_id", "state_abbr"
    ).order_by():
        members.setdefault(country_iso, []).append((zone_id, state_abbr))
    return MappingProxyType({iso: tuple(rows) for iso, rows in members.items()})


def zones_including(*, country_iso: str, state_abbr: str) -> frozenset[int]:
    """The zones with a member for the address's whole country or for its state
    (Zone.includes)."""
    return frozenset(
        zone_id
        for zone_id, member_state in _zone_members().get(country_iso, ())
        if member_state == "" or member_state == state_abbr
    )


_ACTIVE_DELIVERY_METHODS = Select(
    [(DeliveryMethod, "m"), (DeliveryMethod.zones.through, "z")],
    'FROM "orders_deliverymethod" m LEFT OUTER JOIN "orders_deliverymethod_zones" z '
    "ON z.deliverymethod_id = m.id WHERE m.is_active = %s ORDER BY m.position, m.id, z.id",
    optional=("z",),
)


# Deleting a zone deletes its links to methods without m2m_changed: hence Zone.
@settings_cached(DeliveryMethod, DeliveryMethod.zones.through, Zone)
def _active_delivery_methods() -> tuple[tuple[DeliveryMethod, frozenset[int]], ...]:
    """The active delivery methods (DeliveryMethod's ordering: position, id), each with the
    ids of its zones."""
    methods: dict[int, tuple[DeliveryMethod, set[int]]] = {}
    for method, link in _ACTIVE_DELIVERY_METHODS.all([True]):
        _, zones = methods.setdefault(method.pk, (method, set()))
        if link is not None:
            zones.add(link.zone_id)
    return tuple((method, frozenset(zones)) for method, zones in methods.values())


def delivery_methods_for(
    *, currency: str, country_iso: str, state_abbr: str
) -> list[DeliveryMethod]:
    """The active methods in `currency` of the zones that include the address, by position."""
    zones = zones_including(country_iso=country_iso, state_abbr=state_abbr)
    return [
        method
        for method, method_zones in _active_delivery_methods()
        if method.currency == currency and not zones.isdisjoint(method_zones)
    ]


_ACTIVE_TAX_RATES = Select(
    [(TaxRate, "t")], 'FROM "orders_taxrate" t WHERE t.is_active = %s ORDER BY t.id'
)


@settings_cached(TaxRate)
def _active_tax_rates() -> tuple[TaxRate, ...]:
    return tuple(rate for (rate,) in _ACTIVE_TAX_RATES.all([True]))


def tax_rates_for(*, country_iso: str, state_abbr: str) -> list[TaxRate]:
    """The active tax rates of the zones that include the address, by id."""
    zones = zones_including(country_iso=country_iso, state_abbr=state_abbr)
    return [rate for rate in _active_tax_rates() if rate.zone_id in zones]


_PRICE = Select(
    [(Price, "pr")], 'FROM "catalog_price" pr WHERE pr.variant_id = %s AND pr.currency = %s'
)
_PRICE_WITH_VARIANT = Select(
    [(Price, "pr"), (Variant, "v"), (Product, "p")],
    'FROM "catalog_price" pr INNER JOIN "catalog_variant" v ON v.id = pr.variant_id '
    'INNER JOIN "catalog_product" p ON p.id = v.product_id '
    "WHERE pr.variant_id = %s AND pr.currency = %s",
)


def cart_variant_purchasable(
    *, public_id: object, currency: str, known: dict[int, Variant] | None = None
) -> tuple[Variant, Price]:
    """A variant a cart can take, in one query: the variant (with its product) of an
    available product, and its price in `currency`; else 404
    variant_not_found. Accepts `variant_…` ids (plain integers too, as Spree does). A variant
    in `known` (loaded with the cart in this request) is judged from its loaded product and
    only its price is read."""
    from catalog.selectors import product_is_available

    pk = decode_id_or_pk(public_id, "variant")
    if pk is None:
        raise VariantNotFound()
    variant = (known or {}).get(pk)
    if variant is not None:
        row = _PRICE.first([pk, currency])
        if row is None or not product_is_available(variant.product):
            raise VariantNotFound()
        return variant, row[0]
    row = _PRICE_WITH_VARIANT.first([pk, currency])
    if row is None or not product_is_available(row[2]):
        raise VariantNotFound()
    price, variant, product = row
    Variant._meta.get_field("product").set_cached_value(variant, product)
    Price._meta.get_field("variant").set_cached_value(price, variant)
    return variant, price


_CART_ADDRESSES = Select(
    [(Address, "a"), (Country, "c")],
    'FROM "customers_address" a INNER JOIN "customers_country" c ON c.iso = a.country_id '
    "WHERE a.id IN (%s, %s)",
)


def cart_load_addresses(cart: Order) -> None:
    """The cart's addresses with their countries, in one query (none for a cart without
    addresses, or whose addresses are already on it): cheaper than joining four tables to
    every read of the order row."""
    fields = [Order._meta.get_field(name) for name in _ADDRESS_FIELDS]
    missing = [field for field in fields if not field.is_cached(cart)]
    wanted = sorted({getattr(cart, field.attname) for field in missing} - {None})
    if not wanted:
        return
    found = {}
    for address, country in _CART_ADDRESSES.all([wanted[0], wanted[-1]]):
        address.country = country
        found[address.pk] = address
    for field in missing:
        address = found.get(getattr(cart, field.attname))
        if address is not None:
            field.set_cached_value(cart, address)


_LINES = Select(
    [(LineItem, "l"), (Variant, "v"), (Product, "p")],
    'FROM "orders_lineitem" l INNER JOIN "catalog_variant" v ON v.id = l.variant_id '
    'INNER JOIN "catalog_product" p ON p.id = v.product_id WHERE l.order_id = %s',
)
# For a representation: each line with its fulfillment items (a line is in one fulfillment,
# so this is a row per line), instead of reading the items after the fulfillments.
_LINES_WITH_ITEMS = Select(
    [(LineItem, "l"), (Variant, "v"), (Product, "p"), (FulfillmentItem, "i")],
    'FROM "orders_lineitem" l INNER JOIN "catalog_variant" v ON v.id = l.variant_id '
    'INNER JOIN "catalog_product" p ON p.id = v.product_id '
    'LEFT OUTER JOIN "orders_fulfillmentitem" i ON i.line_item_id = l.id '
    "WHERE l.order_id = %s",
    optional=("i",),
)


def cart_details_load(cart: Order, *, for_representation: bool = True) -> Order:
    """Load into `cart` what its representation, the out-of-stock sweep and a recalculation
    read: items with variant, product, option values and active stock; fulfillments with
    location, items and rates; payments with methods and sources. A fixed number of
    (precompiled) queries whatever the cart's size; with its addresses (unless already on
    `cart`).

    Without `for_representation`, only what a recalculation of its totals reads (no option
    values, stock or fulfillment items): for a service that answers something else."""
    cart_load_addresses(cart)
    variant_field = LineItem._meta.get_field("variant")
    product_field = Variant._meta.get_field("product")
    order_field = LineItem._meta.get_field("order")
    by_pk: dict[int, LineItem] = {}
    items: list[FulfillmentItem] | None = None
    if for_representation:
        items = []
        rows = _LINES_WITH_ITEMS.all([cart.pk])
    else:
        rows = [(*row, None) for row in _LINES.all([cart.pk])]
    for line, variant, product, item in rows:
        if item is not None:
            items.append(item)
        if line.pk in by_pk:
            continue
        product_field.set_cached_value(variant, product)
        variant_field.set_cached_value(line, variant)
        order_field.set_cached_value(line, cart)
        by_pk[line.pk] = line
    lines = sorted(by_pk.values(), key=lambda line: (line.created_at, line.pk))
    if for_representation:
        variants_load_details(line.variant for line in lines)
        items.sort(key=lambda item: item.pk)
    related_set(cart, "line_items", lines)
    cart_load_fulfillments(cart, by_pk, with_items=for_representation, items_read=items)
    related_set(cart, "payments", payments_load_for_order(cart))
    cart.__dict__.pop(CHECKOUT_REFERENCE_MEMO, None)
    cart.__dict__[_LOADED] = (_FULL if for_representation else _TOTALS, _current_transaction())
    return cart


def cart_get_details(*, pk: int) -> Order:
    """The order `pk` with its addresses, loaded (cart_details_load)."""
    return cart_details_load(Order.objects.get(pk=pk))


#: In a cart draft's locking read (order_get `draft`): this transaction alone commits without
#: waiting for its WAL to reach the disk. Set in the statement, so it costs no round trip.
_DRAFT_COMMIT = (sql.DRAFT_COMMIT, CharField())


def draft_commit_applies(*, own_blocks: int) -> bool:
    """Whether a cart draft's write may commit without waiting for the disk
    (CART_DRAFT_ASYNC_COMMIT, PostgreSQL): only in a transaction the service opened itself,
    `own_blocks` deep (0 before opening it, 1 inside it). Inside a caller's transaction the
    setting would reach that caller's other writes."""
    return (
        settings.CART_DRAFT_ASYNC_COMMIT
        and connection.vendor == "postgresql"
        and len(connection.atomic_blocks) <= own_blocks
    )


@lru_cache(maxsize=32)
def _order_select(
    state_count: int, lock: bool, with_addresses: bool, by_owner: bool, draft: bool = False
) -> Select:
    parts: list[tuple[type, str]] = [(Order, "o")]
    joins = ""
    if with_addresses:
        parts += [(Address, "ba"), (Country, "bc"), (Address, "sa"), (Country, "sc")]
        joins = (
            ' LEFT OUTER JOIN "customers_address" ba ON ba.id = o.bill_address_id'
            ' LEFT OUTER JOIN "customers_country" bc ON bc.iso = ba.country_id'
            ' LEFT OUTER JOIN "customers_address" sa ON sa.id = o.ship_address_id'
            ' LEFT OUTER JOIN "customers_country" sc ON sc.iso = sa.country_id'
        )
    states = f" AND o.state IN ({_placeholders(state_count)})" if state_count else ""
    # `= NULL` is never true: with no customer given, only an order without owner matches.
    owner = " AND (o.user_id IS NULL OR o.user_id = %s)" if by_owner else ""
    return Select(
        parts,
        f'FROM "orders_order" o{joins} WHERE o.id = %s{states}{owner}',
        lock="FOR UPDATE OF o" if lock else None,
        optional=("ba", "bc", "sa", "sc"),
        extras=[_DRAFT_COMMIT] if draft else (),
    )


#: order_get's `owner` when any owner will do.
ANY_OWNER: Any = object()


def order_get(
    *,
    pk: int,
    states: tuple[str, ...] = (),
    lock: bool = False,
    with_addresses: bool = False,
    owner: int | None = ANY_OWNER,
    draft: bool = False,
) -> Order | None:
    """The order `pk` (when in one of `states`, if any are given), else None: one precompiled
    query (storeapi/sql.py), the read every cart request starts with. `lock` locks its row
    (FOR UPDATE OF the order alone); `with_addresses` reads its addresses with their
    countries in the same statement, as cart_load_addresses would (a locked cart is loaded
    next: one round trip fewer). `owner` (a customer's pk, or None) keeps only an order that
    has no owner or is theirs; a row it leaves out is not locked.

    `draft` (with `lock`, a change to a cart that is not its completion): on PostgreSQL, and
    unless CART_DRAFT_ASYNC_COMMIT is off, the transaction commits without waiting for the
    disk (synchronous_commit off for it alone). A database crash, not a restart, may then lose
    the last fraction of a second of such changes, never part of one; a completion, a payment
    session, store credit, a gift card and every account change still wait for the disk. Not
    inside a caller's transaction: only in the one the service opened itself."""
    draft = draft and lock and draft_commit_applies(own_blocks=1)
    by_owner = owner is not ANY_OWNER
    params = [pk, *states, owner] if by_owner else [pk, *states]
    row = _order_select(len(states), lock, with_addresses, by_owner, draft).first(params)
    if row is None:
        return None
    order = row[0]
    if with_addresses:
        bill, bill_country, ship, ship_country = row[1:5]
        if bill is not None:
            bill.country = bill_country
            _BILL_ADDRESS.set_cached_value(order, bill)
        if ship is not None and ship.pk == order.bill_address_id:
            ship = bill  # one address in both roles is one instance, as cart_load_addresses
        elif ship is not None:
            ship.country = ship_country
        if ship is not None:
            _SHIP_ADDRESS.set_cached_value(order, ship)
    return order


_BILL_ADDRESS = Order._meta.get_field("bill_address")
_SHIP_ADDRESS = Order._meta.get_field("ship_address")


def tokens_match(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


@dataclass(frozen=True)
class CartAccess:
    """A request for the cart `pk`: by `user` (None for a guest), holding `token` (or not).
    The cart's owner (by the JWT) or the holder of its token may use it. A mutation checks
    this on the row it locks (orders.services.checkout.lock_cart) rather than reading the
    cart once to check and again to lock it."""

    pk: int
    user: User | None
    token: str | None

    def allows(self, cart: Order) -> bool:
        is_owner = self.user is not None and cart.user_id == self.user.pk
        return is_owner or tokens_match(self.token, cart.token)


def cart_access(*, public_id: str, user: User | None, token: str | None) -> CartAccess:
    """Who asks for which cart; an id that names no cart is 404 cart_not_found at once."""
    pk = decode_id(public_id, ORDER_PREFIXES)
    if pk is None:
        raise CartNotFound()
    signed_in = user is not None and user.is_authenticated
    return CartAccess(pk=pk, user=user if signed_in else None, token=token)


def cart_get_for_access(
    *, public_id: str, user: User | None, token: str | None, details: bool = True
) -> Order:
    """An open cart the caller may use: its owner's JWT or its token. Unknown or completed ->
    404 cart_not_found; found but neither owner nor token -> 403 access_denied."""
    access = cart_access(public_id=public_id, user=user, token=token)
    cart = order_get(pk=access.pk, states=(Order.CART,))
    if cart is None:
        raise CartNotFound()
    if not access.allows(cart):
        raise AccessDenied()
    return cart_details_load(cart) if details else cart


def carts_for_customer(*, user: User) -> QuerySet[Order]:
    """The customer's open carts, most recently updated first."""
    return with_details(Order.objects.filter(user=user, state=Order.CART)).order_by(
        "-updated_at", "-pk"
    )


def guest_cart_for_token(*, token: str | None) -> Order | None:
    """The open guest cart (no owner) whose token a browser's cart cookie holds, else None.
    A cart that a customer owns is never reached this way from a storefront page."""
    if not token:
        return None
    return Order.objects.filter(token=token, state=Order.CART, user__isnull=True).first()


def cart_for_storefront(*, user: User | None, token: str | None) -> Order | None:
    """The open cart a storefront page works on, prefetched: the signed-in customer's most
    recently updated one, else this browser's guest cart (cart cookie). None when there is none."""
    if user is not None and user.is_authenticated:
        return carts_for_customer(user=user).first()
    cart = guest_cart_for_token(token=token)
    return with_details(Order.objects.filter(pk=cart.pk)).first() if cart else None


def orders_for_customer(*, user: User) -> QuerySet[Order]:
    """The customer's completed orders, newest first."""
    return with_details(Order.objects.filter(user=user, state=Order.COMPLETE)).order_by(
        "-completed_at", "-pk"
    )


def order_get_for_customer(*, user: User, public_id: str) -> Order:
    """One completed order of the customer; anything else is 404 order_not_found."""
    pk = decode_id(public_id, ORDER_PREFIXES)
    order = orders_for_customer(user=user).filter(pk=pk).first() if pk else None
    if order is None:
        raise OrderNotFound()
    return order


def order_get_for_lookup(*, public_id: str, user: User | None, token: str | None) -> Order:
    """GET /orders/:id: a completed order, the signed-in customer's own, or (without a JWT)
    the one whose token matches. Every miss is 404 order_not_found."""
    pk = decode_id(public_id, ORDER_PREFIXES)
    if pk is None:
        raise OrderNotFound()
    if user is not None and user.is_authenticated:
        return order_get_for_customer(user=user, public_id=public_id)
    order = with_details(Order.objects.filter(pk=pk, state=Order.COMPLETE)).first()
    if order is None or not tokens_match(token, order.token):
        raise OrderNotFound()
    return order


def orders_for_confirmation(*, pks: list[int]) -> list[Order]:
    """The completed orders `pks` with what their confirmation email shows (lines in cart
    order, with variant and product), in two queries whatever their number."""
    return list(
        Order.objects.filter(pk__in=pks, state=Order.COMPLETE).prefetch_related(
            Prefetch(
                "line_items",
                queryset=LineItem.objects.select_related("variant__product").order_by(
                    "created_at", "pk"
                ),
            )
        )
    )


def orders_export(*, user: User) -> list[dict]:
    """The customer's completed orders, for the data export (what they bought, where, when)."""
    orders = Order.objects.filter(user=user, state=Order.COMPLETE).prefetch_related(
        Prefetch("line_items", queryset=LineItem.objects.select_related("variant__product"))
    )
    return [
        {
            "id": order.order_id,
            "number": order.number,
            "email": order.email,
            "completed_at": order.completed_at.isoformat() if order.completed_at else None,
            "currency": order.currency,
            "total": str(order.total),
            "customer_note": order.customer_note,
            "bill_address_id": encode_id("addr", order.bill_address_id)
            if order.bill_address_id
            else None,
            "ship_address_id": encode_id("addr", order.ship_address_id)
            if order.ship_address_id
            else None,
            "items": [
                {
                    "name": item.variant.product.name,
                    "sku": item.variant.sku,
                    "quantity": item.quantity,
                    "price": str(item.price),
                }
                for item in order.line_items.all()
            ],
        }
        for order in orders.order_by("completed_at", "pk")
    ]
