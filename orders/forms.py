"""Forms of the cart and checkout pages. They check the shape of what a shopper typed; the cart,
checkout and payment services decide the rest, and their errors are shown next to these fields
(`storeapi.errors.ValidationFailed.details` use the same field names). The address fields are
the address book's form (customers.forms.AddressForm)."""

from __future__ import annotations

from django import forms

from customers.models import Address
from orders.services.carts import MAX_LINE_QUANTITY

NEW_ADDRESS = "new"


class CartLineForm(forms.Form):
    quantity = forms.IntegerField(
        label="Quantity",
        min_value=1,
        max_value=MAX_LINE_QUANTITY,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "quantity"}),
    )


# --- address ---------------------------------------------------------------------------------


def address_label(address: Address) -> str:
    parts = [address.full_name, address.address1, address.city, address.postal_code]
    return ", ".join(part for part in [*parts, address.country_id] if part)


class CheckoutAddressForm(forms.Form):
    """Email (guests), which saved address to ship to (signed-in customers), and whether the
    billing address is the same."""

    email = forms.EmailField(label="Email", max_length=254, required=False)
    ship_choice = forms.ChoiceField(
        label="Ship to", widget=forms.RadioSelect, required=False, initial=NEW_ADDRESS
    )
    use_shipping = forms.BooleanField(
        label="My billing address is the same as my shipping address",
        required=False,
        initial=True,
    )
    bill_choice = forms.ChoiceField(
        label="Bill to", widget=forms.RadioSelect, required=False, initial=NEW_ADDRESS
    )

    def __init__(self, *args, saved: list[Address], is_guest: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(a.public_id, address_label(a)) for a in saved]
        choices.append((NEW_ADDRESS, "A new address"))
        self.fields["ship_choice"].choices = choices
        self.fields["bill_choice"].choices = choices
        if is_guest:
            self.fields["email"].required = True
            self.fields["email"].widget.attrs["autocomplete"] = "email"
        else:
            del self.fields["email"]
        if not saved:
            del self.fields["ship_choice"]
            del self.fields["bill_choice"]

    def ship_to_saved(self) -> str | None:
        choice = self.cleaned_data.get("ship_choice")
        return choice if choice and choice != NEW_ADDRESS else None

    def bill_to_saved(self) -> str | None:
        choice = self.cleaned_data.get("bill_choice")
        return choice if choice and choice != NEW_ADDRESS else None


# --- delivery --------------------------------------------------------------------------------


class DeliveryForm(forms.Form):
    """One choice of delivery rate per fulfillment: field `rate_<fulfillment id>`."""

    def __init__(self, *args, fulfillments: list, labels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for index, fulfillment in enumerate(fulfillments, start=1):
            rates = list(fulfillment.delivery_rates.all())
            selected = next((r.public_id for r in rates if r.selected), None)
            label = "Delivery" if len(fulfillments) == 1 else f"Delivery of shipment {index}"
            self.fields[f"rate_{fulfillment.public_id}"] = forms.ChoiceField(
                label=label,
                choices=[(rate.public_id, labels[rate.public_id]) for rate in rates],
                widget=forms.RadioSelect,
                initial=selected,
            )

    def choices(self) -> dict[str, str]:
        """fulfillment id -> chosen rate id."""
        return {
            name.removeprefix("rate_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("rate_")
        }


# --- payment ---------------------------------------------------------------------------------

NEW_CARD = "new"


class PaymentForm(forms.Form):
    """A way to pay the amount due: a payment method, and for the test card gateway either a
    test card (the gateway's test tokens; no card number ever reaches us) or a saved card."""

    method = forms.ChoiceField(label="Payment method", widget=forms.RadioSelect)
    saved_card = forms.ChoiceField(label="Card", widget=forms.RadioSelect, required=False)
    card_token = forms.ChoiceField(label="Test card", required=False)
    save_card = forms.BooleanField(label="Save this card for next time", required=False)

    def __init__(
        self,
        *args,
        methods: list,
        card_methods: set[str],
        test_cards: list[tuple[str, str]],
        saved_cards: list,
        is_guest: bool,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.card_methods = card_methods
        self.fields["method"].choices = [(m.public_id, m.name) for m in methods]
        if len(methods) == 1:
            self.fields["method"].initial = methods[0].public_id
        self.fields["card_token"].choices = [("", "Choose a test card…"), *test_cards]
        if saved_cards:
            self.fields["saved_card"].choices = [
                *((card.public_id, card_label(card)) for card in saved_cards),
                (NEW_CARD, "Another card"),
            ]
            self.fields["saved_card"].initial = saved_cards[0].public_id
        else:
            del self.fields["saved_card"]
        if is_guest:
            del self.fields["save_card"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") in self.card_methods:
            saved = cleaned.get("saved_card")
            wants_new_card = not saved or saved == NEW_CARD
            if wants_new_card and not cleaned.get("card_token") and "card_token" not in self.errors:
                self.add_error("card_token", "Choose a test card.")
        return cleaned

    def saved_card_id(self) -> str | None:
        saved = self.cleaned_data.get("saved_card")
        return saved if saved and saved != NEW_CARD else None


BRAND_NAMES = {"visa": "Visa", "master": "Mastercard", "american_express": "American Express"}


def brand_name(brand: str) -> str:
    return BRAND_NAMES.get(brand, brand.replace("_", " ").title())


def card_label(card) -> str:
    return f"{brand_name(card.brand)} ending {card.last4}, expires {card.month:02d}/{card.year}"


class GiftCardForm(forms.Form):
    code = forms.CharField(
        label="Gift card code",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
