from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import User
from storeapi.models import ApiKey
from storeapi.tokens import base58_token

DEFAULT_PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"shopper{n}@example.com")
    first_name = "Ada"
    last_name = "Lovelace"
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ApiKeyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiKey

    name = factory.Sequence(lambda n: f"Storefront {n}")
    token = factory.LazyFunction(lambda: f"pk_{base58_token(24)}")


class AddressFactory(factory.django.DjangoModelFactory):
    """A valid US address written straight to the table (no services: no default moves)."""

    class Meta:
        model = "customers.Address"

    user = factory.SubFactory(UserFactory)
    first_name = "Ada"
    last_name = "Lovelace"
    address1 = "350 Fifth Avenue"
    city = "New York"
    postal_code = "10118"
    phone = "+1 555 0100"
    country_id = "US"
    state_abbr = "NY"
    state_name = "New York"


class OptionTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.OptionType"

    name = factory.Sequence(lambda n: f"option-{n}")
    label = factory.Sequence(lambda n: f"Option {n}")
    position = factory.Sequence(lambda n: n)


class OptionValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.OptionValue"

    option_type = factory.SubFactory(OptionTypeFactory)
    name = factory.Sequence(lambda n: f"value-{n}")
    label = factory.Sequence(lambda n: f"Value {n}")
    position = factory.Sequence(lambda n: n)


class ProductFactory(factory.django.DjangoModelFactory):
    """A published product (active, available since yesterday), without variants."""

    class Meta:
        model = "catalog.Product"

    name = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    status = "active"
    available_on = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Variant"

    product = factory.SubFactory(ProductFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")


class PriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Price"

    variant = factory.SubFactory(VariantFactory)
    currency = "USD"
    amount = Decimal("10.00")


class StockLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.StockLocation"

    name = factory.Sequence(lambda n: f"Warehouse {n}")
    country_iso = "US"


class StockItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.StockItem"

    variant = factory.SubFactory(VariantFactory)
    stock_location = factory.SubFactory(StockLocationFactory)
    count_on_hand = 10
