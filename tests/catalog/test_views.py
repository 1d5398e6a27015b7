"""Catalog pages: home, product list (search, sort, pages) and the product page with its
add-to-cart form (bad input is refused next to the field and changes nothing)."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client, RequestFactory

from catalog.demo import seed_catalog
from catalog.models import Product, StockItem, Variant
from orders.middleware import CART_COOKIE, CART_COOKIE_SALT
from orders.models import LineItem, Order
from tests.factories import PriceFactory, ProductFactory, StockItemFactory, VariantFactory


@pytest.fixture
def demo(db):
    return seed_catalog(write=lambda _line: None)


def _names(response) -> list[str]:
    return [card.product.name for card in response.context["cards"]]


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _cookie_token(response) -> str:
    """The cart token the response's signed cookie carries, read as the middleware reads it."""
    request = RequestFactory().get("/")
    request.COOKIES[CART_COOKIE] = response.cookies[CART_COOKIE].value
    return request.get_signed_cookie(CART_COOKIE, salt=CART_COOKIE_SALT)


def _variant(sku: str) -> Variant:
    return Variant.objects.get(sku=sku)


# --- home and product list -------------------------------------------------------------------


def test_home_shows_the_products_with_prices(client, demo):
    response = client.get("/")

    assert response.status_code == 200
    assert _names(response) == ["Classic T-Shirt", "Ceramic Mug", "Mountain Poster", "Canvas Tote"]
    html = response.content.decode()
    assert "$25.00" in html and '<s><span class="sr-only">Was </span>$30.00</s>' in html
    assert "Sold out" in html


def test_product_list_shows_every_available_product(client, demo):
    ProductFactory(name="Draft lamp", status=Product.DRAFT)

    response = client.get("/products/")

    assert response.status_code == 200
    assert _names(response) == ["Classic T-Shirt", "Ceramic Mug", "Mountain Poster", "Canvas Tote"]
    assert "4 products" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"q": "mug"}, ["Ceramic Mug"]),
        ({"q": "DEMO-POSTER"}, ["Mountain Poster"]),
        ({"q": "nothing like it"}, []),
        ({"sort": "price"}, ["Ceramic Mug", "Canvas Tote", "Mountain Poster", "Classic T-Shirt"]),
        ({"sort": "-price"}, ["Classic T-Shirt", "Mountain Poster", "Canvas Tote", "Ceramic Mug"]),
        ({"sort": "name"}, ["Canvas Tote", "Ceramic Mug", "Classic T-Shirt", "Mountain Poster"]),
        ({"in_stock": "on"}, ["Classic T-Shirt", "Ceramic Mug", "Mountain Poster"]),
        ({"q": "c", "sort": "-name", "in_stock": "on"}, ["Classic T-Shirt", "Ceramic Mug"]),
    ],
)
def test_product_list_searches_and_sorts(client, demo, params, names):
    response = client.get("/products/", params)

    assert response.status_code == 200
    assert _names(response) == names


def test_an_unknown_sort_is_shown_as_an_error_and_the_search_still_applies(client, demo):
    response = client.get("/products/", {"sort": "DROP TABLE", "q": "mug"})

    assert response.status_code == 200
    assert _names(response) == ["Ceramic Mug"]
    assert "sort" in response.context["form"].errors


def _many_products(count: int) -> None:
    for index in range(count):
        variant = VariantFactory(product=ProductFactory(name=f"Item {index:02d}"))
        PriceFactory(variant=variant, amount=Decimal("5.00"))
        StockItemFactory(variant=variant)


def test_product_list_pages_keep_the_search(client, db):
    _many_products(14)

    first = client.get("/products/", {"q": "item", "sort": "name"})
    second = client.get("/products/", {"q": "item", "sort": "name", "page": "2"})
    beyond = client.get("/products/", {"q": "item", "sort": "name", "page": "99"})
    nonsense = client.get("/products/", {"q": "item", "sort": "name", "page": "abc"})

    assert _names(first) == [f"Item {i:02d}" for i in range(12)]
    assert _names(second) == ["Item 12", "Item 13"]
    assert _names(beyond) == ["Item 12", "Item 13"]
    assert _names(nonsense) == _names(first)
    assert 'href="?q=item&amp;sort=name&amp;page=2"' in first.content.decode()


def test_product_list_queries_do_not_grow_with_the_products(
    client, db, django_assert_max_num_queries
):
    _many_products(3)
    with django_assert_max_num_queries(12) as few:
        client.get("/products/")
    _many_products(9)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/products/")
    assert len(response.context["cards"]) == 12


# --- product page ----------------------------------------------------------------------------


