"""Campaign routes: create and change campaigns (and their history), pause, resume,
cancel; the seasonal calendar."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from loyalist.api.deps import refuse_nul

router = APIRouter(prefix="/api/v1", tags=["campaigns"], dependencies=[Depends(refuse_nul)])
