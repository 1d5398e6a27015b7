"""Demo payments: the test card gateway, the test wallet, and balances for the demo customer."""

from decimal import Decimal

from payments.models import GiftCard, PaymentMethod, StoreCredit
from payments.services.balances import gift_card_create, store_credit_grant

DEMO_GIFT_CARD_CODE = "d0d0cafe12345678"


def seed_payments(*, user, write=print) -> dict[str, str]:
    """Idempotent: finds what a previous run made and changes nothing."""
    bogus, created = PaymentMethod.objects.get_or_create(
        provider=PaymentMethod.BOGUS,
        defaults={
            "name": "Credit card (test gateway)",
            "description": "Test tokens: tok_visa succeeds, tok_declined is declined",
            "session_required": True,
            "position": 1,
        },
    )
    if created:
        write("Created payment method Credit card (test gateway)")
    _wallet, created = PaymentMethod.objects.get_or_create(
        provider=PaymentMethod.WALLET,
        defaults={
            "name": "Wallet (test, PayPal-like)",
            "session_required": True,
            "position": 2,
        },
    )
    if created:
        write("Created payment method Wallet")
    if not StoreCredit.objects.filter(user=user).exists():
        store_credit_grant(
            user=user,
            amount=Decimal("20.00"),
            currency="USD",
            category="Goodwill",
            memo="Welcome credit",
        )
        write("Granted the demo customer 20.00 USD of store credit")
    card = GiftCard.objects.filter(code=DEMO_GIFT_CARD_CODE).first()
    if card is None:
        # Given to the demo customer, so it shows in their GET /customers/me/gift_cards.
        card = gift_card_create(amount=Decimal("25.00"), currency="USD", user=user)
        GiftCard.objects.filter(pk=card.pk).update(code=DEMO_GIFT_CARD_CODE)
        write("Created a 25.00 USD gift card for the demo customer")
    return {
        "bogus_payment_method_id": bogus.public_id,
        "wallet_payment_method_id": _wallet.public_id,
        "gift_card_code": DEMO_GIFT_CARD_CODE.upper(),
    }
