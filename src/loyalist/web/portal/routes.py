"""The member portal's pages, the public "how the program works" page and the widget."""

from __future__ import annotations

from fastapi import APIRouter

from loyalist.api.deps import GuardedRoute

router = APIRouter(prefix="/portal", route_class=GuardedRoute, include_in_schema=False)
