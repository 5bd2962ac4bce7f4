"""Backfills: a shop's order history from its platform's export file, as the same events
its webhooks give (``shopify_csv``: Shopify's orders CSV; ``woocommerce_export``:
WooCommerce's orders as its REST API gives them), planned per batch by ``orders``."""
