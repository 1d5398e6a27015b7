from decimal import InvalidOperation

from django import forms
from django.contrib import admin, messages

from payments.models import (
    CreditCard,
    GiftCard,
    GiftCardBatch,
    Payment,
    PaymentMethod,
    PaymentSource,
    StoreCredit,
    StoreCreditCategory,
    StoreCreditEvent,
)
from payments.services.balances import (
    gift_card_batch_generate,
    gift_card_cancel,
    gift_card_create,
    store_credit_adjust,
    store_credit_grant,
)
from storeapi.errors import ValidationFailed


@admin.register(PaymentMethod)
class PaymentMethodAdmin(admin.ModelAdmin):
    list_display = ("name", "provider", "is_active", "session_required", "position")
    list_filter = ("provider", "is_active")
    list_editable = ("is_active", "position")


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ("number", "order", "payment_method", "amount", "state", "created_at")
    list_filter = ("state", "payment_method")
    search_fields = ("number", "order__number", "order__email")
    list_select_related = ("order", "payment_method")
    readonly_fields = (
        "number",
        "order",
        "payment_method",
        "amount",
        "state",
        "response_code",
        "source_type",
        "credit_card",
        "payment_source",
        "store_credit",
        "gift_card",
        "created_at",
    )
    exclude = ("metadata", "amount_follows_total")

    def has_add_permission(self, request):
        return False


@admin.register(CreditCard)
class CreditCardAdmin(admin.ModelAdmin):
    list_display = ("__str__", "user", "month", "year", "is_default", "created_at")
    search_fields = ("user__email", "last4")
    readonly_fields = [f.name for f in CreditCard._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(PaymentSource)
class PaymentSourceAdmin(admin.ModelAdmin):
    list_display = ("label", "type", "user", "is_default", "created_at")
    search_fields = ("user__email", "label")
    readonly_fields = [f.name for f in PaymentSource._meta.fields]

    def has_add_permission(self, request):
        return False


admin.site.register(StoreCreditCategory)


class StoreCreditEventInline(admin.TabularInline):
    model = StoreCreditEvent
    extra = 0
    fields = ("created_at", "action", "amount", "balance_after", "order", "created_by", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class StoreCreditForm(forms.ModelForm):
    adjustment_reason = forms.CharField(
        required=False, help_text="Required when changing the amount of an existing credit"
    )

    class Meta:
        model = StoreCredit
        fields = ("user", "category", "currency", "amount", "memo")

    def clean(self):
        """The same rules as the services, as form errors instead of a 500: a grant is
        positive; an adjustment never drops below what is used or authorized and says why."""
        cleaned = super().clean()
        amount = cleaned.get("amount")
        credit = self.instance  # still the stored values: the form is applied after clean()
        if amount is None:
            return cleaned
        if credit.pk is None:
            if amount <= 0:
                self.add_error("amount", "Must be greater than 0.")
        elif amount != credit.amount:
            if amount < credit.amount_used + credit.amount_authorized:
                self.add_error("amount", "Can't be less than the amount already used.")
            if not cleaned.get("adjustment_reason"):
                self.add_error("adjustment_reason", "Say why the amount changes.")
        return cleaned


@admin.register(StoreCredit)
class StoreCreditAdmin(admin.ModelAdmin):
    """Staff grant and adjust credit here; every change goes through the services (ledger)."""

    form = StoreCreditForm
    list_display = ("user", "amount", "amount_used", "currency", "category", "created_at")
    list_filter = ("currency", "category")
    search_fields = ("user__email",)
    autocomplete_fields = ("user",)
    list_select_related = ("user", "category")
    inlines = [StoreCreditEventInline]

    def get_readonly_fields(self, request, obj=None):
        return ("user", "currency", "amount_used", "created_by") if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            if "amount" in form.changed_data:
                original = StoreCredit.objects.get(pk=obj.pk)
                obj.amount = original.amount
                store_credit_adjust(
                    store_credit=original,
                    amount=form.cleaned_data["amount"],
                    reason=form.cleaned_data["adjustment_reason"],
                    created_by=request.user,
                )
            StoreCredit.objects.filter(pk=obj.pk).update(memo=obj.memo, category=obj.category)
            return
        credit = store_credit_grant(
            user=obj.user,
            amount=obj.amount,
            currency=obj.currency,
            category=obj.category.name,
            memo=obj.memo,
            created_by=request.user,
        )
        obj.pk = credit.pk

    def has_delete_permission(self, request, obj=None):
        return False


class GiftCardForm(forms.ModelForm):
    class Meta:
        model = GiftCard
        fields = ("amount", "currency", "user", "expires_at")

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if self.instance.pk is None and amount is not None and amount <= 0:
            raise forms.ValidationError("Must be greater than 0.")
        return amount


@admin.register(GiftCard)
class GiftCardAdmin(admin.ModelAdmin):
    form = GiftCardForm
    list_display = ("__str__", "amount", "amount_used", "currency", "state", "expires_at", "user")
    list_filter = ("state", "currency", "batch")
    search_fields = ("code", "user__email")
    autocomplete_fields = ("user",)
    fields = ("code", "amount", "currency", "user", "expires_at", "state", "amount_used", "batch")
    actions = ["cancel_cards"]

    def get_readonly_fields(self, request, obj=None):
        locked = ("code", "amount_used", "batch", "state")
        return (*locked, "amount", "currency") if obj else locked

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["user", "expires_at", "updated_at"])
            return
        card = gift_card_create(
            amount=obj.amount,
            currency=obj.currency,
            user=obj.user,
            expires_at=obj.expires_at,
            created_by=request.user,
        )
        obj.pk, obj.code = card.pk, card.code

    @admin.action(description="Cancel selected gift cards")
    def cancel_cards(self, request, queryset):
        for card in queryset:
            gift_card_cancel(gift_card=card)


class GiftCardBatchForm(forms.ModelForm):
    """The rules of gift_card_batch_generate, as form errors."""

    class Meta:
        model = GiftCardBatch
        fields = ("name", "codes_count", "amount", "currency", "expires_at")

    def clean_codes_count(self):
        count = self.cleaned_data["codes_count"]
        if count is not None and not 1 <= count <= 10_000:
            raise forms.ValidationError("Must be between 1 and 10000.")
        return count

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError("Must be greater than 0.")
        return amount


@admin.register(GiftCardBatch)
class GiftCardBatchAdmin(admin.ModelAdmin):
    """Creating a batch generates its codes."""

    form = GiftCardBatchForm

    list_display = ("name", "codes_count", "amount", "currency", "expires_at", "created_at")
    fields = ("name", "codes_count", "amount", "currency", "expires_at")

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            batch = gift_card_batch_generate(
                name=obj.name,
                codes_count=obj.codes_count,
                amount=obj.amount,
                currency=obj.currency,
                expires_at=obj.expires_at,
                created_by=request.user,
            )
        except (ValidationFailed, InvalidOperation) as exc:
            messages.error(request, str(exc))
            return
        obj.pk = batch.pk
        messages.success(request, f"Generated {batch.codes_count} gift cards.")
