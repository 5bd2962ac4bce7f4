"""Shop connectors: a platform's webhooks (Shopify, WooCommerce, Saleor) verified, mapped to
Loyalist events and sent down the same batch path as ``POST /api/v1/events``; the backfill of
a shop's history from the platforms' export files.

Other packages import only the modules named in ``__all__`` (and the ``adapters`` and
``backfill`` packages); its repository is its own.
"""

__all__ = ["errors", "schemas", "sealing", "service"]
