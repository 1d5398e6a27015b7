from django.conf import settings
from django.db import models
from django.db.models import Q

from storeapi.ids import encode_id


class Country(models.Model):
    """An ISO 3166-1 country (rows loaded from pycountry); `is_served` marks the store's."""

    iso = models.CharField(max_length=2, primary_key=True)
    iso3 = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100)
    is_served = models.BooleanField(default=False, db_index=True)

    class Meta:
        verbose_name_plural = "countries"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.iso})"


class Address(models.Model):
    """A customer's address (or a guest cart's, with no user). Prefixed id `addr_`.

    An address used by a completed order (`in_use_since`) is never edited in place: an update
    creates a new row and retires this one (`deleted_at`), so the order keeps what it shipped to.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="addresses",
    )
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    company = models.CharField(max_length=100, blank=True)
    address1 = models.CharField(max_length=255, blank=True)
    address2 = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    state_abbr = models.CharField(max_length=10, blank=True)
    state_name = models.CharField(max_length=100, blank=True)
    quick_checkout = models.BooleanField(default=False)
    is_default_billing = models.BooleanField(default=False)
    is_default_shipping = models.BooleanField(default=False)
    in_use_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "addresses"
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["user", "deleted_at", "-updated_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(is_default_billing=True, deleted_at__isnull=True),
                name="address_one_default_billing_per_user",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(is_default_shipping=True, deleted_at__isnull=True),
                name="address_one_default_shipping_per_user",
            ),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True)
                | Q(is_default_billing=False, is_default_shipping=False),
                name="address_retired_is_not_default",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.address1}, {self.city} ({self.country_id})"

    @property
    def public_id(self) -> str:
        return encode_id("addr", self.pk)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_in_use(self) -> bool:
        """Used by a completed order: immutable from then on."""
        return self.in_use_since is not None
