"""ASGI entry points: ``uvicorn --factory loyalist.asgi:create`` or ``loyalist.asgi:app``.

Settings come from the environment (``LOYALIST_*``); each server process builds its own
application.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from loyalist.api.app import create_app
from loyalist.bootstrap import bootstrap


def create() -> FastAPI:
    return create_app(bootstrap())


def __getattr__(name: str) -> Any:
    # ``app`` is built on first access, so importing this module has no side effects.
    if name == "app":
        globals()["app"] = built = create()
        return built
    raise AttributeError(name)
