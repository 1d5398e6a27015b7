"""Staff screens for wishlists: each list with its items, searchable by owner and name.

Customers create wishlists; staff look after them. The default moves only through the "Make
default" action and deleting goes through the service, so the default rules hold here too.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count

from wishlists.models import Wishlist, WishlistItem
from wishlists.services import wishlist_delete, wishlist_update


class WishlistItemInline(admin.TabularInline):
    model = WishlistItem
    extra = 0
    fields = ("variant", "quantity", "created_at", "updated_at")
    readonly_fields = ("created_at", "updated_at")
    autocomplete_fields = ("variant",)
    ordering = ("created_at", "pk")


@admin.register(Wishlist)
class WishlistAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "is_default", "is_private", "item_total", "updated_at")
    list_filter = ("is_default", "is_private", "updated_at")
    search_fields = ("name", "user__email", "user__first_name", "user__last_name")
    list_select_related = ("user",)
    fields = ("user", "name", "is_private", "is_default", "token", "created_at", "updated_at")
    readonly_fields = ("user", "is_default", "token", "created_at", "updated_at")
    inlines = [WishlistItemInline]
    actions = ["make_default"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_total=Count("items"))

    @admin.display(description="Items", ordering="item_total")
    def item_total(self, wishlist: Wishlist) -> int:
        return wishlist.item_total

    def has_add_permission(self, request):
        return False

    @admin.action(description="Make the selected wishlists their owner's default")
    def make_default(self, request, queryset):
        for wishlist in queryset.select_related("user").order_by("pk"):
            wishlist_update(user=wishlist.user, wishlist=wishlist, changes={"is_default": True})
        self.message_user(request, "Default wishlists updated.", messages.SUCCESS)

    def delete_model(self, request, obj: Wishlist) -> None:
        wishlist_delete(user=obj.user, wishlist=obj)

    def delete_queryset(self, request, queryset) -> None:
        for wishlist in queryset.select_related("user").order_by("pk"):
            wishlist_delete(user=wishlist.user, wishlist=wishlist)
