"""Add countries that pycountry knows and the table lacks (after a pycountry upgrade)."""

from django.core.management.base import BaseCommand

from customers.services import countries_sync


class Command(BaseCommand):
    help = "Load missing ISO 3166-1 countries; staff choices on existing ones are kept."

    def handle(self, *args, **options):
        added = countries_sync()
        self.stdout.write(f"Added {added} countries")
