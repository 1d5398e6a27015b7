"""Writes of carts and orders, split by sub-domain: `carts` (the cart and its items),
`checkout` (totals, fulfillments, requirements, completion)."""
