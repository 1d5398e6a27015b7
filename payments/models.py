"""Payment methods and payments. Issue 5 adds gateways, sessions, saved sources and balances."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from storeapi.ids import encode_id


class PaymentMethod(models.Model):
    """A way to pay, configured by staff. Prefixed id `pm_`.

    `provider` names the gateway module behind it (`check` needs no gateway)."""

    CHECK, BOGUS, WALLET = "check", "bogus", "wallet"
    STORE_CREDIT, GIFT_CARD = "store_credit", "gift_card"
    PROVIDERS = [
        (CHECK, "Check / pay later"),
        (BOGUS, "Test card gateway (no network)"),
        (WALLET, "Test wallet, PayPal-like (no network)"),
        (STORE_CREDIT, "Store credit (internal)"),
        (GIFT_CARD, "Gift card (internal)"),
    ]
    #: Methods the shop applies itself; never offered in a cart's payment_methods.
    INTERNAL_PROVIDERS = (STORE_CREDIT, GIFT_CARD)

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
        return {
            self.CHECK: "Spree::PaymentMethod::Check",
            self.BOGUS: "Spree::Gateway::Bogus",
            self.WALLET: "Spree::Gateway::Wallet",
            self.STORE_CREDIT: "Spree::PaymentMethod::StoreCredit",
            self.GIFT_CARD: "Spree::PaymentMethod::GiftCard",
        }.get(self.provider, self.provider)


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
    #: credit_card | payment_source | store_credit | gift_card, or blank (Check)
    source_type = models.CharField(max_length=40, blank=True)
    credit_card = models.ForeignKey(
        "CreditCard", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    payment_source = models.ForeignKey(
        "PaymentSource", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    store_credit = models.ForeignKey(
        "StoreCredit", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    gift_card = models.ForeignKey(
        "GiftCard", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
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

    @property
    def source(self):
        return getattr(self, self.source_type, None) if self.source_type else None


class CreditCard(models.Model):
    """A card as the gateway tokenised it: brand, last four digits, expiry, name and the
    gateway's profile id. The number and CVV never reach us. Prefixed id `card_`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="credit_cards",
    )
    payment_method = models.ForeignKey(PaymentMethod, on_delete=models.PROTECT, related_name="+")
    brand = models.CharField(max_length=40)
    last4 = models.CharField(max_length=4)
    month = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200, blank=True)
    gateway_payment_profile_id = models.CharField(max_length=200, blank=True)
    gateway_customer_profile_id = models.CharField(max_length=200, blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_default=True), name="credit_card_one_default"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="credit_card_month_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.brand} ending {self.last4}"

    @property
    def public_id(self) -> str:
        return encode_id("card", self.pk)


class PaymentSource(models.Model):
    """A saved non-card method (PayPal-, Klarna-like). Prefixed id `ps_` (as Spree).
    A source the customer deleted after it paid for an order loses its owner but stays for the
    payment record, as a card does."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="payment_sources",
    )
    payment_method = models.ForeignKey(PaymentMethod, on_delete=models.PROTECT, related_name="+")
    type = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    gateway_payment_profile_id = models.CharField(max_length=200, blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_default=True), name="payment_source_one_default"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def public_id(self) -> str:
        return encode_id("ps", self.pk)


class SessionStatus:
    """The lifecycle a gateway session shares with Spree's (payment and setup sessions)."""

    PENDING, PROCESSING, COMPLETED = "pending", "processing", "completed"
    FAILED, CANCELED, EXPIRED = "failed", "canceled", "expired"
    STATES = [(s, s) for s in (PENDING, PROCESSING, COMPLETED, FAILED, CANCELED, EXPIRED)]


