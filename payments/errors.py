"""Error codes of payments (STORE_API.md §1.6, §4)."""

from storeapi.errors import ApiError, NotFound


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
