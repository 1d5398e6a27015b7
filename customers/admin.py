from django.contrib import admin

from accounts.admin import UserAdmin
from accounts.models import User
from customers.models import Address, Country
from customers.services import countries_set_served


class AddressInline(admin.StackedInline):
    model = Address
    extra = 0
    fields = (
        ("first_name", "last_name", "company"),
        ("address1", "address2"),
        ("city", "postal_code", "country", "state_abbr", "state_name"),
        "phone",
        ("is_default_billing", "is_default_shipping"),
        ("in_use_since", "deleted_at"),
    )
    readonly_fields = ("in_use_since", "deleted_at")
    autocomplete_fields = ("country",)


admin.site.unregister(User)


@admin.register(User)
class CustomerAdmin(UserAdmin):
    """The accounts admin plus the address book inline."""

    inlines = [AddressInline, *UserAdmin.inlines]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("name", "iso", "iso3", "is_served")
    list_editable = ("is_served",)
    list_filter = ("is_served",)
    search_fields = ("name", "iso", "iso3")
    readonly_fields = ("iso", "iso3", "name")
    actions = ["serve", "stop_serving"]

    @admin.action(description="Ship to the selected countries")
    def serve(self, request, queryset):
        countries_set_served(countries=queryset, is_served=True)

    @admin.action(description="Stop shipping to the selected countries")
    def stop_serving(self, request, queryset):
        countries_set_served(countries=queryset, is_served=False)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("__str__", "user", "country", "is_default_billing", "is_default_shipping")
    list_filter = ("country", ("deleted_at", admin.EmptyFieldListFilter))
    search_fields = ("first_name", "last_name", "address1", "city", "postal_code", "user__email")
    list_select_related = ("user", "country")
    autocomplete_fields = ("user", "country")
    readonly_fields = ("in_use_since", "created_at", "updated_at", "deleted_at")
