from django.contrib import admin

from orders.models import (
    DeliveryMethod,
    DeliveryRate,
    Fulfillment,
    FulfillmentItem,
    LineItem,
    Order,
    TaxRate,
    Zone,
    ZoneMember,
)
from payments.models import Payment


class LineItemInline(admin.TabularInline):
    model = LineItem
    extra = 0
    fields = ("variant", "quantity", "price", "currency", "additional_tax_total")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    fields = ("number", "payment_method", "amount", "state", "response_code", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class FulfillmentInline(admin.TabularInline):
    model = Fulfillment
    extra = 0
    fields = ("number", "stock_location", "status", "cost", "tracking", "fulfilled_at")
    readonly_fields = ("number", "stock_location", "cost")
    show_change_link = True


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Order.STATES

    def queryset(self, request, queryset):
        return queryset.filter(state=self.value()) if self.value() else queryset


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "email",
        "state",
        "total",
        "currency",
        "payment_state",
        "completed_at",
    )
    list_filter = (StateFilter, "payment_state", "shipment_state", "currency")
    search_fields = ("number", "email", "user__email")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "number",
        "token",
        "user",
        "state",
        "currency",
        "item_total",
        "delivery_total",
        "additional_tax_total",
        "included_tax_total",
        "total",
        "store_credit_total",
        "gift_card_total",
        "payment_state",
        "shipment_state",
        "completed_at",
        "created_at",
        "updated_at",
        "bill_address",
        "ship_address",
    )
    fields = (
        ("number", "state"),
        ("email", "user"),
        "customer_note",
        ("bill_address", "ship_address"),
        ("currency", "item_total", "delivery_total"),
        ("additional_tax_total", "included_tax_total", "total"),
        ("store_credit_total", "gift_card_total"),
        ("payment_state", "shipment_state", "completed_at"),
        ("created_at", "updated_at"),
        "token",
    )
    inlines = [LineItemInline, FulfillmentInline, PaymentInline]

    def has_add_permission(self, request):
        return False


class FulfillmentItemInline(admin.TabularInline):
    model = FulfillmentItem
    extra = 0
    readonly_fields = ("line_item", "quantity")


class DeliveryRateInline(admin.TabularInline):
    model = DeliveryRate
    extra = 0
    readonly_fields = ("delivery_method", "cost", "selected")


@admin.register(Fulfillment)
class FulfillmentAdmin(admin.ModelAdmin):
    list_display = ("number", "order", "stock_location", "status", "cost")
    list_filter = ("status",)
    search_fields = ("number", "order__number")
    inlines = [FulfillmentItemInline, DeliveryRateInline]


class ZoneMemberInline(admin.TabularInline):
    model = ZoneMember
    extra = 1
    autocomplete_fields = ("country",)


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ("name", "description")
    search_fields = ("name",)
    inlines = [ZoneMemberInline]


@admin.register(DeliveryMethod)
class DeliveryMethodAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "amount", "free_over_amount", "currency", "is_active")
    list_filter = ("is_active", "currency")
    filter_horizontal = ("zones",)


@admin.register(TaxRate)
class TaxRateAdmin(admin.ModelAdmin):
    list_display = ("name", "zone", "rate", "is_included_in_price", "applies_to_delivery")
    list_filter = ("is_included_in_price", "is_active")
