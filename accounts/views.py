"""Storefront pages of accounts: sign up, sign in and out, forgotten password and reset, the
account home, profile, email and password, and sessions. They call the same services as the
Store API (accounts.services), with the same rate limits and lockout; how a browser's sign-in
relates to the API's sessions is described in accounts/browser_sessions.py."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.browser_sessions import (
    browser_sign_in,
    browser_sign_out,
    current_session_id,
    session_context,
)
from accounts.errors import AuthenticationFailed, CurrentPasswordInvalid, PasswordResetTokenInvalid
from accounts.forms import (
    EmailChangeForm,
    PasswordChangeForm,
    PasswordForgotForm,
    PasswordResetForm,
    ProfileForm,
    SignInForm,
    SignUpForm,
)
from accounts.models import User
from storeapi import ratelimit
from storeapi.errors import RateLimitExceeded, ValidationFailed
from storeapi.http import client_ip, request_currency
from storeapi.pages import not_found_as_404, safe_next, save_form, show_service_errors

#: The one answer to every failed sign-in: unknown email, wrong password, locked or closed
#: account alike, so the page never tells whether an account exists.
INVALID_CREDENTIALS = "Invalid email or password."
#: Shown with it once this browser has failed as often as the lockout threshold; it depends only
#: on this browser's own attempts, never on the account's state.
LOCKOUT_HINT = (
    "After repeated failed attempts, signing in is blocked for a while. "
    "You can reset your password if you have forgotten it."
)
TOO_MANY_ATTEMPTS = "Too many attempts from your network. Please wait a minute and try again."
PASSWORD_RESET_SENT = (
    "If an account exists for that email, password reset instructions have been sent."
)
CURRENT_PASSWORD_INVALID = "Current password is incorrect."
#: Failed sign-ins of this browser (Django session), for the lockout hint.
FAILED_SIGN_INS_KEY = "failed_sign_ins"

ACCOUNT_HOME = settings.LOGIN_REDIRECT_URL


def _rate_limited(request: HttpRequest, scope: str) -> bool:
    """Count this request in the API's `scope` for the client's IP; True when over the limit."""
    try:
        ratelimit.hit(scope, client_ip(request))
    except RateLimitExceeded:
        messages.error(request, TOO_MANY_ATTEMPTS)
        return True
    return False


def _sign_in(request: HttpRequest, user: User, session_id: int, welcome: str) -> None:
    """Sign the browser in, then take the guest cart of this browser over."""
    from orders.services.carts import cart_adopt

    browser_sign_in(request, user, session_id)
    request.session.pop(FAILED_SIGN_INS_KEY, None)
    messages.success(request, welcome)
    taken_over = cart_adopt(token=request.cart_token, user=user)
    if taken_over:
        messages.info(request, taken_over)


# --- signing up, in and out ----------------------------------------------------------------


def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(ACCOUNT_HOME)
    form = SignUpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _rate_limited(request, "register"):
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                user, tokens = services.customer_register(
                    email=data["email"],
                    password=data["password"],
                    password_confirmation=data["password_confirmation"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    accepts_email_marketing=data["accepts_email_marketing"],
                    context=session_context(request),
                )
            except ValidationFailed as error:
                show_service_errors(form, error)
            else:
                _sign_in(request, user, tokens.session_id, "Welcome! Your account is ready.")
                return redirect(safe_next(request, ACCOUNT_HOME))
        if form.errors:
            messages.error(request, "Please correct the errors below.")
    return render(
        request,
        "accounts/sign_up.html",
        {"form": form, "next": safe_next(request, "")},
        status=status,
    )


def sign_in(request: HttpRequest) -> HttpResponse:
    """Session sign-in with the API's "login" rate limit per IP and the account lockout of
    `customer_authenticate`; every failure gets the same message."""
    if request.user.is_authenticated:
        return redirect(safe_next(request, ACCOUNT_HOME))
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _rate_limited(request, "login"):
            status = 429
        elif form.is_valid():
            try:
                user = services.customer_authenticate(
                    email=form.cleaned_data["email"], password=form.cleaned_data["password"]
                )
            except AuthenticationFailed:
                failures = request.session.get(FAILED_SIGN_INS_KEY, 0) + 1
                request.session[FAILED_SIGN_INS_KEY] = failures
                form.add_error(None, INVALID_CREDENTIALS)
                if failures >= settings.LOGIN_LOCKOUT_THRESHOLD:
                    form.add_error(None, LOCKOUT_HINT)
            else:
                tokens = services.session_start(user=user, context=session_context(request))
                _sign_in(request, user, tokens.session_id, "You are signed in.")
                return redirect(safe_next(request, ACCOUNT_HOME))
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "next": safe_next(request, "")},
        status=status,
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    from orders.middleware import CART_COOKIE

    browser_sign_out(request)
    messages.success(request, "You have been signed out.")
    response = redirect(settings.LOGOUT_REDIRECT_URL)
    # The cart this browser used belongs to the customer now; a signed-out browser starts anew.
    response.delete_cookie(CART_COOKIE)
    return response


# --- forgotten password --------------------------------------------------------------------


def password_forgot(request: HttpRequest) -> HttpResponse:
    form = PasswordForgotForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _rate_limited(request, "password_reset"):
            status = 429
        elif form.is_valid():
            services.password_reset_request(email=form.cleaned_data["email"])
            messages.success(request, PASSWORD_RESET_SENT)
            return redirect("accounts:sign_in")
    return render(request, "accounts/password_forgot.html", {"form": form}, status=status)


def password_reset(request: HttpRequest, token: str) -> HttpResponse:
    """The page the reset email links to: a new password, then signed in on this browser."""
    form = PasswordResetForm(request.POST or None)
    status = 200
    token_invalid = False
    if request.method == "POST":
        if _rate_limited(request, "password_reset"):
            status = 429
        elif form.is_valid():
            try:
                user, tokens = services.password_reset_complete(
                    token=token,
                    password=form.cleaned_data["password"],
                    password_confirmation=form.cleaned_data["password_confirmation"],
                    context=session_context(request),
                )
            except PasswordResetTokenInvalid:
                token_invalid = True
                messages.error(
                    request, "This reset link is invalid or has expired. Please ask for a new one."
                )
            except ValidationFailed as error:
                show_service_errors(form, error)
            else:
                _sign_in(request, user, tokens.session_id, "Your password has been changed.")
                return redirect(ACCOUNT_HOME)
    return render(
        request,
        "accounts/password_reset.html",
        {"form": form, "token_invalid": token_invalid},
        status=status,
    )


# --- the account -----------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from customers.selectors import addresses_for_customer
    from orders.selectors import orders_for_customer
    from payments.selectors import store_credit_available_total
    from wishlists.selectors import wishlists_for_customer

    user = request.user
    currency = request_currency(request)
    addresses = addresses_for_customer(user=user)
    context = {
        "recent_orders": list(orders_for_customer(user=user)[:3]),
        "default_shipping": addresses.filter(is_default_shipping=True).first(),
        "address_count": addresses.count(),
        "wishlist_count": wishlists_for_customer(user=user).count(),
        "store_credit_total": store_credit_available_total(user=user, currency=currency),
        "currency": currency,
    }
    return render(request, "accounts/home.html", context)


def _customer_update(request: HttpRequest, form: forms.Form) -> User | None:
    """Save the form through customer_update (which ends the customer's other sessions when
    the password changes); a wrong current password or a refused value is shown next to its
    field instead (None)."""
    try:
        return save_form(
            form,
            lambda: services.customer_update(
                user=request.user,
                data=form.cleaned_data,
                current_session_id=current_session_id(request),
            ),
        )
    except CurrentPasswordInvalid:
        form.add_error("current_password", CURRENT_PASSWORD_INVALID)
        return None


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {field: getattr(user, field) for field in services.PROFILE_FIELDS}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if _customer_update(request, form) is not None:
            messages.success(request, "Your profile has been saved.")
            return redirect("accounts:profile")
        messages.error(request, "Please correct the errors below.")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def email_change(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST":
        if _customer_update(request, form) is not None:
            messages.success(request, "Your email has been changed.")
            return redirect(ACCOUNT_HOME)
        messages.error(request, "Your email was not changed. Please correct the errors below.")
    return render(request, "accounts/email_change.html", {"form": form})


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """A new password (current one required); the service ends every other session, API
    clients and other browsers alike, and this browser stays signed in."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST":
        user = _customer_update(request, form)
        if user is not None:
            update_session_auth_hash(request, user)
            messages.success(
                request, "Your password has been changed. Other sessions were signed out."
            )
            return redirect(ACCOUNT_HOME)
        messages.error(request, "Your password was not changed. Please correct the errors below.")
    return render(request, "accounts/password_change.html", {"form": form})


# --- sessions --------------------------------------------------------------------------------


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    """Where the customer is signed in: API clients and browsers (this one marked)."""
    return render(
        request,
        "accounts/sessions.html",
        {
            "sessions": selectors.sessions_active_for_user(user=request.user),
            "current_session_id": current_session_id(request),
        },
    )


@login_required
@require_POST
def session_sign_out(request: HttpRequest, session_id: str) -> HttpResponse:
    with not_found_as_404():
        session = selectors.session_get_for_user(user=request.user, public_id=session_id)
    if session.pk == current_session_id(request):
        return sign_out(request)
    services.session_revoke(session=session, reason="signed_out")
    messages.success(request, "That session has been signed out.")
    return redirect("accounts:sessions")


@login_required
@require_POST
def sessions_sign_out_others(request: HttpRequest) -> HttpResponse:
    count = services.sessions_revoke_all(
        user=request.user,
        reason="signed_out_elsewhere",
        except_session_id=current_session_id(request),
    )
    messages.success(
        request,
        f"Signed out of {count} other session{'s' if count != 1 else ''}."
        if count
        else "There were no other sessions to sign out.",
    )
    return redirect("accounts:sessions")
