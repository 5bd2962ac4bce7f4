"""Recommendations routes."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from loyalist.api.deps import refuse_nul

router = APIRouter(prefix="/api/v1", tags=["recommendations"], dependencies=[Depends(refuse_nul)])
