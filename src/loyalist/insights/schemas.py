"""What the insights API answers."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from loyalist.insights.nps import Dimension, Figures, Period


class NpsFigures(BaseModel):
    responses: int
    promoters: int = Field(description="answers scoring 9–10")
    passives: int = Field(description="answers scoring 7–8")
    detractors: int = Field(description="answers scoring 0–6")
    nps: float | None = Field(
        description="% promoters − % detractors, one decimal; null without responses"
    )

    @classmethod
    def of(cls, figures: Figures) -> NpsFigures:
        return cls(
            responses=figures.responses,
            promoters=figures.promoters,
            passives=figures.passives,
            detractors=figures.detractors,
            nps=figures.nps,
        )


class NpsRow(NpsFigures):
    period: str | None = Field(
        description="2026-01-15 (day), 2026-W03 (ISO week), 2026-01 (month); null: whole range"
    )
    period_start: date | None = Field(description="first day of the period, program time zone")
    group: str | None = Field(
        description="the segment, tier or channel; null: none (or not grouped)"
    )


class NpsReport(BaseModel):
    period: Period | None
    by: Dimension | None
    from_: date | None = Field(serialization_alias="from", description="first day counted")
    to: date | None = Field(description="last day counted (inclusive)")
    timezone: str
    rows: list[NpsRow]
    total: NpsFigures = Field(description="every counted answer once, whatever its groups")
