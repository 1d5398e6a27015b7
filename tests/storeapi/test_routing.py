"""The Store API's memoized resolver (storeapi/routing.py): the same answers as Django's own,
kept per path, and each request gets a match of its own."""

from django.urls import URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern

from storeapi.routing import MemoizedResolver

PATHS = [
    "/api/v3/store/customers/me",
    "/api/v3/store/carts/cart_abcdefghij/items",
    "/api/v3/store/carts/cart_abcdefghij/items/li_abcdefghij",
    "/api/v3/store/products",
    "/api/v3/store/no/such/route",
]


def test_it_answers_as_djangos_resolver_for_every_kind_of_path():
    pattern = RoutePattern("api/v3/store/", is_endpoint=False)
    plain = URLResolver(pattern, "storeapi.urls")
    memoized = MemoizedResolver(pattern, "storeapi.urls")
    for path in PATHS:
        sub_path = path.removeprefix("/")
        ours, theirs = memoized.resolve(sub_path), plain.resolve(sub_path)
        assert (ours.func, ours.args, ours.kwargs, ours.url_name, ours.route) == (
            theirs.func,
            theirs.args,
            theirs.kwargs,
            theirs.url_name,
            theirs.route,
        ), path


def test_the_api_is_behind_the_memo_and_a_path_resolves_once():
    (api,) = [p for p in get_resolver().url_patterns if isinstance(p, MemoizedResolver)]
    api._resolve.cache_clear()

    first = resolve("/api/v3/store/carts/cart_abcdefghij/items")
    second = resolve("/api/v3/store/carts/cart_abcdefghij/items")

    info = api._resolve.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    assert first is not second and first.kwargs is not second.kwargs  # one per request
    second.kwargs["cart_id"] = "changed"
    assert resolve("/api/v3/store/carts/cart_abcdefghij/items").kwargs == {
        "cart_id": "cart_abcdefghij"
    }
