import pytest
from django.http import QueryDict

from accounts.models import User
from storeapi.errors import InvalidRequest
from storeapi.querying import apply_filters, apply_sort, parse_list, select_fields

SORTABLE = {"email": "email", "first_name": "first_name", "created_at": "date_joined"}
FILTERABLE = {
    "id": "pk",
    "email": "email",
    "first_name": "first_name",
    "phone": "phone",
    "created_at": "date_joined",
}


@pytest.fixture
def people(db):
    return {
        name: User.objects.create_user(
            f"{name.lower()}@example.com", "password123", first_name=name, phone=phone
        )
        for name, phone in [("Cleo", ""), ("Ada", "+1 555"), ("Bea", ""), ("Ada2", "+44 20")]
    }


def _emails(queryset):
    return [user.email for user in queryset]


def _filter(query):
    return apply_filters(User.objects.order_by("pk"), QueryDict(query), FILTERABLE)


def test_sort_ascending(people):
    result = apply_sort(User.objects.all(), "first_name", SORTABLE)

    assert _emails(result) == [
        "ada@example.com",
        "ada2@example.com",
        "bea@example.com",
        "cleo@example.com",
    ]


def test_sort_descending_with_a_minus(people):
    result = apply_sort(User.objects.all(), "-email", SORTABLE)

    assert _emails(result) == [
        "cleo@example.com",
        "bea@example.com",
        "ada@example.com",
        "ada2@example.com",  # "2" sorts before "@"
    ]


def test_sort_by_several_fields(people):
    User.objects.filter(email="bea@example.com").update(first_name="Ada")

    result = apply_sort(User.objects.all(), "first_name,-email", SORTABLE)

    assert _emails(result) == [
        "bea@example.com",
        "ada@example.com",
        "ada2@example.com",
        "cleo@example.com",
    ]


def test_sort_maps_api_names_to_columns(people):
    result = apply_sort(User.objects.all(), "-created_at", SORTABLE)

    assert result.query.order_by == ("-date_joined", "-pk")


def test_sort_ignores_attributes_not_whitelisted(people):
    base = User.objects.order_by("pk")

    assert apply_sort(base, "password,-is_staff", SORTABLE) is base
    assert apply_sort(base, "", SORTABLE) is base
    assert apply_sort(base, None, SORTABLE) is base


def test_sort_keeps_whitelisted_attributes_when_mixed_with_unknown_ones(people):
    result = apply_sort(User.objects.all(), "password,-email", SORTABLE)

    assert result.query.order_by == ("-email", "-pk")


def test_filter_eq(people):
    assert _emails(_filter("q[first_name_eq]=Bea")) == ["bea@example.com"]


def test_filter_not_eq(people):
    assert _emails(_filter("q[first_name_not_eq]=Ada")) == [
        "cleo@example.com",
        "bea@example.com",
        "ada2@example.com",
    ]


def test_filter_cont_is_case_insensitive(people):
    assert _emails(_filter("q[email_cont]=ADA")) == ["ada@example.com", "ada2@example.com"]


def test_filter_start(people):
    assert _emails(_filter("q[first_name_start]=c")) == ["cleo@example.com"]


def test_filter_in_with_repeated_values(people):
    result = _filter("q[first_name_in][]=Bea&q[first_name_in][]=Cleo")

    assert _emails(result) == ["cleo@example.com", "bea@example.com"]


def test_filter_in_with_a_comma_list(people):
    assert _emails(_filter("q[first_name_in]=Bea,Cleo")) == ["cleo@example.com", "bea@example.com"]


def test_filter_gt_and_lteq_together(people):
    ids = sorted(user.pk for user in people.values())

    result = _filter(f"q[id_gt]={ids[0]}&q[id_lteq]={ids[2]}")

    assert [user.pk for user in result] == ids[1:3]


def test_filter_present_and_blank(people):
    assert _emails(_filter("q[phone_present]=1")) == ["ada@example.com", "ada2@example.com"]
    assert _emails(_filter("q[phone_blank]=true")) == ["cleo@example.com", "bea@example.com"]


def test_filter_ignores_unknown_attributes_and_predicates(people):
    result = _filter("q[password_eq]=x&q[first_name_like]=Ada&q[is_staff_eq]=1&other=1")

    assert result.count() == 4


def test_filter_with_a_value_of_the_wrong_type_is_invalid_request(people):
    with pytest.raises(InvalidRequest) as caught:
        _filter("q[id_gt]=abc")

    assert caught.value.status_code == 400
    assert caught.value.message == "A filter value has the wrong type."


def test_filter_with_a_bad_date_is_invalid_request(people):
    with pytest.raises(InvalidRequest):
        _filter("q[created_at_gt]=yesterday")


def test_parse_list_splits_and_trims():
    assert parse_list(" email, first_name,,id ") == ["email", "first_name", "id"]
    assert parse_list("") == []
    assert parse_list(None) == []


def test_select_fields_keeps_id_requested_and_expanded_keys():
    data = {"id": "x_1", "email": "a", "first_name": "b", "items": [], "phone": None}

    assert select_fields(data, ["email", "nope"], {"items"}) == {
        "id": "x_1",
        "email": "a",
        "items": [],
    }


def test_select_fields_without_fields_keeps_everything():
    data = {"id": "x_1", "email": "a"}

    assert select_fields(data, [], set()) == data


def test_fields_filters_customers_me(customer_api, customer):
    response = customer_api.get("/customers/me", {"fields": "email,first_name"})

    assert response.status_code == 200
    assert response.json() == {
        "id": customer.public_id,
        "email": "ada@example.com",
        "first_name": "Ada",
    }


def test_fields_filters_every_row_of_a_list(customer_api):
    response = customer_api.get("/customers/me/sessions", {"fields": "current"})

    assert response.json()["data"] == [{"id": response.json()["data"][0]["id"], "current": True}]
    assert set(response.json()["meta"]) == {
        "page", "limit", "count", "pages", "from", "to", "in", "previous", "next"
    }  # fmt: skip
