"""The shop's delivery and tax setup as checkout reads it: the process's copy
(storeapi/settings_cache.py) filtered in Python answers what the zone queries it replaced did,
follows staff changes at once, and is never changed by a request."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.selectors import stock_locations_active
from customers.models import Country
from customers.selectors import country_get
from orders.models import DeliveryMethod, TaxRate, Zone, ZoneMember
from orders.selectors import (
    _active_delivery_methods,
    _active_tax_rates,
    delivery_methods_for,
    tax_rates_for,
)
from payments.selectors import payment_methods_list
from storeapi.sql import Select
from tests.orders.conftest import US_ADDRESS
from tests.orders.helpers import add_item, complete, create_cart, token_of, update_cart

# The statements the process's copy replaced (orders/services/checkout.py before it).
_ZONE_DELIVERY_METHODS = Select(
    [(DeliveryMethod, "m")],
    'FROM "orders_deliverymethod" m WHERE m.is_active = %s AND m.currency = %s '
    'AND m.id IN (SELECT z.deliverymethod_id FROM "orders_deliverymethod_zones" z '
    'INNER JOIN "orders_zonemember" zm ON zm.zone_id = z.zone_id '
    "WHERE zm.country_id = %s AND (zm.state_abbr = '' OR zm.state_abbr = %s)) "
    "ORDER BY m.position, m.id",
)
_ZONE_TAX_RATES = Select(
    [(TaxRate, "t")],
    'FROM "orders_taxrate" t WHERE t.is_active = %s AND t.zone_id IN '
    '(SELECT zm.zone_id FROM "orders_zonemember" zm '
    "WHERE zm.country_id = %s AND (zm.state_abbr = '' OR zm.state_abbr = %s)) ORDER BY t.id",
)

ADDRESSES = [
    ("US", ""),
    ("US", "NY"),
    ("US", "ny"),
    ("US", "CA"),
    ("US", "TX"),
    ("CA", ""),
    ("CA", "ON"),
    ("DE", ""),
    ("DE", "BY"),
    ("FR", ""),
]
CURRENCIES = ["USD", "EUR", "CAD"]


def _zone(name: str, members: list[tuple[str, str]]) -> Zone:
    zone = Zone.objects.create(name=name)
    for iso, state in members:
        ZoneMember.objects.create(zone=zone, country=Country.objects.get(iso=iso), state_abbr=state)
    return zone


def _method(name, zones, *, currency="USD", position=0, is_active=True) -> DeliveryMethod:
    method = DeliveryMethod.objects.create(
        name=name, currency=currency, position=position, is_active=is_active
    )
    method.zones.set(zones)
    return method


def _rate(name, zone, *, is_active=True) -> TaxRate:
    return TaxRate.objects.create(name=name, zone=zone, rate=Decimal("0.1"), is_active=is_active)


@pytest.fixture
def setup(db):
    """Whole countries, single states, a zone of both, a zone of nothing; methods in several
    zones, currencies and positions (two at the same one), inactive rows."""
    us = _zone("US", [("US", "")])
    new_york = _zone("New York", [("US", "NY")])
    west = _zone("West", [("CA", ""), ("US", "CA")])
    germany = _zone("Germany", [("DE", "")])
    empty = _zone("Nowhere", [])
    _method("Ground", [us], position=2)
    _method("City courier", [new_york], position=0)
    _method("Euro post", [germany, us], currency="EUR", position=1)
    _method("Retired", [us], is_active=False)
    _method("Coastal", [west, new_york], position=1)
    _method("Unzoned", [])
    _method("Nowhere post", [empty])
    _method("Same position", [us], position=0)
    _method("Canada post", [west], currency="CAD", position=3)
    _rate("US sales", us)
    _rate("NY sales", new_york)
    _rate("West retired", west, is_active=False)
    _rate("West", west)
    _rate("German VAT", germany)
    _rate("Nowhere", empty)


def _names(rows) -> list[str]:
    return [row.name for row in rows]


def test_delivery_methods_are_those_the_zone_query_answered(setup):
    for currency in CURRENCIES:
        for country_iso, state_abbr in ADDRESSES:
            expected = [
                m for (m,) in _ZONE_DELIVERY_METHODS.all([True, currency, country_iso, state_abbr])
            ]
            found = delivery_methods_for(
                currency=currency, country_iso=country_iso, state_abbr=state_abbr
            )
            assert _names(found) == _names(expected), (currency, country_iso, state_abbr)

    def usd(country_iso, state_abbr):
        methods = delivery_methods_for(
            currency="USD", country_iso=country_iso, state_abbr=state_abbr
        )
        return _names(methods)

    assert usd("US", "NY") == ["City courier", "Same position", "Coastal", "Ground"]
    assert usd("US", "CA") == ["Same position", "Coastal", "Ground"]
    assert usd("US", "TX") == ["Same position", "Ground"]
    assert usd("CA", "ON") == ["Coastal"]
    assert usd("FR", "") == []


def test_tax_rates_are_those_the_zone_query_answered(setup):
    for country_iso, state_abbr in ADDRESSES:
        expected = [r for (r,) in _ZONE_TAX_RATES.all([True, country_iso, state_abbr])]
        found = tax_rates_for(country_iso=country_iso, state_abbr=state_abbr)
        assert _names(found) == _names(expected), (country_iso, state_abbr)

    assert _names(tax_rates_for(country_iso="US", state_abbr="NY")) == ["US sales", "NY sales"]
    assert _names(tax_rates_for(country_iso="US", state_abbr="CA")) == ["US sales", "West"]
    assert _names(tax_rates_for(country_iso="DE", state_abbr="")) == ["German VAT"]


def _usd_in_texas() -> list[str]:
    return _names(delivery_methods_for(currency="USD", country_iso="US", state_abbr="TX"))


def test_a_staff_change_to_methods_zones_or_members_shows_at_once(setup):
    assert _usd_in_texas() == ["Same position", "Ground"]
    coastal = DeliveryMethod.objects.get(name="Coastal")
    texas = _zone("Texas", [])

    coastal.zones.add(texas)  # m2m_changed
    ZoneMember.objects.create(zone=texas, country_id="US", state_abbr="TX")
    assert _usd_in_texas() == ["Same position", "Coastal", "Ground"]

    texas.delivery_methods.remove(coastal)  # the same table, from the other side
    assert _usd_in_texas() == ["Same position", "Ground"]

    coastal.zones.add(texas)
    assert _usd_in_texas() == ["Same position", "Coastal", "Ground"]
    texas.delete()  # its links go without m2m_changed
    assert _usd_in_texas() == ["Same position", "Ground"]

    ground = DeliveryMethod.objects.get(name="Ground")
    ground.position = 0
    ground.save()
    assert _usd_in_texas() == ["Ground", "Same position"]
    ground.zones.clear()
    assert _usd_in_texas() == ["Same position"]
    DeliveryMethod.objects.get(name="Same position").delete()
    assert _usd_in_texas() == []


def test_a_staff_change_to_tax_rates_or_members_shows_at_once(setup):
    assert _names(tax_rates_for(country_iso="US", state_abbr="TX")) == ["US sales"]

    west_retired = TaxRate.objects.get(name="West retired")
    west_retired.is_active = True
    west_retired.save()
    ZoneMember.objects.create(zone=west_retired.zone, country_id="US", state_abbr="TX")
    assert _names(tax_rates_for(country_iso="US", state_abbr="TX")) == [
        "US sales",
        "West retired",
        "West",
    ]

    ZoneMember.objects.filter(zone__name="US").get().delete()
    assert _names(tax_rates_for(country_iso="US", state_abbr="TX")) == ["West retired", "West"]


# --- checkout -------------------------------------------------------------------------------

#: Statements that read the shop's settings rather than a cart (a cart's own reads join some of
#: these tables, never read them FROM them).
SETTINGS_READ = re.compile(
    r'FROM "(payments_paymentmethod|orders_deliverymethod|orders_deliverymethod_zones|'
    r'orders_zonemember|orders_taxrate|catalog_stocklocation|customers_country)"'
)


def _journey(api, shop) -> list[str]:
    """A guest checkout, every request's statements."""
    with CaptureQueriesContext(connection) as context:
        cart = create_cart(api)
        add_item(api, cart, shop["variant"], 2)
        update_cart(
            api,
            cart,
            {"email": "guest@example.com", "shipping_address": US_ADDRESS, "use_shipping": True},
        )
        paid = api.post(
            f"/carts/{cart['id']}/payments",
            {"payment_method_id": shop["check"].public_id},
            **token_of(cart),
        )
        assert paid.status_code == 201, paid.json()
        assert complete(api, cart).status_code == 200
    return [query["sql"] for query in context.captured_queries]


