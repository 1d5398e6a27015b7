"""Error codes of the catalog (STORE_API.md §4)."""

from storeapi.errors import ApiError, NotFound


class VariantNotFound(NotFound):
    code = "variant_not_found"
    default_message = "Variant not found"


class ProductNotFound(NotFound):
    code = "record_not_found"
    default_message = "Product not found"


class InsufficientStock(ApiError):
    status_code = 422
    code = "insufficient_stock"
    default_message = "Not enough stock for this quantity"

    def __init__(self, message: str | None = None, *, variant_ids: list[int] | None = None):
        super().__init__(message)
        self.variant_ids = variant_ids or []
