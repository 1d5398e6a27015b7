"""Storefront pages of orders (templates under templates/orders/): the cart (`cart.py`), the
checkout steps (`checkout.py`) and the order pages (`order_pages.py`). They call the same
selectors and services as the Store API."""
