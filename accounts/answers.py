"""The Customer answer of GET /customers/me, kept per process while its rows are unchanged.

The request still authenticates against the database (a revoked session or a deactivated
customer is refused at once) and, in the same statement, reads the version of the profile's
rows (`customers.selectors.session_get_active_with_profile_version`); the answer made the last
time from rows at that version is reused (`storeapi.memo`). Country names come from the shop's
settings cache, so an answer is also dropped when a country it names was renamed.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, NamedTuple

from customers.selectors import CustomerProfile, country_get
from storeapi.memo import CheckedMemo

#: Customers (per currency) whose answer a process keeps (about 2 kB each, the JSON), and for
#: how long at most.
ANSWERS_KEPT = 2048
ANSWER_MAX_AGE_SECONDS = 600


class CustomerAnswer(NamedTuple):
    body: bytes  # the Customer answer as the JSON renderer writes it
    countries: tuple[tuple[str, str], ...]  # (ISO code, name) of each address, as shown

    @classmethod
    def of(cls, data: dict[str, Any], body: bytes) -> CustomerAnswer:
        return cls(body, tuple((a["country_iso"], a["country_name"]) for a in data["addresses"]))


_answers = CheckedMemo(size=ANSWERS_KEPT, max_age=ANSWER_MAX_AGE_SECONDS)


def customer_answer_key(user_id: int, currency: str) -> tuple[int, str]:
    return (user_id, currency)


def customer_answer_known(key: Hashable) -> bool:
    """Whether an answer is kept for `key` (whatever its version)."""
    return key in _answers


def customer_answer_get(key: Hashable, version: Hashable) -> CustomerAnswer | None:
    """The answer kept for `key` if made from rows at `version` with today's country names;
    shared, read-only."""
    kept = _answers.get(key, version)
    if kept is None:
        return None
    for iso, name in kept.countries:
        country = country_get(iso=iso)
        if country is None or country.name != name:
            return None
    return kept


def customer_answer_keep(profile: CustomerProfile, answer: CustomerAnswer) -> None:
    """Keep the answer made from `profile`, if its version was read."""
    if profile.version is not None:
        key = customer_answer_key(profile.user.pk, profile.currency)
        _answers.put(key, profile.version, answer)