def test_product_page_shows_variants_price_compare_at_and_stock(client, demo):
    StockItem.objects.filter(variant__sku="DEMO-TSHIRT-L").update(count_on_hand=0)
    StockItem.objects.filter(variant__sku="DEMO-TSHIRT-M").update(count_on_hand=3)

    response = client.get("/products/classic-t-shirt/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="product-name">Classic T-Shirt</h1>' in html
    assert [row.label for row in response.context["rows"]] == ["Size: S", "Size: M", "Size: L"]
    assert [row.stock_text for row in response.context["rows"]] == [
        "In stock",
        "Only 3 left",
        "Out of stock",
    ]
    assert "$25.00" in html and "$30.00</s>" in html
    assert "A soft organic cotton tee with a relaxed fit." in html
    large = _variant("DEMO-TSHIRT-L").public_id
    assert f'value="{large}" disabled' in html
    assert "Add to wishlist" not in html


def test_a_sold_out_product_cannot_be_added(client, demo):
    response = client.get("/products/canvas-tote/")

    html = response.content.decode()
    assert "Sold out." in html and "Add to cart" not in html


@pytest.mark.parametrize("slug", ["no-such-thing", "draft-lamp", "prod_0"])
def test_unknown_or_unpublished_product_is_not_found(client, demo, slug):
    ProductFactory(name="Draft lamp", slug="draft-lamp", status=Product.DRAFT)

    assert client.get(f"/products/{slug}/").status_code == 404


def test_the_product_page_answers_to_its_id_too(client, demo):
    product = Product.objects.get(slug="ceramic-mug")

    assert client.get(f"/products/{product.public_id}/").status_code == 200


# --- add to cart -----------------------------------------------------------------------------


def test_adding_to_cart_opens_a_guest_cart_remembered_in_a_signed_cookie(client, demo):
    medium = _variant("DEMO-TSHIRT-M")

    response = client.post(
        "/products/classic-t-shirt/", {"variant_id": medium.public_id, "quantity": "2"}
    )

    assert response.status_code == 302 and response["Location"] == "/cart/"
    cart = Order.objects.get()
    assert (cart.user, cart.state, cart.item_count) == (None, Order.CART, 2)
    assert list(cart.line_items.values_list("variant__sku", "quantity")) == [("DEMO-TSHIRT-M", 2)]
    assert _cookie_token(response) == cart.token
    cookie = response.cookies[CART_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert _messages(response) == ["Added 2 items to your cart."]

    again = client.post("/products/ceramic-mug/", {"variant_id": demo_mug(), "quantity": "1"})

    assert again.status_code == 302
    assert Order.objects.count() == 1
    assert Order.objects.get().item_count == 3
    assert CART_COOKIE not in again.cookies  # the same cart: nothing new to remember


def demo_mug() -> str:
    return _variant("DEMO-MUG").public_id


def _nothing_changed() -> tuple[int, int]:
    return Order.objects.count(), LineItem.objects.count()


@pytest.mark.parametrize(
    ("quantity", "error"),
    [
        ("0", "Ensure this value is greater than or equal to 1."),
        ("-3", "Ensure this value is greater than or equal to 1."),
        ("two", "Enter a whole number."),
        ("", "This field is required."),
        ("10001", "Ensure this value is less than or equal to 10000."),
        ("51", "Ceramic Mug does not have 51 available."),
    ],
)
def test_a_bad_quantity_is_refused_next_to_the_field_and_changes_nothing(
    client, demo, quantity, error
):
    response = client.post(
        "/products/ceramic-mug/", {"variant_id": demo_mug(), "quantity": quantity}
    )

    assert response.status_code == 422
    assert response.context["form"].errors == {"quantity": [error]}
    assert error in response.content.decode().replace("&#x27;", "'")
    assert _messages(response) == ["The item could not be added to your cart."]
    assert _nothing_changed() == (0, 0)
    assert CART_COOKIE not in response.cookies


def test_a_sold_out_or_unknown_variant_is_refused_and_changes_nothing(client, demo):
    tote = _variant("DEMO-TOTE").public_id

    sold_out = client.post("/products/canvas-tote/", {"variant_id": tote, "quantity": "1"})
    unknown = client.post("/products/ceramic-mug/", {"variant_id": "variant_0", "quantity": "1"})
    other = client.post("/products/ceramic-mug/", {"variant_id": tote, "quantity": "1"})

    assert sold_out.status_code == 422
    assert sold_out.context["form"].errors == {
        "quantity": ["Canvas Tote does not have 1 available."]
    }
    for response in (unknown, other):  # only this product's variants are choices
        assert response.status_code == 422
        assert list(response.context["form"].errors) == ["variant_id"]
    assert _nothing_changed() == (0, 0)


def test_a_signed_in_customer_adds_to_their_own_cart_and_may_use_the_wishlist(
    client, demo, customer
):
    client.force_login(customer)

    page = client.get("/products/ceramic-mug/")
    response = client.post("/products/ceramic-mug/", {"variant_id": demo_mug(), "quantity": "1"})

    assert 'formaction="/account/wishlists/add/"' in page.content.decode()
    assert f'name="variant_id" value="{demo_mug()}"' in page.content.decode()
    assert response.status_code == 302
    assert Order.objects.get().user == customer
    assert CART_COOKIE not in response.cookies


def test_adding_to_cart_needs_the_csrf_token(demo):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/products/ceramic-mug/", {"variant_id": demo_mug(), "quantity": "1"})

    assert response.status_code == 403
    assert _nothing_changed() == (0, 0)


# --- our own error pages ---------------------------------------------------------------------


def test_an_unknown_page_is_our_not_found_page_in_the_site_layout(client, db):
    response = client.get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page not found · Demo Shop</title>" in html
    assert '<nav aria-label="Main"' in html and '<h1 id="error-title">Page not found</h1>' in html


def test_a_crash_is_our_error_page_even_when_the_context_processors_fail(
    client, db, settings, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr("catalog.views.selectors.products_available", broken)
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {"context_processors": ["tests.catalog.test_views.fail"]},
        }
    ]
    client.raise_request_exception = False

    response = client.get("/products/")

    html = response.content.decode()
    assert response.status_code == 500
    assert '<h1 id="error-title">Something went wrong</h1>' in html
    assert '<nav aria-label="Main"' in html and "database is down" not in html


def fail(request):
    """A context processor that fails, as one does when the session store is down."""
    raise RuntimeError("context processor failed")
