"""Staff screens for the catalog: products with their variants, variants with prices and stock,
option types with their values, stock locations and stock levels."""

from __future__ import annotations

from babel.numbers import list_currencies
from django import forms
from django.contrib import admin
from django.db.models import Count

from catalog.models import (
    OptionType,
    OptionValue,
    Price,
    Product,
    StockItem,
    StockLocation,
    Variant,
)


class PriceForm(forms.ModelForm):
    """A known ISO currency, and a compare-at ("was") price only above the price."""

    class Meta:
        model = Price
        fields = ("currency", "amount", "compare_at_amount")

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        if currency not in list_currencies():
            raise forms.ValidationError("Not an ISO 4217 currency code.")
        return currency

    def clean(self):
        cleaned = super().clean()
        amount, compare_at = cleaned.get("amount"), cleaned.get("compare_at_amount")
        if amount is not None and compare_at is not None and compare_at <= amount:
            self.add_error("compare_at_amount", "The compare-at price must be above the price.")
        return cleaned


class PriceInline(admin.TabularInline):
    model = Price
    form = PriceForm
    extra = 0


class StockItemInline(admin.TabularInline):
    model = StockItem
    extra = 0
    fields = ("stock_location", "count_on_hand", "backorderable")


class VariantInline(admin.TabularInline):
    model = Variant
    extra = 0
    fields = ("sku", "position", "track_inventory", "backorderable", "weight")
    show_change_link = True  # prices and stock are edited on the variant's own page
    ordering = ("position", "pk")


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "status", "available_on", "discontinue_on", "variant_total")
    list_filter = ("status", "available_on", "option_types")
    search_fields = ("name", "slug", "variants__sku")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("option_types",)
    date_hierarchy = "available_on"
    inlines = [VariantInline]
    fieldsets = (
        (None, {"fields": ("name", "slug", "description", "tags")}),
        ("Publishing", {"fields": ("status", "available_on", "discontinue_on")}),
        ("Options", {"fields": ("option_types",)}),
        ("SEO", {"fields": ("meta_title", "meta_description", "meta_keywords")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(variant_total=Count("variants"))

    @admin.display(description="Variants", ordering="variant_total")
    def variant_total(self, product: Product) -> int:
        return product.variant_total


@admin.register(Variant)
class VariantAdmin(admin.ModelAdmin):
    list_display = ("__str__", "sku", "product", "position", "track_inventory", "backorderable")
    list_filter = ("track_inventory", "backorderable", "product__status")
    list_select_related = ("product",)
    search_fields = ("sku", "product__name", "product__slug")
    autocomplete_fields = ("product",)
    filter_horizontal = ("option_values",)
    inlines = [PriceInline, StockItemInline]
    fields = (
        "product",
        "sku",
        "position",
        "option_values",
        ("track_inventory", "backorderable"),
        ("weight", "height", "width", "depth"),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("product")


class OptionValueInline(admin.TabularInline):
    model = OptionValue
    extra = 0
    fields = ("name", "label", "position", "color_code")
    prepopulated_fields = {"name": ("label",)}


@admin.register(OptionType)
class OptionTypeAdmin(admin.ModelAdmin):
    list_display = ("label", "name", "position", "kind")
    list_editable = ("position",)
    search_fields = ("name", "label")
    prepopulated_fields = {"name": ("label",)}
    inlines = [OptionValueInline]


@admin.register(StockLocation)
class StockLocationAdmin(admin.ModelAdmin):
    list_display = ("name", "is_active", "is_default", "city", "country_iso")
    list_filter = ("is_active", "is_default", "country_iso")
    search_fields = ("name", "city")


@admin.register(StockItem)
class StockItemAdmin(admin.ModelAdmin):
    list_display = ("variant", "sku", "stock_location", "count_on_hand", "backorderable")
    list_editable = ("count_on_hand", "backorderable")
    list_filter = ("stock_location", "backorderable")
    list_select_related = ("variant__product", "stock_location")
    search_fields = ("variant__sku", "variant__product__name")
    autocomplete_fields = ("variant",)

    @admin.display(description="SKU", ordering="variant__sku")
    def sku(self, item: StockItem) -> str:
        return item.variant.sku or ""
