"""A small catalog that carts and wishlists point at: products, variants, prices, stock."""

import html
from functools import lru_cache

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags

from storeapi.ids import encode_id


class OptionType(models.Model):
    """A dimension variants differ in (Size, Color). Prefixed id `opt_`."""

    name = models.SlugField(max_length=100, unique=True)
    label = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, default="dropdown")

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def public_id(self) -> str:
        return encode_id("opt", self.pk)


class OptionValue(models.Model):
    """One value of an option type (Small, Red). Prefixed id `optval_`."""

    option_type = models.ForeignKey(OptionType, on_delete=models.CASCADE, related_name="values")
    name = models.SlugField(max_length=100)
    label = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)
    color_code = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["option_type__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["option_type", "name"], name="option_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.option_type.label}: {self.label}"

    @property
    def public_id(self) -> str:
        return encode_id("optval", self.pk)


@lru_cache(maxsize=2048)
def html_to_text(value: str) -> str:
    """The plain text of an HTML fragment. Memoized: it depends only on the string, and
    stripping tags costs tens of microseconds a call on every product a page shows."""
    return html.unescape(strip_tags(value)).strip()


def published(now) -> Q:
    """The rule of `ProductQuerySet.available` as one condition (one `filter()` is cheaper to
    build than two)."""
    return Q(status=Product.ACTIVE, available_on__isnull=False, available_on__lte=now) & (
        Q(discontinue_on__isnull=True) | Q(discontinue_on__gt=now)
    )


class ProductQuerySet(models.QuerySet):
    def available(self, now=None):
        """Published (active, publish date reached, not discontinued) products."""
        return self.filter(published(now or timezone.now()))


class Product(models.Model):
    """A product. Prefixed id `prod_`; looked up by id or slug."""

    DRAFT, ACTIVE, ARCHIVED = "draft", "active", "archived"
    STATUSES = [(DRAFT, "Draft"), (ACTIVE, "Active"), (ARCHIVED, "Archived")]

    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    description = models.TextField(blank=True)
    meta_title = models.CharField(max_length=255, blank=True)
    meta_description = models.CharField(max_length=500, blank=True)
    meta_keywords = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=20, choices=STATUSES, default=DRAFT, db_index=True)
    available_on = models.DateTimeField(null=True, blank=True, help_text="Publish date")
    discontinue_on = models.DateTimeField(null=True, blank=True)
    tags = models.JSONField(default=list, blank=True)
    option_types = models.ManyToManyField(OptionType, blank=True, related_name="products")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def public_id(self) -> str:
        return encode_id("prod", self.pk)

    @property
    def description_text(self) -> str:
        """The description is stored as HTML (Spree's rich text); this is its plain text."""
        return html_to_text(self.description)


class Variant(models.Model):
    """A purchasable variant of a product. Prefixed id `variant_`. The first by position is the
    product's default variant."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(max_length=100, unique=True, null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    option_values = models.ManyToManyField(OptionValue, blank=True, related_name="variants")
    weight = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    height = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    width = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    depth = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    track_inventory = models.BooleanField(default=True)
    backorderable = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["product_id", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.product.name} ({self.sku or self.pk})"

    @property
    def public_id(self) -> str:
        return encode_id("variant", self.pk)


class Price(models.Model):
    """A variant's price in one currency, with an optional compare-at (was) price."""

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="prices")
    currency = models.CharField(max_length=3)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    compare_at_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["variant", "currency"], name="price_one_per_currency"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="price_amount_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    @property
    def public_id(self) -> str:
        return encode_id("price", self.pk)


class StockLocation(models.Model):
    """A warehouse. Prefixed id `sloc_`."""

    name = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    is_default = models.BooleanField(default=False)
    address1 = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=100, blank=True)
    zipcode = models.CharField(max_length=20, blank=True)
    country_iso = models.CharField(max_length=2, blank=True)
    state_abbr = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["-is_default", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def public_id(self) -> str:
        return encode_id("sloc", self.pk)


class StockItem(models.Model):
    """Units on hand of a variant at a location. Only a backorderable item may go below zero."""

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="stock_items")
    stock_location = models.ForeignKey(
        StockLocation, on_delete=models.CASCADE, related_name="stock_items"
    )
    count_on_hand = models.IntegerField(default=0)
    backorderable = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "stock_location"], name="stock_item_one_per_location"
            ),
            models.CheckConstraint(
                condition=Q(count_on_hand__gte=0) | Q(backorderable=True),
                name="stock_item_non_negative_unless_backorderable",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant} @ {self.stock_location}: {self.count_on_hand}"
