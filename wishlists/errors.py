"""Error codes of wishlists (STORE_API.md §1.7, §4): 404s with Spree's messages; validation
failures are `storeapi.errors.ValidationFailed` (422 validation_error with `details`)."""

from storeapi.errors import NotFound


class WishlistNotFound(NotFound):
    code = "record_not_found"
    default_message = "Wishlist not found"


class WishlistItemNotFound(NotFound):
    code = "record_not_found"
    default_message = "Wished item not found"
