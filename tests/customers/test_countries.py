"""Countries and states: shapes, served set, ISO lookups, and guest HTTP caching."""

import pytest

from customers import geography
from customers.models import Country
from tests.conftest import StoreClient

COUNTRY_KEYS = {"iso", "iso3", "name", "states_required", "zipcode_required"}
COUNTRY_NOT_FOUND = {"error": {"code": "record_not_found", "message": "Country not found"}}


def test_country_list_has_only_served_countries_and_no_meta(api):
    response = api.get("/countries")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"data"}
    served = sorted(Country.objects.filter(is_served=True).values_list("name", flat=True))
    assert [row["name"] for row in body["data"]] == served
    isos = {row["iso"] for row in body["data"]}
    assert isos == set(geography.DEFAULT_SERVED_COUNTRIES)
    assert "HK" not in isos


def test_country_list_rows_have_exactly_the_country_keys(api):
    rows = api.get("/countries").json()["data"]

    assert all(set(row) == COUNTRY_KEYS for row in rows)
    us = next(row for row in rows if row["iso"] == "US")
    assert us == {
        "iso": "US",
        "iso3": "USA",
        "name": "United States",
        "states_required": True,
        "zipcode_required": True,
    }
    ie = next(row for row in rows if row["iso"] == "IE")
    assert (ie["states_required"], ie["zipcode_required"]) == (False, False)


def test_country_list_follows_the_served_flag(api):
    Country.objects.filter(iso="DE").update(is_served=False)
    Country.objects.filter(iso="HK").update(is_served=True)

    isos = {row["iso"] for row in api.get("/countries").json()["data"]}

    assert "DE" not in isos
    assert "HK" in isos
    assert len(isos) == len(geography.DEFAULT_SERVED_COUNTRIES)


def test_every_iso_country_is_loaded_from_pycountry(db):
    import pycountry

    assert Country.objects.count() == len(pycountry.countries)
    assert Country.objects.get(iso="DE").iso3 == "DEU"


def test_country_detail_is_case_insensitive(api):
    upper = api.get("/countries/US")
    lower = api.get("/countries/us")

    assert upper.status_code == lower.status_code == 200
    assert (
        lower.json()
        == upper.json()
        == {
            "iso": "US",
            "iso3": "USA",
            "name": "United States",
            "states_required": True,
            "zipcode_required": True,
        }
    )


def test_country_detail_expands_states(api):
    response = api.get("/countries/us", {"expand": "states"})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == COUNTRY_KEYS | {"states"}
    assert {"abbr": "NY", "name": "New York"} in body["states"]
    assert {"abbr": "CA", "name": "California"} in body["states"]
    assert all(set(state) == {"abbr", "name"} for state in body["states"])
    names = [state["name"] for state in body["states"]]
    assert names == sorted(names)
    assert len(body["states"]) == len(geography.subdivisions("US"))


def test_country_states_are_the_most_specific_subdivisions(api):
    states = api.get("/countries/es", {"expand": "states"}).json()["states"]

    abbrs = {state["abbr"] for state in states}
    assert "M" in abbrs  # Madrid province
    assert "MD" not in abbrs  # Comunidad de Madrid, a parent region


def test_country_without_states_expands_to_an_empty_list(api):
    Country.objects.filter(iso="HK").update(is_served=True)

    body = api.get("/countries/HK", {"expand": "states"}).json()

    assert body["states"] == []


def test_country_detail_without_expand_has_no_states(api):
    assert "states" not in api.get("/countries/DE").json()


@pytest.mark.parametrize("iso", ["XX", "HK", "USA", "u", "us1"])
def test_unknown_or_unserved_country_is_not_found(api, iso):
    response = api.get(f"/countries/{iso}")

    assert response.status_code == 404
    assert response.json() == COUNTRY_NOT_FOUND


def test_guest_country_list_is_publicly_cacheable(api):
    response = api.get("/countries")

    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"].startswith('"')
    vary = [part.strip().lower() for part in response["Vary"].split(",")]
    for header in ("accept", "x-spree-currency", "x-spree-locale", "x-spree-channel"):
        assert header in vary


def test_guest_country_detail_is_publicly_cacheable(api):
    response = api.get("/countries/de")

    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"]
    assert "x-spree-currency" in response["Vary"].lower()


def test_matching_if_none_match_gets_304_without_a_body(api):
    etag = api.get("/countries")["ETag"]

    response = api.get("/countries", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, max-age=300"


def test_stale_if_none_match_gets_the_full_response(api):
    etag = api.get("/countries")["ETag"]
    Country.objects.filter(iso="HK").update(is_served=True)

    response = api.get("/countries", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "HK" in {row["iso"] for row in response.json()["data"]}


def test_etag_differs_with_expand(api):
    plain = api.get("/countries/us")["ETag"]
    expanded = api.get("/countries/us", {"expand": "states"})["ETag"]

    assert plain != expanded
    assert api.get("/countries/us", {"expand": "states"}, HTTP_IF_NONE_MATCH=plain).status_code == (
        200
    )


def test_signed_in_customer_gets_private_no_store(customer_api):
    listing = customer_api.get("/countries")
    detail = customer_api.get("/countries/us", HTTP_IF_NONE_MATCH="*")

    for response in (listing, detail):
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        assert not response.has_header("ETag")


def test_countries_need_the_publishable_key(db):
    for path in ("/countries", "/countries/us"):
        response = StoreClient().get(path)

        assert response.status_code == 401
        assert response.json() == {
            "error": {"code": "invalid_token", "message": "Valid API key required"}
        }


def test_countries_refuse_an_unknown_publishable_key(db):
    response = StoreClient("pk_unknown").get("/countries")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_country_list_expands_states_of_every_country(api):
    rows = api.get("/countries", {"expand": "states"}).json()["data"]

    assert all(set(row) == COUNTRY_KEYS | {"states"} for row in rows)
    by_iso = {row["iso"]: row["states"] for row in rows}
    assert {"abbr": "BY", "name": "Bayern"} in by_iso["DE"]
    assert len(by_iso["US"]) == len(geography.subdivisions("US"))
