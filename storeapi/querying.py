"""`sort`, `q[...]` filters, `fields` and `expand` as Spree's ResourceController reads them.

Sort and filter attributes are whitelisted per endpoint (Ransack's ransackable attributes);
unknown ones are ignored, as Ransack does. A value of the wrong type is a 400, never a 500.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from storeapi.errors import InvalidRequest

# Longest first so `not_eq` wins over `eq`, `gteq` over `gt`.
PREDICATES = {
    "not_eq": "exact",
    "not_cont": "icontains",
    "not_null": "isnull",
    "not_in": "in",
    "i_cont": "icontains",
    "cont": "icontains",
    "start": "istartswith",
    "end": "iendswith",
    "gteq": "gte",
    "lteq": "lte",
    "gt": "gt",
    "lt": "lt",
    "eq": "exact",
    "in": "in",
    "null": "isnull",
    "present": "present",
    "blank": "blank",
}
NEGATED = {"not_eq", "not_cont", "not_in"}
_Q_PARAM = re.compile(r"\Aq\[([a-z0-9_]+)\](\[\])?\Z")
TRUE_VALUES = {"1", "true", "t", "yes"}


def apply_sort(queryset: QuerySet, raw: str | None, allowed: dict[str, str]) -> QuerySet:
    """`sort=name,-created_at` -> order_by on whitelisted attributes; others are ignored."""
    if not raw:
        return queryset
    ordering = []
    for part in raw.split(","):
        part = part.strip()
        descending = part.startswith("-")
        name = part.lstrip("-")
        if name in allowed:
            ordering.append(("-" if descending else "") + allowed[name])
    if not ordering:
        return queryset
    return queryset.order_by(*ordering, "-pk" if ordering[-1].startswith("-") else "pk")


def _split(name: str) -> tuple[str, str] | None:
    for predicate in PREDICATES:
        suffix = "_" + predicate
        if name.endswith(suffix):
            return name[: -len(suffix)], predicate
    return None


def apply_filters(queryset: QuerySet, params, allowed: dict[str, str]) -> QuerySet:
    """Ransack-style `q[attr_predicate]=value` filters on whitelisted attributes."""
    conditions = Q()
    for key in params:
        match = _Q_PARAM.match(key)
        if not match:
            continue
        split = _split(match.group(1))
        if not split or split[0] not in allowed:
            continue
        attribute, predicate = split
        path = allowed[attribute]
        values = params.getlist(key) if hasattr(params, "getlist") else [params[key]]
        value: Any = values if predicate in ("in", "not_in") else values[-1]
        if predicate in ("in", "not_in") and len(values) == 1 and "," in values[0]:
            value = [v for v in values[0].split(",") if v]
        lookup = PREDICATES[predicate]
        if predicate in ("null", "not_null"):
            truth = str(value).lower() in TRUE_VALUES
            condition = Q(**{f"{path}__isnull": truth if predicate == "null" else not truth})
        elif predicate in ("present", "blank"):
            present = Q(**{f"{path}__isnull": False}) & ~Q(**{path: ""})
            truth = str(value).lower() in TRUE_VALUES
            wants_present = truth if predicate == "present" else not truth
            condition = present if wants_present else ~present
        else:
            condition = Q(**{f"{path}__{lookup}": value})
            if predicate in NEGATED:
                condition = ~condition
        conditions &= condition
    if not conditions:
        return queryset
    try:
        filtered = queryset.filter(conditions)
        str(filtered.query)  # surfaces conversion errors now, not during rendering
    except (ValidationError, ValueError, TypeError) as exc:
        raise InvalidRequest("A filter value has the wrong type.") from exc
    return filtered


def parse_list(raw: str | None) -> list[str]:
    if not raw:
        return []
    return [p.strip() for p in str(raw).split(",") if p.strip()]


def select_fields(data: dict[str, Any], fields: list[str], keep: set[str]) -> dict[str, Any]:
    """Keep only the requested top-level keys, plus `id` and expanded associations."""
    if not fields:
        return data
    wanted = set(fields) | {"id"} | keep
    return {key: value for key, value in data.items() if key in wanted}
