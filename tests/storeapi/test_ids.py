import pytest

from accounts.models import AuthSession, User
from storeapi.errors import NotFound
from storeapi.ids import decode_id, encode_id, get_by_public_id


@pytest.mark.parametrize(
    ("pk", "expected"),
    [(1, "cus_UkLWZg9DAJ"), (2, "cus_gbHJdmfrXB"), (3, "cus_EfhxLZ9ck8")],
)
def test_encode_id_matches_spree_sqids_values(pk, expected):
    assert encode_id("cus", pk) == expected


def test_encoded_id_has_at_least_ten_characters_after_the_prefix():
    assert len(encode_id("addr", 7).split("_", 1)[1]) == 10
    assert len(encode_id("addr", 10**12).split("_", 1)[1]) >= 10


def test_decode_id_returns_the_primary_key():
    assert decode_id("cus_UkLWZg9DAJ", "cus") == 1
    assert decode_id("addr_gbHJdmfrXB", ("cart", "addr")) == 2


def test_decode_id_rejects_another_models_prefix():
    assert decode_id("addr_UkLWZg9DAJ", "cus") is None
    assert decode_id("or_UkLWZg9DAJ", "cart") is None


@pytest.mark.parametrize(
    "value",
    [
        "cus_UkLWZg9DAJx",  # decodes to [1] but is not the canonical encoding
        "cus_XMbTbzBOmP",  # two numbers [1, 2]
        "cus_!!",
        "cus_",
        "UkLWZg9DAJ",
        "CUS_UkLWZg9DAJ",
        "cus_UkLWZg9DAJ\n",
        "",
        None,
        1,
        ["cus_UkLWZg9DAJ"],
    ],
)
def test_decode_id_returns_none_for_anything_not_a_canonical_prefixed_id(value):
    assert decode_id(value, "cus") is None


def test_user_public_id_uses_the_cus_prefix(customer):
    assert customer.public_id == encode_id("cus", customer.pk)
    assert decode_id(customer.public_id, "cus") == customer.pk


def test_get_by_public_id_finds_the_row(customer):
    assert get_by_public_id(User.objects.all(), customer.public_id, "cus") == customer


def test_get_by_public_id_outside_the_queryset_is_not_found(customer, other_customer):
    with pytest.raises(NotFound) as caught:
        get_by_public_id(User.objects.filter(pk=customer.pk), other_customer.public_id, "cus")
    assert caught.value.status_code == 404
    assert caught.value.code == "record_not_found"
    assert caught.value.message == "Customer not found"


@pytest.mark.parametrize("value", ["garbage", "cus_!!", "sess_UkLWZg9DAJ", None])
def test_get_by_public_id_with_a_bad_value_is_not_found(customer, value):
    with pytest.raises(NotFound):
        get_by_public_id(User.objects.all(), value, "cus")


def test_get_by_public_id_uses_the_given_not_found_error(customer):
    error = NotFound("Session not found")
    with pytest.raises(NotFound) as caught:
        get_by_public_id(AuthSession.objects.all(), "sess_!!", "sess", not_found=error)
    assert caught.value is error


def test_session_lookup_with_the_right_number_but_another_prefix_is_a_404(customer_api):
    session = AuthSession.objects.get(pk=customer_api.session_id)
    wrong_prefix = encode_id("cus", session.pk)

    response = customer_api.get(f"/customers/me/sessions/{wrong_prefix}")

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "record_not_found", "message": "Session not found"}
    }
    right = customer_api.get(f"/customers/me/sessions/{session.public_id}")
    assert right.status_code == 200
    assert right.json()["id"] == session.public_id


@pytest.mark.parametrize("value", ["sess_!!!", "sess_UkLWZg9DAJx", "12", "sess_%F0%9F%92%A5"])
def test_undecodable_ids_in_the_path_are_404_never_500(customer_api, value):
    response = customer_api.get(f"/customers/me/sessions/{value}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "record_not_found"
