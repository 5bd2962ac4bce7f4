"""What the connectors' API takes and answers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from loyalist.activities.models import OrderChannel


class Platform(StrEnum):
    """A shop platform Loyalist has an adapter for (``adapters.PLATFORMS``)."""

    SHOPIFY = "shopify"
    WOOCOMMERCE = "woocommerce"
    SALEOR = "saleor"


KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
_SIGNED_WITH = (
    "write-only. Shopify: the app's client secret; WooCommerce: the webhook's secret;"
    " Saleor: the JWKS, a PEM public key, or the webhook's secret key"
)


class ConnectorCreate(BaseModel):
    """A new connector: ``secret`` is what the platform signs its webhooks with (Shopify: the
    app's client secret; WooCommerce: the webhook's secret; Saleor: the app's secret key).
    It is stored encrypted and never shown again."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "platform": "shopify",
                    "key": "main-store",
                    "secret": "shpss_5f0e8ae6ade43cb3c0ce4525",
                    "currency": "EUR",
                }
            ]
        },
    )

    platform: Platform
    key: str = Field(
        pattern=KEY_PATTERN,
        description="the last segment of the webhook URL: lower case letters, digits, - and _",
    )
    secret: SecretStr = Field(min_length=8, max_length=4000, description=_SIGNED_WITH)
    currency: str = Field(
        default="EUR", pattern=CURRENCY_PATTERN, description="of an order that states none"
    )
    channel: OrderChannel = Field(
        default=OrderChannel.WEB, description="of an order the platform does not place"
    )
    store: str | None = Field(
        default=None, min_length=1, max_length=128, description="the Loyalist store orders go to"
    )


class ConnectorUpdate(BaseModel):
    """The fields sent change; a new ``secret`` replaces the old one at once."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"currency": "USD", "is_enabled": True}]}
    )

    secret: SecretStr | None = Field(
        default=None, min_length=8, max_length=4000, description=_SIGNED_WITH
    )
    currency: str | None = Field(default=None, pattern=CURRENCY_PATTERN)
    channel: OrderChannel | None = None
    store: str | None = Field(default=None, min_length=1, max_length=128)
    is_enabled: bool | None = None


class ConnectorRead(BaseModel):
    """A connector as shown (never its secret) and the URL path the platform posts to."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key": "main-store",
                    "platform": "shopify",
                    "webhook_path": "/api/v1/connectors/shopify/main-store",
                    "currency": "EUR",
                    "channel": "web",
                    "store": None,
                    "is_enabled": True,
                    "created_at": "2026-11-02T09:30:00Z",
                    "updated_at": "2026-11-02T09:30:00Z",
                }
            ]
        }
    )

    key: str
    platform: Platform
    webhook_path: str = Field(description="where the platform sends its webhooks")
    currency: str
    channel: OrderChannel
    store: str | None
    is_enabled: bool
    created_at: datetime
    updated_at: datetime


class AdjustmentRead(BaseModel):
    """Something the adapter changed or left out of the platform's payload."""

    pointer: str = Field(description="JSON pointer into the platform's payload")
    note: str


class WebhookAnswer(BaseModel):
    """What a platform webhook came to: the Loyalist events accepted (new) and replayed (seen
    before, changed nothing), what the adapter adjusted, or why it was ignored."""

    topic: str | None
    ignored: str | None = Field(default=None, description="why nothing was booked")
    accepted: list[str] = Field(default_factory=list, description="ids of new events")
    replayed: list[str] = Field(default_factory=list, description="ids of events seen before")
    adjustments: list[AdjustmentRead] = Field(default_factory=list)
