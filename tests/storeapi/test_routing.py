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


def test_a_kept_match_holds_no_tried_list():
    """The memo keeps up to MEMO_SIZE one-off cart paths; each entry must stay a handful of
    objects, or every full garbage collection in a worker walks tens of thousands of them."""
    import gc

    pattern = RoutePattern("api/v3/store/", is_endpoint=False)
    memoized = MemoizedResolver(pattern, "storeapi.urls")
    memoized.resolve("api/v3/store/carts/cart_warmwarmwa/items")  # the URL modules, loaded once
    kept = memoized._resolve("api/v3/store/carts/cart_abcdefghij/items")
    assert kept.tried is None
    assert memoized._resolve("api/v3/store/carts/cart_abcdefghij/items") is kept

    gc.collect()
    before = len(gc.get_objects())
    for number in range(200):
        memoized.resolve(f"api/v3/store/carts/cart_{number:010d}/complete")
    gc.collect()
    per_entry = (len(gc.get_objects()) - before) / 200
    assert per_entry < 10, per_entry  # with the tried lists kept: 30 and more
