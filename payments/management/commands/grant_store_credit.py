"""Grant store credit from a script: `manage.py grant_store_credit ada@example.com 10.00`."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User, normalize_email
from payments.services.balances import store_credit_grant
from storeapi.errors import ValidationFailed


class Command(BaseCommand):
    help = "Give a customer store credit (written to the ledger)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("amount")
        parser.add_argument("--currency", default=settings.STORE_CURRENCY)
        parser.add_argument("--category", default="Goodwill")
        parser.add_argument("--memo", default="")

    def handle(self, *args, email, amount, currency, category, memo, **options):
        user = User.objects.filter(email=normalize_email(email)).first()
        if user is None:
            raise CommandError(f"No customer with email {email}")
        try:
            value = Decimal(amount)
        except InvalidOperation:
            raise CommandError(f"Not an amount: {amount}") from None
        try:
            credit = store_credit_grant(
                user=user, amount=value, currency=currency, category=category, memo=memo
            )
        except ValidationFailed as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Granted {credit.amount} {credit.currency} ({credit.public_id})")
