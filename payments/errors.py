"""Error codes of payments (STORE_API.md §1.4, §1.6, §4)."""

from storeapi.errors import ApiError, NotFound, ProcessingError


class PaymentMethodNotFound(NotFound):
    default_message = "Payment method not found"


class PaymentSessionRequired(ApiError):
    status_code = 422
    code = "payment_session_required"
    default_message = (
        "This payment method requires a payment session. Use the payment sessions endpoint."
    )


class PaymentMethodUnavailable(ApiError):
    status_code = 422
    code = "payment_method_unavailable"
    default_message = "This payment method is not available for this cart"


class GatewayError(ApiError):
    status_code = 422
    code = "gateway_error"
    default_message = "The payment was declined"


class GiftCardNotFound(NotFound):
    code = "gift_card_not_found"
    default_message = "The Gift Card was not found."


class GiftCardExpired(ApiError):
    status_code = 422
    code = "gift_card_expired"
    default_message = "The Gift Card has expired."


class GiftCardAlreadyRedeemed(ApiError):
    status_code = 422
    code = "gift_card_already_redeemed"
    default_message = "The Gift Card has already been redeemed."


class NoStoreCredit(ProcessingError):
    default_message = "User does not have any Store Credits available"


class BalanceChanged(ProcessingError):
    """A store credit or gift card no longer covers what the cart meant to take from it."""

    default_message = "A store credit or gift card balance changed; please review your payment"
