"""Campaign routes that reach members: the audience estimate and the launch."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from loyalist.api.deps import refuse_nul

router = APIRouter(prefix="/api/v1", tags=["campaigns"], dependencies=[Depends(refuse_nul)])
