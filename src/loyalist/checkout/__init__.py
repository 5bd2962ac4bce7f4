"""Checkout: quotes, and holds of points and coupons that an order confirms or time releases."""
