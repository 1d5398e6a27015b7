"""Error messages of the customers app (codes come from storeapi.errors)."""

ADDRESS_NOT_FOUND = "Address not found"
COUNTRY_NOT_FOUND = "Country not found"
