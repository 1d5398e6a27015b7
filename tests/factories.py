import factory

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
