from django.contrib import admin, messages

from storeapi.models import ApiKey
from storeapi.services import api_key_create, api_key_revoke


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "token", "key_type", "created_at", "last_used_at", "revoked_at")
    list_filter = ("key_type", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "token")
    readonly_fields = ("token", "key_type", "created_at", "last_used_at", "revoked_at")
    fields = ("name", "token", "key_type", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke_keys"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name"])
            return
        created = api_key_create(name=obj.name, created_by=request.user)
        obj.pk, obj.token, obj.created_at = created.pk, created.token, created.created_at

    @admin.action(description="Revoke selected keys")
    def revoke_keys(self, request, queryset):
        for api_key in queryset:
            api_key_revoke(api_key=api_key)
        messages.success(request, f"Revoked {queryset.count()} key(s).")

    def has_delete_permission(self, request, obj=None):
        return False
