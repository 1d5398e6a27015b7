"""Per-country address validation: each rule's exact 422 `details`, keyed by API field names."""

import pytest

from customers import geography
from customers.models import Address, Country
from tests.customers.helpers import ADDRESSES, DE_OFFICE, US_HOME, address_table

MINIMAL_US = {"country_iso": "US", "state_abbr": "NY", "city": "New York"}


def _errors(response) -> dict:
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    return error["details"]


def _create_fails(client, body) -> dict:
    before = address_table()
    details = _errors(client.post(ADDRESSES, body))
    assert address_table() == before
    return details


def _without(payload: dict, *fields: str) -> dict:
    return {key: value for key, value in payload.items() if key not in fields}


# --- names, street, city ------------------------------------------------------------------


@pytest.mark.parametrize("field", ["first_name", "last_name", "address1", "city"])
def test_each_required_field_missing_is_reported_under_its_api_name(customer_api, field):
    details = _create_fails(customer_api, _without(US_HOME, field))

    assert details == {field: ["can't be blank"]}


@pytest.mark.parametrize("field", ["first_name", "last_name", "address1", "city"])
def test_required_field_that_is_blank_or_null_is_missing(customer_api, field):
    assert _create_fails(customer_api, {**US_HOME, field: "   "}) == {field: ["can't be blank"]}
    assert _create_fails(customer_api, {**US_HOME, field: None}) == {field: ["can't be blank"]}


def test_every_failure_is_reported_at_once_with_a_readable_message(customer_api):
    response = customer_api.post(ADDRESSES, {"country_iso": "US", "postal_code": "ABCDE"})

    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": "validation_error",
            "message": "First name can't be blank, Last name can't be blank, Address1 can't be "
            "blank, City can't be blank, Postal code is invalid and State abbr can't be blank",
            "details": {
                "first_name": ["can't be blank"],
                "last_name": ["can't be blank"],
                "address1": ["can't be blank"],
                "city": ["can't be blank"],
                "postal_code": ["is invalid"],
                "state_abbr": ["can't be blank"],
            },
        }
    }
    assert Address.objects.count() == 0


# --- country ------------------------------------------------------------------------------


def test_missing_country_is_reported(customer_api):
    assert _create_fails(customer_api, _without(US_HOME, "country_iso")) == {
        "country_iso": ["can't be blank"]
    }


@pytest.mark.parametrize("iso", ["XX", "USA", "U"])
def test_unknown_country_is_invalid(customer_api, iso):
    assert _create_fails(customer_api, {**US_HOME, "country_iso": iso}) == {
        "country_iso": ["is invalid"]
    }


def test_country_the_store_does_not_serve_is_refused(customer_api):
    Country.objects.filter(iso="DE").update(is_served=False)

    assert _create_fails(customer_api, DE_OFFICE) == {
        "country_iso": ["is not a country the store ships to"]
    }


def test_country_switched_on_in_the_admin_is_accepted(customer_api):
    assert Country.objects.get(iso="HK").is_served is False
    Country.objects.filter(iso="HK").update(is_served=True)

    response = customer_api.post(
        ADDRESSES,
        {"first_name": "Ada", "last_name": "Li", "address1": "1 Queen's Rd", "city": "Central"},
    )
    assert _errors(response) == {"country_iso": ["can't be blank"]}
    response = customer_api.post(
        ADDRESSES,
        {
            "first_name": "Ada",
            "last_name": "Li",
            "address1": "1 Queen's Rd",
            "city": "Central",
            "country_iso": "hk",
        },
    )

    assert response.status_code == 201
    assert (response.json()["country_iso"], response.json()["postal_code"]) == ("HK", None)


# --- state --------------------------------------------------------------------------------


def test_state_abbr_of_another_country_is_invalid_in_germany(customer_api):
    assert _create_fails(customer_api, {**DE_OFFICE, "state_abbr": "NY"}) == {
        "state_abbr": ["is invalid"]
    }


def test_state_abbr_of_another_country_is_invalid_in_the_us(customer_api):
    assert _create_fails(customer_api, {**US_HOME, "state_abbr": "BY"}) == {
        "state_abbr": ["is invalid"]
    }


