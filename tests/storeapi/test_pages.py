"""show_service_errors: a service's ValidationFailed details next to the fields of a page's form,
of a nested form (`shipping_address.postal_code`) or, when no field shows them, on the form as
a whole. save_form: a valid form saved through a service, its refusal shown on the form."""

from __future__ import annotations

from django import forms

from storeapi.errors import ValidationFailed
from storeapi.pages import save_form, show_service_errors


class ChoiceForm(forms.Form):
    email = forms.CharField(label="Email", required=False)


class NameForm(forms.Form):
    name = forms.CharField(label="Name", max_length=5)


class PlaceForm(forms.Form):
    postal_code = forms.CharField(label="Postal code", required=False)
    state_abbr = forms.CharField(label="State / province", required=False)


def _bound(form_class: type[forms.Form], prefix: str | None = None) -> forms.Form:
    form = form_class({}, prefix=prefix)
    assert form.is_valid()
    return form


def test_a_detail_goes_next_to_the_field_of_its_name():
    form = _bound(ChoiceForm)

    show_service_errors(form, ValidationFailed.from_details({"email": ["is invalid"]}))

    assert form.errors == {"email": ["Email is invalid"]}


def test_a_detail_without_a_field_and_a_detail_less_error_go_on_the_whole_form():
    form = _bound(ChoiceForm)
    other = _bound(ChoiceForm)

    show_service_errors(form, ValidationFailed.from_details({"items": ["must be a list"]}))
    show_service_errors(other, ValidationFailed("Something is off"))

    assert form.errors == {"__all__": ["Items must be a list"]}
    assert other.errors == {"__all__": ["Something is off"]}


def test_a_nested_detail_goes_to_its_form_and_the_field_map_renames_it():
    main = _bound(ChoiceForm)
    ship = _bound(PlaceForm, prefix="ship")
    bill = _bound(PlaceForm, prefix="bill")
    error = ValidationFailed.from_details(
        {
            "email": ["can't be blank"],
            "shipping_address.postal_code": ["is invalid"],
            "billing_address.state_name": ["is invalid"],
            "billing_address.unknown": ["is odd"],
            "shipping_address": ["must be an object"],
        }
    )

    show_service_errors(
        main,
        error,
        {"state_name": "state_abbr"},
        nested={"shipping_address": ship, "billing_address": bill},
    )

    assert main.errors == {
        "email": ["Email can't be blank"],
        "__all__": ["Billing address.unknown is odd", "Shipping address must be an object"],
    }
    assert ship.errors == {"postal_code": ["Postal code is invalid"]}
    assert bill.errors == {"state_abbr": ["State / province is invalid"]}


def test_save_form_returns_what_the_service_saved():
    form = NameForm({"name": "Ada"})

    assert save_form(form, lambda: f"saved {form.cleaned_data['name']}") == "saved Ada"
    assert form.errors == {}


def test_save_form_does_not_call_the_service_for_an_invalid_form():
    form = NameForm({"name": "Too long"})
    calls = []

    assert save_form(form, lambda: calls.append("saved")) is None
    assert calls == []
    assert form.errors == {"name": ["Ensure this value has at most 5 characters (it has 8)."]}


def test_save_form_shows_the_services_refusal_next_to_the_mapped_field():
    form = NameForm({"name": "Ada"})

    def refuse():
        raise ValidationFailed.from_details({"title": ["can't be blank"]})

    assert save_form(form, refuse, {"title": "name"}) is None
    assert form.errors == {"name": ["Name can't be blank"]}
