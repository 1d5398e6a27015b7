"""Demo data for local runs. Idempotent: a second run finds everything and changes nothing.

The last line of output is one JSON object with the publishable key, the demo login and the
ids later issues add, so scripts can read it with `tail -n 1`.
"""

import json

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from storeapi.models import ApiKey
from storeapi.services import api_key_create

DEMO_KEY_NAME = "Demo storefront"
DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "password123"


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
        summary = {
            "publishable_key": api_key.token,
            "user_email": DEMO_EMAIL,
            "user_password": DEMO_PASSWORD,
            "user_id": user.public_id,
            "api_base_url": "http://127.0.0.1:8000/api/v3/store",
        }
        self.stdout.write(json.dumps(summary))
