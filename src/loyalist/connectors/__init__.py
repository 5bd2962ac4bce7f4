"""Shop connectors: a platform's webhooks (Shopify, WooCommerce, Saleor) verified, mapped to
Loyalist events and sent down the same batch path as ``POST /api/v1/events``."""
