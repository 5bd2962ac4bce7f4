"""Connector rows: one per shop connection (platform, key, signing secret, mapping)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base
from loyalist.db.crypto import EncryptedString

#: The AAD of a connector's signing secret (it belongs to no member: the master key seals it).
SECRET_PURPOSE = "connector.secret"  # noqa: S105 (an encryption purpose)


class Connector(Base):
    """A shop's connection: the platform, the ``key`` in its webhook URL
    (``/api/v1/connectors/{platform}/{key}``), the secret the platform signs webhooks with
    (encrypted; never shown again) and how its orders map (currency of an order that states
    none, channel, store). A disabled connector's webhooks are refused (404)."""

    __tablename__ = "connectors"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    secret: Mapped[str] = mapped_column(EncryptedString(SECRET_PURPOSE))
    currency: Mapped[str] = mapped_column(String(3))
    channel: Mapped[str] = mapped_column(String(8))
    store: Mapped[str | None] = mapped_column(String(128))
    is_enabled: Mapped[bool]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