def test_state_abbr_of_the_country_is_accepted_and_named(customer_api):
    response = customer_api.post(ADDRESSES, {**DE_OFFICE, "state_abbr": "by"})

    assert response.status_code == 201
    body = response.json()
    assert (body["state_abbr"], body["state_name"], body["state_text"]) == ("BY", "Bayern", "BY")


def test_state_is_required_in_the_us(customer_api):
    assert geography.rules("US").states_required is True

    assert _create_fails(customer_api, _without(US_HOME, "state_abbr")) == {
        "state_abbr": ["can't be blank"]
    }


def test_state_is_optional_in_germany(customer_api):
    assert geography.rules("DE").states_required is False

    response = customer_api.post(ADDRESSES, DE_OFFICE)

    assert response.status_code == 201
    assert response.json()["state_abbr"] is None


def test_state_name_is_matched_to_the_subdivision_where_states_are_required(customer_api):
    body = _without(US_HOME, "state_abbr") | {"state_name": "new YORK"}

    response = customer_api.post(ADDRESSES, body)

    assert response.status_code == 201
    assert (response.json()["state_abbr"], response.json()["state_name"]) == ("NY", "New York")
    stored = Address.objects.get()
    assert (stored.state_abbr, stored.state_name) == ("NY", "New York")


def test_unknown_state_name_is_invalid_where_states_are_required(customer_api):
    body = _without(US_HOME, "state_abbr") | {"state_name": "Narnia"}

    assert _create_fails(customer_api, body) == {"state_name": ["is invalid"]}


def test_state_name_is_free_text_where_states_are_not_required(customer_api):
    assert geography.rules("GB").states_required is False
    body = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "address1": "12 St James's Square",
        "city": "London",
        "postal_code": "SW1Y 4JH",
        "country_iso": "GB",
        "state_name": "Greater London",
    }

    response = customer_api.post(ADDRESSES, body)

    assert response.status_code == 201
    body = response.json()
    assert (body["state_abbr"], body["state_name"], body["state_text"]) == (
        None,
        "Greater London",
        "Greater London",
    )


# --- postal code --------------------------------------------------------------------------


def test_us_postal_code_in_the_wrong_format_is_invalid(customer_api):
    assert _create_fails(customer_api, {**US_HOME, "postal_code": "ABCDE"}) == {
        "postal_code": ["is invalid"]
    }


def test_german_postal_code_in_the_wrong_format_is_invalid(customer_api):
    assert _create_fails(customer_api, {**DE_OFFICE, "postal_code": "1234"}) == {
        "postal_code": ["is invalid"]
    }


def test_postal_code_is_required_in_the_us(customer_api):
    assert geography.rules("US").zipcode_required is True

    assert _create_fails(customer_api, _without(US_HOME, "postal_code")) == {
        "postal_code": ["can't be blank"]
    }


def test_postal_code_is_optional_in_ireland_but_checked_when_given(customer_api):
    assert geography.rules("IE").zipcode_required is False
    dublin = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "address1": "1 Grafton Street",
        "city": "Dublin",
        "country_iso": "IE",
    }

    without = customer_api.post(ADDRESSES, dublin)
    assert without.status_code == 201
    assert without.json()["postal_code"] is None
    assert _create_fails(customer_api, {**dublin, "postal_code": "D0"}) == {
        "postal_code": ["is invalid"]
    }
    with_code = customer_api.post(ADDRESSES, {**dublin, "postal_code": "d02 x285"})
    assert with_code.status_code == 201
    assert with_code.json()["postal_code"] == "D02 X285"


def test_postal_code_is_optional_where_the_data_says_so(customer_api):
    assert geography.rules("HK") == geography.CountryRules(False, False, ())
    Country.objects.filter(iso="HK").update(is_served=True)

    response = customer_api.post(
        ADDRESSES,
        {
            "first_name": "Ada",
            "last_name": "Li",
            "address1": "1 Queen's Road",
            "city": "Central",
            "postal_code": "anything 123",
            "country_iso": "HK",
        },
    )

    assert response.status_code == 201
    assert response.json()["postal_code"] == "ANYTHING 123"


