"""ASGI entry point for ``uvicorn loyalist.asgi:app`` (settings from the environment)."""

from __future__ import annotations

from loyalist.api.app import create_app
from loyalist.bootstrap import bootstrap

app = create_app(bootstrap())
