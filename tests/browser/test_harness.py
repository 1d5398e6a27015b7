"""The harness itself: Chromium reaches the live server, static files load, screenshots land."""

from tests.browser.conftest import screenshot_path


def test_unknown_page_shows_our_not_found_page_with_the_stylesheet(page):
    response = page.goto("/no-such-page/")

    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    css = page.request.get("/static/css/site.css")
    assert css.status == 200 and ":root" in css.text()


def test_screenshot_path_is_named_after_the_test():
    path = screenshot_path("test_checkout[chromium] step/2")

    assert path.name == "test_checkout_chromium_step_2.png"
    assert path.parent.name == "screenshots" and path.parent.parent.name == "test-output"
