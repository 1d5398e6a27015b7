"""Demo data for local runs. Idempotent: a second run finds everything and changes nothing.

The last line of output is one JSON object with the publishable key, the demo login and the
ids later issues add, so scripts can read it with `tail -n 1`.
"""

import json

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from catalog.demo import seed_catalog
from customers.models import Address
from customers.services import address_create
from orders.demo import seed_checkout
from payments.demo import seed_payments
from storeapi.models import ApiKey
from storeapi.services import api_key_create
from wishlists.demo import seed_wishlist

DEMO_KEY_NAME = "Demo storefront"
DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "password123"
DEMO_COUNTRY = "US"


class Command(BaseCommand):
    help = "Create the demo publishable key and customer (idempotent) and print them as JSON."

    @transaction.atomic
    def handle(self, *args, **options):
        api_key = ApiKey.objects.filter(name=DEMO_KEY_NAME, revoked_at__isnull=True).first()
        if api_key is None:
            api_key = api_key_create(name=DEMO_KEY_NAME)
            self.stdout.write(f"Created publishable key {api_key.token}")
        user = User.objects.filter(email=DEMO_EMAIL).first()
        if user is None:
            user = User.objects.create_user(
                DEMO_EMAIL,
                DEMO_PASSWORD,
                first_name="Demo",
                last_name="Shopper",
                phone="+1 555 0100",
                accepts_email_marketing=True,
            )
            self.stdout.write(f"Created demo customer {user.email}")
        if not Address.objects.filter(user=user, deleted_at__isnull=True).exists():
            self._seed_addresses(user)
        summary = {
            "publishable_key": api_key.token,
            "user_email": DEMO_EMAIL,
            "user_password": DEMO_PASSWORD,
            "user_id": user.public_id,
            "api_base_url": "http://127.0.0.1:8000/api/v3/store",
            "country_iso": DEMO_COUNTRY,
        }
        catalog = seed_catalog(write=self.stdout.write)
        summary.update(catalog)
        summary.update(seed_checkout(write=self.stdout.write))
        summary.update(seed_payments(user=user, write=self.stdout.write))
        summary.update(
            seed_wishlist(user=user, variant_id=catalog["variant_id"], write=self.stdout.write)
        )
        self.stdout.write(json.dumps(summary))

    def _seed_addresses(self, user: User) -> None:
        home = {
            "first_name": "Demo",
            "last_name": "Shopper",
            "address1": "350 Fifth Avenue",
            "city": "New York",
            "postal_code": "10118",
            "state_abbr": "NY",
            "country_iso": DEMO_COUNTRY,
            "phone": "+1 555 0100",
        }
        address_create(user=user, data={**home, "is_default_billing": True})
        office = {**home, "address1": "1 Infinite Loop", "city": "Cupertino"}
        office.update(postal_code="95014", state_abbr="CA", company="Demo Inc.")
        shipping = address_create(user=user, data={**office, "is_default_shipping": True})
        self.stdout.write(f"Created demo addresses (default shipping {shipping.public_id})")
