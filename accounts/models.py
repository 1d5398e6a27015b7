from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from storeapi.ids import encode_id


def normalize_email(email: str) -> str:
    """Emails are unique case-insensitively and stored trimmed and lower-cased (as Devise does)."""
    return (email or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        user = self.model(email=normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email=normalize_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    """A customer (and, with `is_staff`, a staff member). Prefixed id `cus_`."""

    email = models.EmailField(max_length=254, unique=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    accepts_email_marketing = models.BooleanField(default=False)
    # Write-only `metadata` of the API (Spree's private_metadata): never returned to the customer.
    private_metadata = models.JSONField(default=dict, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    failed_login_count = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "customer"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def public_id(self) -> str:
        return encode_id("cus", self.pk)

    @property
    def full_name(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or self.email

    def is_locked(self, now=None) -> bool:
        return bool(self.locked_until and self.locked_until > (now or timezone.now()))


class AuthSession(models.Model):
    """A signed-in session: starts at login, registration or password reset; holds the refresh
    token chain; revoked by logout, theft detection, password change or staff."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="auth_sessions")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=40, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = "session"
        ordering = ["-last_used_at"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.user} session {self.pk}"

    @property
    def public_id(self) -> str:
        return encode_id("sess", self.pk)

    def is_active(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class RefreshToken(models.Model):
    """One link of a session's refresh chain. Only the SHA-256 digest of the token is stored."""

    session = models.ForeignKey(AuthSession, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(retired_at__isnull=True),
                name="refresh_one_live_token_per_session",
            )
        ]

    def __str__(self) -> str:
        return f"refresh token {self.pk} of session {self.session_id}"


class PasswordResetToken(models.Model):
    """A single-use reset token (digest only) that dies on use, after 15 minutes, or when the
    password changes (`password_fingerprint` no longer matches)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_resets")
    digest = models.CharField(max_length=64, unique=True)
    password_fingerprint = models.CharField(max_length=64)
    # The token is derived from `salt` and the secret key (accounts.tokens.reset_token_from), so
    # the outbox can build the email after commit without the token being stored anywhere.
    salt = models.CharField(max_length=32, blank=True, default="")
    # Where the emailed link points: a storefront origin the request named (validated), or
    # empty for the shop's own page.
    redirect_url = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"password reset {self.pk} for {self.user_id}"
