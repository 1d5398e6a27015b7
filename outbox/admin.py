from django.contrib import admin, messages

from outbox.models import OutboxEmail
from outbox.services import outbox_retry

#: What a row shows both in the list and on its page (the list adds its id and a short error,
#: the page the whole error).
_SHOWN = (
    "kind",
    "object_id",
    "recipient",
    "status",
    "attempts",
    "created_at",
    "next_attempt_at",
    "sent_at",
)


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    """Staff see what is waiting, what was sent and what failed (with the last error); a
    failed email can be sent again. Rows are written only by the services."""

    list_display = ("id", *_SHOWN, "short_error")
    list_filter = ("status", "kind")
    search_fields = ("recipient", "=object_id")
    ordering = ("-id",)
    fields = (*_SHOWN, "last_error")
    readonly_fields = fields
    actions = ["send_again"]

    @admin.display(description="last error")
    def short_error(self, obj: OutboxEmail) -> str:
        return obj.last_error[:80]

    @admin.action(description="Send the selected failed emails again")
    def send_again(self, request, queryset):
        count = outbox_retry(ids=queryset.values_list("pk", flat=True))
        messages.success(request, f"{count} failed email(s) queued again.")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