class PaymentSession(SessionStatus, models.Model):
    """A payment in progress at a gateway for a cart. Prefixed id `ps_`."""

    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="payment_sessions"
    )
    payment_method = models.ForeignKey(PaymentMethod, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=SessionStatus.STATES, default=SessionStatus.PENDING
    )
    currency = models.CharField(max_length=3)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    external_id = models.CharField(max_length=200, unique=True)
    external_data = models.JSONField(default=dict, blank=True)
    customer_external_id = models.CharField(max_length=200, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="session"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="payment_session_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.external_id} ({self.status})"

    @property
    def public_id(self) -> str:
        return encode_id("ps", self.pk)


class PaymentSetupSession(SessionStatus, models.Model):
    """Saving a payment method for later, at a gateway. Prefixed id `pss_`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="payment_setup_sessions"
    )
    payment_method = models.ForeignKey(PaymentMethod, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=SessionStatus.STATES, default=SessionStatus.PENDING
    )
    external_id = models.CharField(max_length=200, unique=True)
    external_client_secret = models.CharField(max_length=200, blank=True)
    external_data = models.JSONField(default=dict, blank=True)
    credit_card = models.ForeignKey(
        CreditCard, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payment_source = models.ForeignKey(
        PaymentSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.external_id} ({self.status})"

    @property
    def public_id(self) -> str:
        return encode_id("pss", self.pk)


class SpendableBalance(models.Model):
    """A balance spent in parts (store credit, gift card): amount, used and authorized, in one
    currency. `balance_constraints` makes the database refuse any overspend."""

    currency = models.CharField(max_length=3)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    amount_used = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    amount_authorized = models.DecimalField(max_digits=12, decimal_places=2, default=0)

    class Meta:
        abstract = True

    @property
    def amount_remaining(self):
        return self.amount - self.amount_used - self.amount_authorized


def balance_constraints(prefix: str) -> list[models.CheckConstraint]:
    """Never negative, never more used and authorized than the amount."""
    return [
        models.CheckConstraint(
            condition=Q(amount__gte=0, amount_used__gte=0, amount_authorized__gte=0),
            name=f"{prefix}_non_negative",
        ),
        models.CheckConstraint(
            condition=Q(amount__gte=models.F("amount_used") + models.F("amount_authorized")),
            name=f"{prefix}_never_overspent",
        ),
    ]


class StoreCreditCategory(models.Model):
    """Why credit was given (goodwill, refund, gift...)."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        verbose_name_plural = "store credit categories"

    def __str__(self) -> str:
        return self.name


class StoreCredit(SpendableBalance):
    """Credit the shop gave a customer. `amount_used + amount_authorized <= amount`, always
    (check constraints; writes lock the row). Prefixed id `credit_`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="store_credits"
    )
    category = models.ForeignKey(StoreCreditCategory, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    memo = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = balance_constraints("store_credit")

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} for {self.user_id}"

    @property
    def public_id(self) -> str:
        return encode_id("credit", self.pk)


class StoreCreditEvent(models.Model):
    """The ledger: every movement of a store credit."""

    ALLOCATION, ADJUSTMENT, CAPTURE, VOID = "allocation", "adjustment", "capture", "void"
    ACTIONS = [(a, a) for a in (ALLOCATION, ADJUSTMENT, CAPTURE, VOID)]

    store_credit = models.ForeignKey(StoreCredit, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=ACTIONS)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    balance_after = models.DecimalField(max_digits=12, decimal_places=2)
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.amount}"


class GiftCardBatch(models.Model):
    """Codes generated together by staff."""

    name = models.CharField(max_length=100)
    codes_count = models.PositiveIntegerField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    expires_at = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "gift card batches"

    def __str__(self) -> str:
        return f"{self.name} ({self.codes_count} x {self.amount} {self.currency})"


class GiftCard(SpendableBalance):
    """A gift card: 16 hex characters, stored lower case, shown upper case. Prefixed `gc_`.
    `amount_used + amount_authorized <= amount`, always."""

    ACTIVE, CANCELED = "active", "canceled"

    code = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gift_cards",
    )
    batch = models.ForeignKey(
        GiftCardBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="gift_cards"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        max_length=20, choices=[(ACTIVE, "Active"), (CANCELED, "Canceled")], default=ACTIVE
    )
    expires_at = models.DateField(null=True, blank=True)
    redeemed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = balance_constraints("gift_card")

    def __str__(self) -> str:
        return self.code.upper()

    @property
    def public_id(self) -> str:
        return encode_id("gc", self.pk)

    def is_expired(self, today=None) -> bool:
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.expires_at is not None and self.expires_at < today

    @property
    def status(self) -> str:
        if self.state == self.CANCELED:
            return "canceled"
        if self.is_expired():
            return "expired"
        if self.amount_remaining <= 0:
            return "redeemed"
        if self.amount_used > 0:
            return "partially_redeemed"
        return "active"
