"""Carts and orders (one row, `cart_`/`or_` ids), their items, fulfillments with delivery rates,
and the delivery methods, zones and tax rates that price them."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from storeapi.ids import encode_id

ZERO = Decimal("0")


def money_field(**kwargs):
    return models.DecimalField(max_digits=12, decimal_places=2, default=ZERO, **kwargs)


class Zone(models.Model):
    """A set of countries (or states within them) that delivery methods and taxes apply to."""

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        return self.name

    def includes(self, country_iso: str, state_abbr: str) -> bool:
        """Uses prefetched `members`."""
        return any(
            m.country_id == country_iso and (not m.state_abbr or m.state_abbr == state_abbr)
            for m in self.members.all()
        )


class ZoneMember(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="members")
    country = models.ForeignKey("customers.Country", on_delete=models.CASCADE, related_name="+")
    state_abbr = models.CharField(max_length=10, blank=True, help_text="Blank: the whole country")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "country", "state_abbr"], name="zone_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.country_id}{'-' + self.state_abbr if self.state_abbr else ''}"


class DeliveryMethod(models.Model):
    """A shipping method: a flat rate per fulfillment, free when the items reach an amount.
    Prefixed id `dm_`."""

    name = models.CharField(max_length=100)
    code = models.CharField(max_length=50, blank=True)
    is_active = models.BooleanField(default=True)
    zones = models.ManyToManyField(Zone, related_name="delivery_methods")
    currency = models.CharField(max_length=3, default="USD")
    amount = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    free_over_amount = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Free when the items total reaches this amount",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="delivery_amount_non_negative")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def public_id(self) -> str:
        return encode_id("dm", self.pk)


class TaxRate(models.Model):
    """A tax for a zone: added on top of prices, or included in them."""

    name = models.CharField(max_length=100)
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="tax_rates")
    rate = models.DecimalField(max_digits=6, decimal_places=5, help_text="0.08250 = 8.25%")
    is_included_in_price = models.BooleanField(default=False)
    applies_to_delivery = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lt=1), name="tax_rate_between_0_and_1"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.rate * 100:.3f}%)"


class Order(models.Model):
    """A cart until completed, then an order. `token` is the guest's credential (35 base58
    characters, ~205 bits); `number` is R + 9 digits."""

    CART, COMPLETE, CANCELED = "cart", "complete", "canceled"
    STATES = [(CART, "Cart"), (COMPLETE, "Complete"), (CANCELED, "Canceled")]

    number = models.CharField(max_length=20, unique=True)
    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    email = models.EmailField(max_length=254, blank=True)
    customer_note = models.TextField(blank=True)
    currency = models.CharField(max_length=3)
    locale = models.CharField(max_length=10, default="en")
    state = models.CharField(max_length=20, choices=STATES, default=CART, db_index=True)
    bill_address = models.ForeignKey(
        "customers.Address", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ship_address = models.ForeignKey(
        "customers.Address", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    metadata = models.JSONField(default=dict, blank=True)

    item_count = models.PositiveIntegerField(default=0)
    item_total = money_field()
    delivery_total = money_field()
    discount_total = money_field()
    additional_tax_total = money_field()
    included_tax_total = money_field()
    total = money_field()
    store_credit_total = money_field()
    gift_card_total = money_field()
    payment_total = money_field()

    payment_state = models.CharField(max_length=20, blank=True)
    shipment_state = models.CharField(max_length=20, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "state", "-completed_at"]),
            models.Index(fields=["user", "state", "-updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="cart") | Q(completed_at__isnull=False) | Q(state="canceled"),
                name="order_complete_has_completed_at",
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_non_negative"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def cart_id(self) -> str:
        return encode_id("cart", self.pk)

    @property
    def order_id(self) -> str:
        return encode_id("or", self.pk)

    @property
    def is_complete(self) -> bool:
        return self.state == self.COMPLETE

    @property
    def tax_total(self) -> Decimal:
        return self.additional_tax_total + self.included_tax_total

    @property
    def adjustment_total(self) -> Decimal:
        return self.additional_tax_total + self.discount_total

    @property
    def amount_due(self) -> Decimal:
        return max(self.total - self.store_credit_total - self.gift_card_total, ZERO)


class LineItem(models.Model):
    """A variant in a cart at the unit price taken when it was added. Prefixed id `li_`."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="line_items")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    price = models.DecimalField(max_digits=12, decimal_places=2)
    compare_at_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    currency = models.CharField(max_length=3)
    additional_tax_total = money_field()
    included_tax_total = money_field()
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "variant"], name="line_item_one_per_variant"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="line_item_quantity_positive"),
            models.CheckConstraint(condition=Q(price__gte=0), name="line_item_price_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.variant_id}"

    @property
    def public_id(self) -> str:
        return encode_id("li", self.pk)

    @property
    def amount(self) -> Decimal:
        return self.price * self.quantity


class Fulfillment(models.Model):
    """Items leaving one stock location together (Spree's shipment). Prefixed id `ful_`,
    number H + 11 digits."""

    PENDING, READY, SHIPPED, CANCELED = "pending", "ready", "shipped", "canceled"
    STATES = [(s, s) for s in (PENDING, READY, SHIPPED, CANCELED)]

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="fulfillments")
    number = models.CharField(max_length=20, unique=True)
    stock_location = models.ForeignKey(
        "catalog.StockLocation", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=STATES, default=PENDING)
    tracking = models.CharField(max_length=100, blank=True)
    tracking_url = models.URLField(blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    cost = money_field()
    additional_tax_total = money_field()
    included_tax_total = money_field()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.number

    @property
    def public_id(self) -> str:
        return encode_id("ful", self.pk)


class FulfillmentItem(models.Model):
    fulfillment = models.ForeignKey(Fulfillment, on_delete=models.CASCADE, related_name="items")
    line_item = models.ForeignKey(LineItem, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.quantity} x line item {self.line_item_id}"


class DeliveryRate(models.Model):
    """What a delivery method costs for one fulfillment. Prefixed id `dr_`."""

    fulfillment = models.ForeignKey(
        Fulfillment, on_delete=models.CASCADE, related_name="delivery_rates"
    )
    delivery_method = models.ForeignKey(DeliveryMethod, on_delete=models.CASCADE, related_name="+")
    cost = money_field()
    additional_tax_total = money_field()
    included_tax_total = money_field()
    selected = models.BooleanField(default=False)

    class Meta:
        ordering = ["cost", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fulfillment"],
                condition=Q(selected=True),
                name="delivery_rate_one_selected_per_fulfillment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.delivery_method} {self.cost}"

    @property
    def public_id(self) -> str:
        return encode_id("dr", self.pk)
