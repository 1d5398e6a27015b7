"""Gateway registry: a payment method's `provider` names the module that talks to it."""

from payments.gateways.base import Gateway
from payments.gateways.bogus import BogusGateway
from payments.gateways.wallet import WalletGateway

GATEWAYS: dict[str, type] = {"bogus": BogusGateway, "wallet": WalletGateway}


def gateway_for(provider: str) -> Gateway | None:
    """The gateway of a provider, or None for methods that need none (check, internal)."""
    gateway_class = GATEWAYS.get(provider)
    return gateway_class() if gateway_class else None
