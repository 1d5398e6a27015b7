"""The Store API's URL resolver, memoized per path.

Every API request resolves its path through the apps' URL modules in turn (accounts, customers,
catalog, orders, ...): 20-65 us of regular expressions and partial matches for a cart route on
this machine, more than some of those requests spend in their one query. The same paths come
back request after request (a client's cart, `/customers/me`), so the resolver keeps its last
answers. Django builds a new match for the request from the one kept here, so nothing a request
does to its `resolver_match` reaches another.

A kept match drops its `tried` list (the patterns passed over on the way, kept for the debug 404
page only): for a cart route that is some thirty small lists, and over a full memo of one-off
cart paths they were ~60,000 objects that every full garbage collection walked: 50 ms stalls
on this machine, once every few seconds per worker, in the checkout benchmark's p99.
"""

from __future__ import annotations

from functools import lru_cache

from django.urls import URLResolver
from django.urls.resolvers import RoutePattern

#: Distinct paths answered from memory (a path seen again after falling out is resolved again).
MEMO_SIZE = 2048


class MemoizedResolver(URLResolver):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._resolve = lru_cache(maxsize=MEMO_SIZE)(self._resolve_slim)

    def _resolve_slim(self, path):
        match = super().resolve(path)
        match.tried = None
        return match

    def resolve(self, path):
        return self._resolve(path)


def memoized_include(route: str, urlconf: str) -> MemoizedResolver:
    """`path(route, include(urlconf))`, resolved through the memo."""
    return MemoizedResolver(RoutePattern(route, is_endpoint=False), urlconf)
