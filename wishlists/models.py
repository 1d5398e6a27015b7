"""Wishlists: a customer's named lists of variants, one of them the default, each shareable by
a secret link token when it is not private."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from storeapi.ids import encode_id
from storeapi.tokens import base58_token

#: Base58 characters in a share token: 24 as Spree's `has_secure_token`, about 140 bits of
#: randomness (OUR_CONTRACT.md asks at least 128 for tokens that grant access).
SHARE_TOKEN_LENGTH = 24


def new_share_token() -> str:
    """A fresh random share token (the model's default, so admin-made rows get one too)."""
    return base58_token(SHARE_TOKEN_LENGTH)


class Wishlist(models.Model):
    """A customer's wishlist. Prefixed id `wl_`. At most one per customer is the default (a
    partial unique constraint); a non-private one can be read by anyone holding its token."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wishlists"
    )
    name = models.CharField(max_length=255)
    token = models.CharField(
        max_length=SHARE_TOKEN_LENGTH, unique=True, default=new_share_token, editable=False
    )
    is_private = models.BooleanField(default=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["user", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(is_default=True),
                name="wishlist_one_default_per_user",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="wishlist_name_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def public_id(self) -> str:
        return encode_id("wl", self.pk)


class WishlistItem(models.Model):
    """A variant on a wishlist, with the quantity wished for. Prefixed id `wi_` (Spree's
    WishedItem). A variant appears at most once per wishlist."""

    wishlist = models.ForeignKey(Wishlist, on_delete=models.CASCADE, related_name="items")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["wishlist", "variant"], name="wishlist_item_one_per_variant"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="wishlist_item_quantity_positive",
                violation_error_message="The quantity must be greater than 0.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x variant {self.variant_id}"

    @property
    def public_id(self) -> str:
        return encode_id("wi", self.pk)
