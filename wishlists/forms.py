"""Forms of the wishlist pages; the name's rules live in wishlists.services."""

from django import forms

from wishlists.services import NAME_MAX_LENGTH


class WishlistNameForm(forms.Form):
    name = forms.CharField(label="Name", max_length=NAME_MAX_LENGTH, required=False)
