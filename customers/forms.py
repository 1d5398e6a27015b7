"""Forms of the account pages of customers. They parse input only: which country is served,
which fields an address needs and what a postal code looks like are decided by
customers.services.address_clean and come back as field errors."""

from __future__ import annotations

from typing import Any

from django import forms

from customers import geography
from customers.selectors import countries_served

#: Service detail keys -> form fields where the names differ.
ADDRESS_ERROR_FIELDS = {"country_iso": "country", "state_abbr": "state", "state_name": "state"}


def _text(label: str, max_length: int, autocomplete: str, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
        **kwargs,
    )


def state_choices(country_iso: str) -> list[tuple[str, str]]:
    """The subdivisions of a country for the state picker (blank first)."""
    states = geography.subdivisions(country_iso) if country_iso else ()
    blank = ("", "Choose a state or province" if states else "Not needed for this country")
    return [blank, *((state.abbr, state.name) for state in states)]


def states_by_country(countries: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """Every served country's subdivisions, for the picker's script (`json_script`)."""
    return {
        iso: [(state.abbr, state.name) for state in geography.subdivisions(iso)]
        for iso, _ in countries
    }


class AddressForm(forms.Form):
    first_name = _text("First name", 100, "given-name")
    last_name = _text("Last name", 100, "family-name")
    company = _text("Company (optional)", 100, "organization")
    address1 = _text("Street address", 255, "address-line1")
    address2 = _text("Apartment, suite, etc. (optional)", 255, "address-line2")
    city = _text("City", 100, "address-level2")
    country = forms.CharField(label="Country", max_length=2, required=False, widget=forms.Select)
    state = forms.CharField(label="State / province", max_length=10, required=False)
    postal_code = _text("Postal code", 20, "postal-code")
    phone = _text("Phone", 40, "tel")
    is_default_shipping = forms.BooleanField(
        label="Use as my default shipping address", required=False
    )
    is_default_billing = forms.BooleanField(
        label="Use as my default billing address", required=False
    )

    def __init__(self, *args: Any, default_country: str = "US", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.countries = list(countries_served().values_list("iso", "name"))
        self.fields["country"].widget.choices = self.countries
        self.fields["country"].widget.attrs["autocomplete"] = "country"
        served = [iso for iso, _ in self.countries]
        if "country" not in self.initial and not self.is_bound:
            fallback = served[0] if served else ""
            self.initial["country"] = default_country if default_country in served else fallback
        chosen = self.data.get("country") if self.is_bound else self.initial.get("country")
        self.fields["state"].widget = forms.Select(
            choices=state_choices(str(chosen or "").upper()[:2]),
            attrs={"autocomplete": "address-level1"},
        )

    def service_data(self) -> dict[str, Any]:
        """The cleaned form as the address services take it."""
        data = dict(self.cleaned_data)
        data["country_iso"] = data.pop("country")
        data["state_abbr"] = data.pop("state")
        data["state_name"] = ""
        return data

    @staticmethod
    def initial_from(address) -> dict[str, Any]:
        return {
            "first_name": address.first_name,
            "last_name": address.last_name,
            "company": address.company,
            "address1": address.address1,
            "address2": address.address2,
            "city": address.city,
            "country": address.country_id,
            "state": address.state_abbr,
            "postal_code": address.postal_code,
            "phone": address.phone,
            "is_default_shipping": address.is_default_shipping,
            "is_default_billing": address.is_default_billing,
        }


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
