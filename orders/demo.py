"""Demo checkout setup: a North America zone, two delivery methods and the Check method."""

from decimal import Decimal

from customers.models import Country
from orders.models import DeliveryMethod, Zone, ZoneMember
from payments.models import PaymentMethod


def seed_checkout(write=print) -> dict[str, str]:
    """Idempotent: finds what a previous run made and changes nothing."""
    zone, created = Zone.objects.get_or_create(
        name="North America", defaults={"description": "United States and Canada"}
    )
    if created:
        for iso in ("US", "CA"):
            ZoneMember.objects.create(zone=zone, country=Country.objects.get(iso=iso))
        write("Created zone North America")
    methods = [
        ("Standard", "STANDARD", Decimal("5.00"), Decimal("100.00"), 0),
        ("Express", "EXPRESS", Decimal("15.00"), None, 1),
    ]
    for name, code, amount, free_over, position in methods:
        method, created = DeliveryMethod.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "amount": amount,
                "free_over_amount": free_over,
                "position": position,
                "currency": "USD",
            },
        )
        if created:
            method.zones.add(zone)
            write(f"Created delivery method {name}")
    check, created = PaymentMethod.objects.get_or_create(
        provider=PaymentMethod.CHECK,
        defaults={"name": "Check", "description": "Pay by check or bank transfer after ordering"},
    )
    if created:
        write("Created payment method Check")
    return {"check_payment_method_id": check.public_id}
