"""Forms of the account pages of customers, and the address form the checkout uses too. They
parse input only: which country is served, which fields an address needs and what a postal code
looks like are decided by customers.services.address_clean and come back as field errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from customers import geography
from customers.models import Address
from customers.selectors import countries_served

#: Service detail keys -> form fields where the names differ (a state is picked by its
#: abbreviation; a bad state name given through the API is shown on the same picker).
ADDRESS_ERROR_FIELDS = {"state_name": "state_abbr"}

#: The browser's autofill tokens of the address fields.
ADDRESS_AUTOCOMPLETE = {
    "first_name": "given-name",
    "last_name": "family-name",
    "company": "organization",
    "address1": "address-line1",
    "address2": "address-line2",
    "city": "address-level2",
    "country_iso": "country",
    "state_abbr": "address-level1",
    "postal_code": "postal-code",
    "phone": "tel",
}


def default_country(served: list[str]) -> str:
    """The country an empty address form starts with: the United States when served (the demo
    store's market), else the first served country."""
    return "US" if "US" in served else (served[0] if served else "")


def state_choices(country_iso: str) -> list[tuple[str, str]]:
    """The subdivisions of a country for the state picker (blank first): the states
    address_clean accepts for it."""
    states = geography.subdivisions(country_iso) if country_iso else ()
    blank = ("", "Choose a state or province" if states else "Not needed for this country")
    return [blank, *((state.abbr, state.name) for state in states)]


def states_by_country(countries: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """Every served country's state picker choices, for the picker's script (`json_script`)."""
    return {iso: state_choices(iso) for iso, _ in countries}


class AddressForm(forms.Form):
    """An address as customers.services.address_clean takes it (the same field names), on the
    checkout (a shipping and a billing one, told apart by `prefix`) and, with the default
    flags, in the address book (AddressBookForm)."""

    first_name = forms.CharField(label="First name", max_length=100, required=False)
    last_name = forms.CharField(label="Last name", max_length=100, required=False)
    company = forms.CharField(label="Company (optional)", max_length=100, required=False)
    address1 = forms.CharField(label="Street address", max_length=255, required=False)
    address2 = forms.CharField(
        label="Apartment, suite, etc. (optional)", max_length=255, required=False
    )
    city = forms.CharField(label="City", max_length=100, required=False)
    country_iso = forms.CharField(label="Country", max_length=2, required=False)
    state_abbr = forms.CharField(label="State / province", max_length=10, required=False)
    postal_code = forms.CharField(label="Postal code", max_length=20, required=False)
    phone = forms.CharField(label="Phone (optional)", max_length=40, required=False)

    def __init__(
        self, *args: Any, countries: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        """`countries`: the served (iso, name) pairs, when the page already read them."""
        super().__init__(*args, **kwargs)
        if countries is None:
            countries = list(countries_served().values_list("iso", "name"))
        self.countries = countries
        served = [iso for iso, _ in countries]
        if settings.ADDRESS_REQUIRES_PHONE:
            self.fields["phone"].label = "Phone"
        given = self.data.get(self.add_prefix("country_iso")) if self.is_bound else None
        chosen = str(given or self.initial.get("country_iso") or "").upper()
        if chosen not in served:  # an unknown country is the service's error; keep states usable
            chosen = default_country(served)
        self.fields["country_iso"].initial = chosen
        self.fields["country_iso"].widget = forms.Select(
            choices=countries, attrs={"data-state-picker": self.add_prefix("state_abbr")}
        )
        self.fields["state_abbr"].widget = forms.Select(choices=state_choices(chosen))
        for name, token in ADDRESS_AUTOCOMPLETE.items():
            section = f"section-{self.prefix} " if self.prefix else ""
            self.fields[name].widget.attrs["autocomplete"] = f"{section}{token}"

    def service_data(self) -> dict[str, Any]:
        """The cleaned form as the address services take it; the state is the picked
        abbreviation, so a state name the address had before is dropped."""
        return {**self.cleaned_data, "state_name": ""}

    @classmethod
    def initial_from(cls, address: Address) -> dict[str, Any]:
        """The form's fields as a saved address has them."""
        return {
            name: getattr(address, "country_id" if name == "country_iso" else name)
            for name in cls.base_fields
        }


class AddressBookForm(AddressForm):
    """An address of the customer's address book, with its default flags."""

    is_default_shipping = forms.BooleanField(
        label="Use as my default shipping address", required=False
    )
    is_default_billing = forms.BooleanField(
        label="Use as my default billing address", required=False
    )


class CloseAccountForm(forms.Form):
    current_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="I understand that closing my account cannot be undone",
        error_messages={"required": "Please confirm that you want to close your account."},
    )
