"""ASGI entry points: ``uvicorn --factory loyalist.asgi:create`` or ``loyalist.asgi:app``.

Settings come from the environment (``LOYALIST_*``); each server process builds its own
application.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from loyalist.bootstrap import bootstrap
from loyalist.logs import configure_json_logging
from loyalist.web.app import create_app


def create() -> FastAPI:
    """The application of the environment's settings, logging JSON lines; its shutdown
    closes the database (the queued units of work are committed first)."""
    loyalist = bootstrap()
    configure_json_logging(loyalist.settings.log_level)
    return create_app(loyalist, owns_loyalist=True)


def __getattr__(name: str) -> Any:
    # ``app`` is built on first access, so importing this module has no side effects.
    if name == "app":
        globals()["app"] = built = create()
        return built
    raise AttributeError(name)
