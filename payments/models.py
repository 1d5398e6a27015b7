"""Payment methods and payments. Issue 5 adds gateways, sessions, saved sources and balances."""

from django.db import models
from django.db.models import Q

from storeapi.ids import encode_id


class PaymentMethod(models.Model):
    """A way to pay, configured by staff. Prefixed id `pm_`.

    `provider` names the gateway module behind it (`check` needs no gateway)."""

    CHECK = "check"
    PROVIDERS = [(CHECK, "Check / pay later")]

    name = models.CharField(max_length=100)
    description = models.CharField(max_length=500, blank=True)
    provider = models.CharField(max_length=40, choices=PROVIDERS, default=CHECK)
    is_active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)
    session_required = models.BooleanField(default=False)
    source_required = models.BooleanField(default=False)
    preferences = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def public_id(self) -> str:
        return encode_id("pm", self.pk)

    @property
    def type_name(self) -> str:
        """Spree-style class name for the `type` field (e.g. `Spree::PaymentMethod::Check`)."""
        return {self.CHECK: "Spree::PaymentMethod::Check"}.get(self.provider, self.provider)


class Payment(models.Model):
    """A payment on an order. Prefixed id `py_`, number `P` + 7 characters."""

    CHECKOUT, PENDING, PROCESSING = "checkout", "pending", "processing"
    COMPLETED, FAILED, VOID, INVALID = "completed", "failed", "void", "invalid"
    STATES = [(s, s) for s in (CHECKOUT, PENDING, PROCESSING, COMPLETED, FAILED, VOID, INVALID)]
    #: States whose amount counts towards covering the order.
    VALID_STATES = (CHECKOUT, PENDING, PROCESSING, COMPLETED)

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="payments")
    payment_method = models.ForeignKey(
        PaymentMethod, on_delete=models.PROTECT, related_name="payments"
    )
    number = models.CharField(max_length=20, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    #: Follows the order's amount due until the payment is processed (no explicit amount given).
    amount_follows_total = models.BooleanField(default=False)
    state = models.CharField(max_length=20, choices=STATES, default=CHECKOUT, db_index=True)
    response_code = models.CharField(max_length=100, blank=True)
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.BigIntegerField(null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_non_negative")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.amount} ({self.state})"

    @property
    def public_id(self) -> str:
        return encode_id("py", self.pk)
