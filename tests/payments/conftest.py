from tests.orders.conftest import shop  # noqa: F401  (the same shop to check out in)