def test_country_rules_come_from_the_address_data():
    assert geography.rules("us").states_required is True
    assert geography.rules("US").zipcode_required is True
    assert geography.rules("DE") == geography.CountryRules(
        False, True, geography.rules("DE").postal_code_patterns
    )
    assert [p.pattern for p in geography.rules("DE").postal_code_patterns] == [r"^\d{5}$"]
    assert geography.postal_code_matches("US", "10118-0110") is True
    assert geography.postal_code_matches("US", "1011") is False
    assert geography.rules("ZZ") == geography.CountryRules(False, False, ())


# --- quick checkout -----------------------------------------------------------------------


def test_quick_checkout_relaxes_names_street_and_postal_code(customer_api):
    response = customer_api.post(ADDRESSES, {**MINIMAL_US, "quick_checkout": True})

    assert response.status_code == 201
    body = response.json()
    assert body["quick_checkout"] is True
    assert (body["first_name"], body["last_name"], body["address1"], body["postal_code"]) == (
        None,
        None,
        None,
        None,
    )
    assert body["full_name"] == ""
    assert Address.objects.get().quick_checkout is True


def test_without_quick_checkout_the_same_address_is_refused(customer_api):
    assert _create_fails(customer_api, {**MINIMAL_US, "quick_checkout": False}) == {
        "first_name": ["can't be blank"],
        "last_name": ["can't be blank"],
        "address1": ["can't be blank"],
        "postal_code": ["can't be blank"],
    }


def test_quick_checkout_still_needs_a_city_a_country_and_a_valid_postal_code(customer_api):
    assert _create_fails(customer_api, {"quick_checkout": True, "country_iso": "US"}) == {
        "city": ["can't be blank"],
        "state_abbr": ["can't be blank"],
    }
    assert _create_fails(customer_api, {"quick_checkout": True, "city": "Berlin"}) == {
        "country_iso": ["can't be blank"]
    }
    assert _create_fails(
        customer_api, {**MINIMAL_US, "quick_checkout": True, "postal_code": "ABCDE"}
    ) == {"postal_code": ["is invalid"]}


def test_quick_checkout_relaxes_the_phone_when_the_store_requires_one(customer_api, settings):
    settings.ADDRESS_REQUIRES_PHONE = True

    response = customer_api.post(ADDRESSES, {**MINIMAL_US, "quick_checkout": True})

    assert response.status_code == 201
    assert response.json()["phone"] is None


# --- phone --------------------------------------------------------------------------------


def test_phone_is_optional_by_default(customer_api, settings):
    settings.ADDRESS_REQUIRES_PHONE = False

    response = customer_api.post(ADDRESSES, _without(US_HOME, "phone"))

    assert response.status_code == 201
    assert response.json()["phone"] is None


def test_phone_is_required_when_the_store_setting_says_so(customer_api, settings):
    settings.ADDRESS_REQUIRES_PHONE = True

    assert _create_fails(customer_api, _without(US_HOME, "phone")) == {"phone": ["can't be blank"]}
    assert customer_api.post(ADDRESSES, US_HOME).status_code == 201


# --- types and lengths --------------------------------------------------------------------


@pytest.mark.parametrize("value", [12345, 1.5, True, ["New York"], {"name": "New York"}])
def test_wrong_type_for_a_text_field_is_422_with_its_details(customer_api, value):
    assert _create_fails(customer_api, {**US_HOME, "city": value}) == {"city": ["must be a string"]}


@pytest.mark.parametrize("value", ["yes please", 2, {"x": 1}])
def test_wrong_type_for_a_default_flag_is_422_with_its_details(customer_api, value):
    assert _create_fails(customer_api, {**US_HOME, "is_default_billing": value}) == {
        "is_default_billing": ["must be true or false"]
    }


def test_too_long_text_is_422_with_its_details(customer_api):
    assert _create_fails(customer_api, {**US_HOME, "city": "x" * 101}) == {
        "city": ["is too long (maximum is 100 characters)"]
    }


def test_update_is_validated_against_the_merged_address(customer_api):
    address_id = customer_api.post(ADDRESSES, US_HOME).json()["id"]
    before = address_table()

    moved_to_britain = customer_api.patch(f"{ADDRESSES}/{address_id}", {"country_iso": "GB"})
    wrong_type = customer_api.patch(f"{ADDRESSES}/{address_id}", {"city": 7})

    assert _errors(moved_to_britain) == {"postal_code": ["is invalid"]}
    assert _errors(wrong_type) == {"city": ["must be a string"]}
    assert address_table() == before
