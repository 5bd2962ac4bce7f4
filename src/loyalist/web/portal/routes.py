"""The member portal's pages, the public "how the program works" page and the widget: one
router gathering the core modules' (features add theirs in ``web/app.py``)."""

from __future__ import annotations

from fastapi import APIRouter

from loyalist.web.portal import access, home, public, widget

router = APIRouter()
for _module in (access, home, public, widget):
    router.include_router(_module.router)
