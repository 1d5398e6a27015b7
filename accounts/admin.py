from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import AuthSession, User
from accounts.services import session_revoke, sessions_revoke_all


class SessionInline(admin.TabularInline):
    model = AuthSession
    fields = ("created_at", "last_used_at", "expires_at", "revoked_at", "ip_address", "user_agent")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("-last_used_at",)

    def has_add_permission(self, request, obj=None):
        return False


class UserCreationForm(forms.ModelForm):
    password = forms.CharField(widget=forms.PasswordInput, strip=False)

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationForm
    ordering = ("-date_joined",)
    list_display = (
        "email",
        "first_name",
        "last_name",
        "phone",
        "accepts_email_marketing",
        "date_joined",
        "is_staff",
    )
    list_filter = ("accepts_email_marketing", "is_staff", "is_active", "date_joined")
    search_fields = ("email", "first_name", "last_name", "phone")
    readonly_fields = ("date_joined", "updated_at", "last_login", "failed_login_count")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("first_name", "last_name", "phone", "accepts_email_marketing")}),
        ("Security", {"fields": ("is_active", "failed_login_count", "locked_until")}),
        ("Staff", {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("date_joined", "updated_at", "last_login")}),
        ("Private metadata", {"fields": ("private_metadata",)}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password")}),)
    inlines = [SessionInline]
    actions = ["revoke_all_sessions", "unlock_accounts"]

    @admin.action(description="Sign out of every session")
    def revoke_all_sessions(self, request, queryset):
        total = sum(sessions_revoke_all(user=user, reason="staff") for user in queryset)
        messages.success(request, f"Revoked {total} session(s).")

    @admin.action(description="Unlock accounts")
    def unlock_accounts(self, request, queryset):
        queryset.update(failed_login_count=0, locked_until=None)


class ActiveFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("revoked", "Revoked")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(AuthSession)
class AuthSessionAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "last_used_at", "expires_at", "revoked_at", "ip_address")
    list_filter = (ActiveFilter, "revoked_reason")
    search_fields = ("user__email", "ip_address")
    list_select_related = ("user",)
    readonly_fields = (
        "user",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
        "revoked_reason",
        "ip_address",
        "user_agent",
    )
    actions = ["revoke"]

    @admin.action(description="Revoke selected sessions")
    def revoke(self, request, queryset):
        for session in queryset:
            session_revoke(session=session, reason="staff")
        messages.success(request, "Sessions revoked.")

    def has_add_permission(self, request):
        return False
