"""Activities: what the shop sends about its customers (orders, returns, reviews, custom)."""