@pytest.fixture
def taxed_shop(shop):
    zone = Zone.objects.get(name="North America")
    TaxRate.objects.create(
        name="Sales tax", zone=zone, rate=Decimal("0.08"), applies_to_delivery=True
    )
    return shop


def test_a_warm_checkout_reads_none_of_the_shops_settings(api, taxed_shop):
    cold = _journey(api, taxed_shop)
    warm = _journey(api, taxed_shop)

    assert sorted({m.group(1) for q in cold for m in [SETTINGS_READ.search(q)] if m}) == [
        "catalog_stocklocation",
        "customers_country",
        "orders_deliverymethod",
        "orders_taxrate",
        "orders_zonemember",
        "payments_paymentmethod",
    ]
    assert [q for q in warm if SETTINGS_READ.search(q)] == []
    assert len([q for q in cold if SETTINGS_READ.search(q)]) == 6  # each once, when cold


def _state(instance) -> dict:
    """All an instance holds: its fields, anything set on it, its cached relations, its
    prefetches."""
    return {
        **{name: value for name, value in vars(instance).items() if name != "_state"},
        "fields_cache": dict(instance._state.fields_cache),
    }


def test_requests_leave_the_kept_settings_as_they_were_read(api, taxed_shop):
    _journey(api, taxed_shop)  # warm
    kept = [
        *payment_methods_list(),
        *stock_locations_active(),
        *(method for method, _ in _active_delivery_methods()),
        *_active_tax_rates(),
        country_get(iso="US"),
    ]
    before = [_state(instance) for instance in kept]

    _journey(api, taxed_shop)
    cart = create_cart(api)
    add_item(api, cart, taxed_shop["variant"])
    update_cart(api, cart, {"email": "guest@example.com", "shipping_address": US_ADDRESS})
    api.get(f"/carts/{cart['id']}", **token_of(cart))

    assert [_state(instance) for instance in kept] == before
    for instance in kept:  # nothing but the columns read: no attribute, relation or prefetch
        columns = {field.attname for field in instance._meta.concrete_fields}
        assert set(vars(instance)) == {"_state", *columns}, instance
        assert instance._state.fields_cache == {}, instance
    assert payment_methods_list() == kept[: len(payment_methods_list())]
    assert payment_methods_list()[0] is kept[0]  # still the kept instances, not a reload
