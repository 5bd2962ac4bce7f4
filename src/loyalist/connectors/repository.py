"""The connectors' SQL."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from loyalist.connectors.models import Connector


def connector(session: Session, key: str, *, lock: bool = False) -> Connector | None:
    query = select(Connector).where(Connector.key == key)
    if lock:
        query = query.with_for_update()
    return session.scalars(query).first()


def connectors(session: Session) -> Sequence[Connector]:
    return session.scalars(select(Connector).order_by(Connector.key)).all()
