from django.contrib import admin

from payments.models import Payment, PaymentMethod


@admin.register(PaymentMethod)
class PaymentMethodAdmin(admin.ModelAdmin):
    list_display = ("name", "provider", "is_active", "session_required", "source_required")
    list_filter = ("provider", "is_active")
    list_editable = ("is_active",)


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
        "created_at",
    )

    def has_add_permission(self, request):
        return False
