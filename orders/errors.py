"""Error codes of carts and orders (STORE_API.md §1.5, §1.6, §4)."""

from storeapi.errors import ApiError, NotFound


class CartNotFound(NotFound):
    code = "cart_not_found"
    default_message = "Cart not found"


class OrderNotFound(NotFound):
    code = "order_not_found"
    default_message = "Order not found"


class LineItemNotFound(NotFound):
    code = "line_item_not_found"
    default_message = "Line item not found"


class InvalidQuantity(ApiError):
    status_code = 422
    code = "invalid_quantity"
    default_message = "Quantity must be a whole number between 1 and 10000"


class CartCannotComplete(ApiError):
    status_code = 422
    code = "cart_cannot_complete"
    default_message = "The cart cannot be completed"


class CartAlreadyUpdated(ApiError):
    status_code = 409
    code = "cart_already_updated"
    default_message = "The cart has already been updated."


class CartUpdateFailed(ApiError):
    status_code = 422
    code = "validation_error"
    default_message = "The cart could not be updated"
