import pytest
from django.http import QueryDict

from accounts.models import AuthSession, User
from accounts.services import SessionContext, session_start
from storeapi.errors import InvalidRequest
from storeapi.pagination import paginate


def _add_sessions(user, count):
    for index in range(count):
        session_start(user=user, context=SessionContext("10.0.0.1", f"device {index}"))


def _meta(page, limit, count, pages, first, last, in_page, previous, next_page):
    return {
        "page": page,
        "limit": limit,
        "count": count,
        "pages": pages,
        "from": first,
        "to": last,
        "in": in_page,
        "previous": previous,
        "next": next_page,
    }


def test_first_page_meta(customer_api, customer):
    _add_sessions(customer, 4)  # five sessions with the caller's

    response = customer_api.get("/customers/me/sessions", {"limit": 2})

    assert response.status_code == 200
    assert response.json()["meta"] == _meta(1, 2, 5, 3, 1, 2, 2, None, 2)
    assert len(response.json()["data"]) == 2


def test_middle_page_meta(customer_api, customer):
    _add_sessions(customer, 4)

    response = customer_api.get("/customers/me/sessions", {"limit": 2, "page": 2})

    assert response.json()["meta"] == _meta(2, 2, 5, 3, 3, 4, 2, 1, 3)


def test_last_page_meta(customer_api, customer):
    _add_sessions(customer, 4)

    response = customer_api.get("/customers/me/sessions", {"limit": 2, "page": 3})

    assert response.json()["meta"] == _meta(3, 2, 5, 3, 5, 5, 1, 2, None)
    assert len(response.json()["data"]) == 1


def test_page_past_the_end_is_empty(customer_api, customer):
    _add_sessions(customer, 1)

    response = customer_api.get("/customers/me/sessions", {"limit": 1, "page": 7})

    assert response.status_code == 200
    assert response.json() == {"data": [], "meta": _meta(7, 1, 2, 2, 0, 0, 0, 6, None)}


def test_pages_do_not_overlap_and_cover_every_row(customer_api, customer):
    _add_sessions(customer, 4)

    ids = []
    for page in (1, 2, 3):
        response = customer_api.get("/customers/me/sessions", {"limit": 2, "page": page})
        ids += [row["id"] for row in response.json()["data"]]

    expected = AuthSession.objects.filter(user=customer).order_by("-last_used_at", "-pk")
    assert ids == [session.public_id for session in expected]


def test_default_limit_is_25(customer_api, customer):
    _add_sessions(customer, 25)

    response = customer_api.get("/customers/me/sessions")

    assert response.json()["meta"] == _meta(1, 25, 26, 2, 1, 25, 25, None, 2)


def test_limit_is_capped_at_100():
    items, meta = paginate(User.objects.none(), QueryDict("limit=1000"))

    assert items == []
    assert meta == _meta(1, 100, 0, 1, 0, 0, 0, None, None)


def test_empty_list_meta(db):
    items, meta = paginate(User.objects.all(), QueryDict(""))

    assert items == []
    assert meta == _meta(1, 25, 0, 1, 0, 0, 0, None, None)


def test_paginate_returns_the_rows_of_the_page(db):
    users = [User.objects.create_user(f"u{n}@example.com", "password123") for n in range(3)]

    items, meta = paginate(User.objects.order_by("pk"), QueryDict("page=2&limit=2"))

    assert items == [users[2]]
    assert meta == _meta(2, 2, 3, 2, 3, 3, 1, 1, None)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=0", "page must be a positive integer"),
        ("page=-1", "page must be a positive integer"),
        ("page=abc", "page must be a positive integer"),
        ("page=1.5", "page must be a positive integer"),
        ("limit=0", "limit must be a positive integer"),
        ("limit=ten", "limit must be a positive integer"),
    ],
)
def test_bad_page_or_limit_raises_invalid_request(db, query, message):
    with pytest.raises(InvalidRequest) as caught:
        paginate(User.objects.all(), QueryDict(query))

    assert caught.value.status_code == 400
    assert caught.value.message == message


@pytest.mark.parametrize("params", [{"page": "0"}, {"page": "x"}, {"limit": "-5"}])
def test_bad_page_in_a_request_is_a_400(customer_api, params):
    response = customer_api.get("/customers/me/sessions", params)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"


def test_list_query_count_does_not_grow_with_rows(
    customer_api, customer, django_assert_max_num_queries
):
    customer_api.get("/customers/me/sessions")  # the publishable key is now cached
    _add_sessions(customer, 30)

    with django_assert_max_num_queries(3):  # authentication, count, page
        response = customer_api.get("/customers/me/sessions", {"limit": 100})

    assert len(response.json()["data"]) == 31


@pytest.mark.parametrize("users", [0, 1, 3, 4, 5])
@pytest.mark.parametrize("query", ["", "limit=2", "page=2&limit=2", "page=3&limit=2", "page=9"])
def test_counting_only_when_needed_gives_the_same_page_and_meta(db, users, query):
    for n in range(users):
        User.objects.create_user(f"u{n}@example.com", "password123")
    queryset = User.objects.order_by("pk")

    assert paginate(queryset, QueryDict(query), count_only_when_needed=True) == paginate(
        queryset, QueryDict(query)
    )


def test_counting_only_when_needed_skips_the_count_of_a_page_that_is_not_full(
    db, django_assert_num_queries
):
    for n in range(3):
        User.objects.create_user(f"u{n}@example.com", "password123")

    with django_assert_num_queries(1):
        paginate(
            User.objects.order_by("pk"), QueryDict("page=2&limit=2"), count_only_when_needed=True
        )
    with django_assert_num_queries(2):  # a full page may not be the last
        paginate(User.objects.order_by("pk"), QueryDict("limit=3"), count_only_when_needed=True)


@pytest.mark.parametrize("path", ["/customers/me/sessions", "/products", "/products?sort=name"])
def test_a_page_past_any_offset_the_database_takes_is_empty_not_an_error(
    customer_api, customer, path
):
    """Page 10^20 puts the offset past a 64-bit integer (PostgreSQL's bigint, SQLite's
    INTEGER): it answered 500; it is past the last page, so it is empty."""
    _add_sessions(customer, 2)
    joiner = "&" if "?" in path else "?"

    response = customer_api.get(f"{path}{joiner}page={10**20}")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["data"] == []
    assert (body["meta"]["page"], body["meta"]["in"], body["meta"]["next"]) == (10**20, 0, None)
