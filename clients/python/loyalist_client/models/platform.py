from enum import StrEnum


class Platform(StrEnum):
    SALEOR = "saleor"
    SHOPIFY = "shopify"
    WOOCOMMERCE = "woocommerce"

    def __str__(self) -> str:
        return str(self.value)
