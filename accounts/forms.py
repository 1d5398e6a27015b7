"""Forms of the account pages. They only parse input; the rules (email taken, password strength,
current password, lockout) live in accounts.services and come back as field errors."""

from __future__ import annotations

from django import forms


def _password(label: str, autocomplete: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


def _optional_text(label: str, max_length: int, autocomplete: str, **attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete, **attrs}),
    )


def _email(label: str = "Email", autocomplete: str = "email") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": autocomplete}),
    )


class SignInForm(forms.Form):
    email = _email(autocomplete="username")
    password = _password("Password", "current-password")


class SignUpForm(forms.Form):
    first_name = _optional_text("First name", 100, "given-name")
    last_name = _optional_text("Last name", 100, "family-name")
    email = _email()
    password = _password("Password", "new-password")
    password_confirmation = _password("Confirm password", "new-password")
    accepts_email_marketing = forms.BooleanField(label="Email me news and offers", required=False)


class PasswordForgotForm(forms.Form):
    email = _email()


class PasswordResetForm(forms.Form):
    password = _password("New password", "new-password")
    password_confirmation = _password("Confirm new password", "new-password")


class ProfileForm(forms.Form):
    first_name = _optional_text("First name", 100, "given-name")
    last_name = _optional_text("Last name", 100, "family-name")
    phone = _optional_text("Phone", 40, "tel", type="tel")
    accepts_email_marketing = forms.BooleanField(label="Email me news and offers", required=False)


class EmailChangeForm(forms.Form):
    email = _email("New email")
    current_password = _password("Current password", "current-password")


class PasswordChangeForm(forms.Form):
    current_password = _password("Current password", "current-password")
    password = _password("New password", "new-password")
    password_confirmation = _password("Confirm new password", "new-password")
