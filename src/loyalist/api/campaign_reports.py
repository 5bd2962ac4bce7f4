"""Campaign routes that measure: the report per arm with uplift against the control
group, and the program's global holdout."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from loyalist.api.deps import refuse_nul

router = APIRouter(prefix="/api/v1", tags=["campaigns"], dependencies=[Depends(refuse_nul)])
