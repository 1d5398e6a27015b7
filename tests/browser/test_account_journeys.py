"""Account journeys in a real browser: sign up, add an address, order through the shop and find
the order in the history; share a wishlist and open it signed out; a wrong password, then the
lockout (the same generic message, never saying whether the account exists)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from accounts.models import User
from accounts.views import INVALID_CREDENTIALS, LOCKOUT_HINT, TOO_MANY_ATTEMPTS
from orders.models import Order
from tests.factories import DEFAULT_PASSWORD, UserFactory
from wishlists.models import Wishlist

PASSWORD = "a long and new passphrase"


def _sign_in(page, email: str, password: str) -> None:
    page.goto("/account/sign-in/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _messages(page) -> str:
    return page.locator(".messages").inner_text()


def test_sign_up_add_an_address_order_and_find_it_in_the_history(page, demo_shop):
    page.goto("/")
    page.get_by_role("link", name="Create account").click()
    page.get_by_label("First name").fill("Katherine")
    page.get_by_label("Last name").fill("Johnson")
    page.get_by_role("textbox", name="Email").fill("katherine@example.com")
    page.get_by_label("Email me news and offers").check()
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    assert page.url.endswith("/account/")
    assert "Welcome! Your account is ready." in _messages(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Katherine"

    account_nav = page.get_by_role("navigation", name="Account")
    account_nav.get_by_role("link", name="Addresses").click()
    page.get_by_role("link", name="Add an address").click()
    page.get_by_label("First name").fill("Katherine")
    page.get_by_label("Last name").fill("Johnson")
    page.get_by_label("Street address").fill("350 Fifth Avenue")
    page.get_by_label("City").fill("New York")
    # The state picker follows the country picker (no reload).
    page.get_by_label("Country").select_option("CA")
    assert page.get_by_label("State / province").locator("option", has_text="Ontario").count()
    page.get_by_label("Country").select_option("US")
    page.get_by_label("State / province").select_option("NY")
    page.get_by_label("Postal code").fill("1011")  # one digit short: refused next to the field
    page.get_by_role("button", name="Save address").click()

    assert "Postal code is invalid" in page.locator("#id_postal_code_error").inner_text()
    assert page.get_by_label("Postal code").get_attribute("aria-invalid") == "true"
    page.get_by_label("Postal code").fill("10118")
    page.get_by_role("button", name="Save address").click()

    assert page.url.endswith("/account/addresses/")
    assert "The address has been added." in _messages(page)
    book = page.get_by_role("list", name="Saved addresses").inner_text()
    assert "350 Fifth Avenue" in book and "Default shipping" in book and "Default billing" in book

    page.goto("/products/ceramic-mug/")
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_role("link", name="Check out").click()

    shipping = page.get_by_role("group", name="Shipping address")
    shipping.get_by_role("radio", name=re.compile("350 Fifth Avenue")).check()
    page.get_by_role("button", name="Continue to delivery").click()
    page.get_by_role("button", name="Continue to payment").click()
    page.get_by_role("radio", name="Check").check()
    page.get_by_role("button", name="Continue to review").click()
    page.get_by_role("button", name="Place order").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Thank you for your order"
    order = Order.objects.get(user__email="katherine@example.com", state=Order.COMPLETE)

    page.goto("/account/")
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Orders").click()
    history = page.get_by_role("table")
    assert order.number in history.inner_text() and "$29.00" in history.inner_text()
    page.get_by_role("link", name=order.number).click()

    assert page.get_by_role("heading", level=1).inner_text() == f"Order {order.number}"
    details = page.locator("main").inner_text()
    assert "Ceramic Mug" in details and "$24.00" in details and "350 Fifth Avenue" in details
    assert "Standard ($5.00)" in details


def test_a_shared_wishlist_opens_for_someone_signed_out(page, context, demo_shop):
    UserFactory(email="ada@example.com", first_name="Ada")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    _sign_in(page, "ada@example.com", DEFAULT_PASSWORD)

    page.goto("/products/mountain-poster/")
    page.get_by_role("button", name="Add to wishlist").click()
    assert page.url.endswith("/products/mountain-poster/")
    assert "Mountain Poster has been added to your wishlist “My wishlist”." in _messages(page)

    page.get_by_role("link", name="My account").click()
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Wishlists").click()
    page.get_by_role("link", name="My wishlist").click()
    page.get_by_role("textbox", name="Name").fill("Birthday ideas")
    page.get_by_role("button", name="Rename").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Birthday ideas"
    page.get_by_role("button", name="Share this wishlist").click()

    assert "Anyone with the link can now see this wishlist." in _messages(page)
    link = page.get_by_label("Share link").input_value()
    wishlist = Wishlist.objects.get(user__email="ada@example.com")
    assert link.endswith(f"/wishlists/shared/{wishlist.token}/")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("[data-copy-status]")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == link

    page.get_by_role("button", name="Sign out").click()
    assert "You have been signed out." in _messages(page)
    page.goto(link)

    assert page.get_by_role("heading", level=1).inner_text() == "Birthday ideas"
    assert "Mountain Poster" in page.get_by_role("table").inner_text()
    assert page.get_by_role("button", name=re.compile("Remove")).count() == 0
    assert page.get_by_role("link", name="Sign in").is_visible()


def test_a_wrong_password_then_the_lockout_says_the_same_and_hints(page, transactional_db):
    UserFactory(email="ada@example.com")

    _sign_in(page, "ada@example.com", "not my password")

    assert page.url.endswith("/account/sign-in/")
    alert = page.get_by_role("alert")
    assert alert.inner_text().strip() == INVALID_CREDENTIALS
    assert page.get_by_label("Email").input_value() == "ada@example.com"
    for _attempt in range(4):
        page.get_by_label("Password").fill("still not my password")
        page.get_by_role("button", name="Sign in").click()
    assert User.objects.get(email="ada@example.com").locked_until is not None

    page.get_by_label("Password").fill(DEFAULT_PASSWORD)  # the right one, but locked now
    page.get_by_role("button", name="Sign in").click()

    assert page.url.endswith("/account/sign-in/")
    text = page.get_by_role("alert").inner_text()
    assert INVALID_CREDENTIALS in text and LOCKOUT_HINT in text
    assert page.get_by_role("link", name="Sign in").is_visible()  # still signed out
    # An address nobody has gets exactly the same page: nothing tells accounts apart.
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == text


def test_too_many_sign_in_attempts_from_one_address_are_refused(page, rate_limits_on):
    UserFactory(email="ada@example.com")
    for _attempt in range(5):
        _sign_in(page, "ada@example.com", "not my password")

    _sign_in(page, "ada@example.com", DEFAULT_PASSWORD)

    assert TOO_MANY_ATTEMPTS in _messages(page)
    assert page.get_by_role("link", name="Sign in").is_visible()
