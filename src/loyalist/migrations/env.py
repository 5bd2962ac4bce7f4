"""Alembic environment: every domain's tables, on SQLite (batch mode) and PostgreSQL."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlalchemy import create_engine, pool
from sqlalchemy.types import TypeDecorator

from loyalist.bootstrap import metadata

config = context.config
target_metadata = metadata()


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Render the project's column types as their plain storage type."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        impl = obj.impl_instance if hasattr(obj, "impl_instance") else obj.impl
        autogen_context.imports.add("import sqlalchemy as sa")
        return f"sa.{impl!r}"
    return False


def run() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url
    timeout = config.attributes.get("connect_timeout_seconds", 0)
    postgres = not url.startswith("sqlite")
    connect_args = {"connect_timeout": timeout} if postgres and timeout else {}
    engine = create_engine(url, poolclass=pool.NullPool, connect_args=connect_args)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            render_item=render_item,
            compare_type=False,
        )
        with context.begin_transaction():
            context.run_migrations()


run()
