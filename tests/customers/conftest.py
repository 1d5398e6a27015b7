"""Customers fixtures: the shop of the orders tests, to place an order the pages show."""

from tests.orders.conftest import shop  # noqa: F401  (the same shop to check out in)
