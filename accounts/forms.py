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
    first_name = forms.CharField(
        label="First name",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
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
    first_name = forms.CharField(
        label="First name",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    phone = forms.CharField(
        label="Phone",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    accepts_email_marketing = forms.BooleanField(label="Email me news and offers", required=False)


class EmailChangeForm(forms.Form):
    email = _email("New email")
    current_password = _password("Current password", "current-password")


class PasswordChangeForm(forms.Form):
    current_password = _password("Current password", "current-password")
    password = _password("New password", "new-password")
    password_confirmation = _password("Confirm new password", "new-password")
