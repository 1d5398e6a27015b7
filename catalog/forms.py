"""Forms of the catalog pages: searching the product list and adding a variant to the cart.
They check the shape of the input; the catalog selectors and cart services decide the rest."""

from __future__ import annotations

from django import forms

from orders.services.carts import MAX_LINE_QUANTITY

#: (value, label) of the sorts the product list offers: `catalog.selectors.products_sort` names.
SORT_CHOICES = [
    ("manual", "Featured"),
    ("-available_on", "Newest"),
    ("price", "Price: low to high"),
    ("-price", "Price: high to low"),
    ("name", "Name: A to Z"),
    ("-name", "Name: Z to A"),
]


class ProductSearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name or SKU"}),
    )
    sort = forms.ChoiceField(label="Sort by", choices=SORT_CHOICES, required=False)
    in_stock = forms.BooleanField(label="In stock only", required=False)


class AddToCartForm(forms.Form):
    """`variant_id` is also what the wishlist page reads when the same form is sent there."""

    variant_id = forms.ChoiceField(label="Choose an option", widget=forms.RadioSelect)
    quantity = forms.IntegerField(
        label="Quantity",
        min_value=1,
        max_value=MAX_LINE_QUANTITY,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "quantity"}),
    )

    def __init__(self, *args, variant_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["variant_id"].choices = variant_choices
        if len(variant_choices) == 1:
            self.fields["variant_id"].widget = forms.HiddenInput()
