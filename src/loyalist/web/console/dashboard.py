"""The dashboard: KPI tiles for a period against the previous one, time series, cohort
retention, the RFM grid and the order funnel.

Guarded by ``analytics.read``, as the insights API. A preset period (7, 30, 90, 365 days)
shows the figures the insights dashboard job stored (``insights.service.stored_dashboard``,
refreshed hourly), so a view costs one row read however many members the shop has; before
the job's first run, and for a custom ``from``–``to``, the figures are computed on the spot
from the tables (``insights.service.compute_dashboards``). Formatting is this module's: the
figures stay numbers in the domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Final, Literal

from babel.numbers import format_currency, format_decimal
from fastapi import Depends, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse

from loyalist.api.deps import app_of, read, require
from loyalist.db.uow import UnitOfWork
from loyalist.insights import service
from loyalist.insights.nps import period_label
from loyalist.insights.rfm import SEGMENTS
from loyalist.insights.schemas import Dashboard
from loyalist.ledger.policy import minor_unit_exponent
from loyalist.staff.models import Permission as P
from loyalist.web.console.kit import console_router, page

router = console_router()

PeriodChoice = Literal["7d", "30d", "90d", "365d", "custom"]
PERIOD_LABELS: Final = {
    "7d": "Last 7 days",
    "30d": "Last 30 days",
    "90d": "Last 90 days",
    "365d": "Last 365 days",
    "custom": "From … to …",
}
SEGMENT_LABELS: Final = {s: s.replace("_", " ").capitalize() for s in SEGMENTS}
SEGMENT_LABELS["cant_lose"] = "Can't lose"
#: Chart colours (Chart.js reads them from the JSON config: data, not style attributes).
COLOURS: Final = ("#0a58ca", "#1a7f37", "#9a6700", "#cf222e", "#6f42c1")


@dataclass(frozen=True, slots=True)
class Tile:
    """A KPI as shown: its value, the change against the previous period, and whether the
    change is good (``up``), bad (``down``) or neither (``""``)."""

    label: str
    value: str
    change: str | None
    trend: str
    hint: str = ""


@router.get("/dashboard", dependencies=[Depends(require(P.ANALYTICS_READ))])
async def dashboard_page(
    request: Request,
    period: Annotated[PeriodChoice, Query()] = "30d",
    from_: Annotated[date | None, Query(alias="from")] = None,
    to: Annotated[date | None, Query()] = None,
) -> HTMLResponse:
    """The dashboard of ``period`` (a preset, or ``custom`` with ``from`` and ``to``)."""
    program = app_of(request).program

    def op(uow: UnitOfWork) -> tuple[Dashboard, bool]:
        chosen = service.dashboard_period(program, uow.now, period, from_, to)
        if chosen.key != "custom":
            stored = service.stored_dashboard(uow, chosen.key)
            if stored is not None:
                return stored, True
        return service.compute_dashboards(uow, program, [chosen])[0], False

    figures, stored = await read(request, op)
    return await page(
        request,
        "console/dashboard/index.html.j2",
        {
            "figures": figures,
            "stored": stored,
            "chosen": period,
            "periods": PERIOD_LABELS,
            "tiles": tiles(figures),
            "series": series_rows(figures),
            "charts": charts(figures),
            "cohorts": cohort_rows(figures),
            "rfm": rfm_rows(figures),
            "funnel": funnel_rows(figures),
        },
    )


# -- the view: figures as text ---------------------------------------------------------------
def _count(value: Any) -> str:
    return "–" if value is None else format_decimal(value, format="#,##0", locale="en")


def _money(minor: Any, currency: str) -> str:
    if minor is None:
        return "–"
    units = Decimal(int(minor)).scaleb(-minor_unit_exponent(currency))
    return format_currency(units, currency, locale="en")


def _rate(value: Any) -> str:
    return "–" if value is None else f"{float(value) * 100:.1f}%"


def _signed(value: float, digits: int = 0) -> str:
    return f"{value:+,.{digits}f}".replace("-", "−")


def _shown(kind: str, value: Any, currency: str) -> str:
    if kind == "rate":
        return _rate(value)
    if kind == "money":
        return _money(value, currency)
    if kind == "nps":
        return "–" if value is None else f"{float(value):.1f}"
    return _count(value)


def _tile(
    label: str,
    current: Any,
    previous: Any,
    kind: Literal["count", "money", "rate", "nps"],
    currency: str,
    *,
    higher_is_better: bool | None = True,
    hint: str = "",
) -> Tile:
    shown = _shown(kind, current, currency)
    if current is None or previous is None:
        return Tile(label, shown, None, "", hint)
    delta = float(current) - float(previous)
    if kind == "rate":
        change = f"{_signed(delta * 100, 1)} pp"
    elif kind == "nps":
        change = _signed(delta, 1)
    elif kind == "money":
        change = ("+" if delta >= 0 else "−") + _money(abs(delta), currency)
    else:
        change = _signed(delta)
        if previous:
            change += f" ({_signed(delta / float(previous) * 100, 1)}%)"
    trend = ""
    if delta and higher_is_better is not None:
        trend = "up" if (delta > 0) == higher_is_better else "down"
    return Tile(label, shown, change, trend, hint)


def tiles(figures: Dashboard) -> list[Tile]:
    """The KPI tiles, in the issue's order."""
    now, before, currency = figures.current, figures.previous, figures.currency
    return [
        _tile("Members", now["members"], before["members"], "count", currency),
        _tile("Active members", now["active_members"], before["active_members"], "count", currency),
        _tile(
            "Repeat-purchase rate",
            now["repeat_purchase_rate"],
            before["repeat_purchase_rate"],
            "rate",
            currency,
        ),
        _tile(
            "Average order value",
            now["average_order_value"],
            before["average_order_value"],
            "money",
            currency,
        ),
        _tile(
            "Churn",
            now["churn_rate"],
            before["churn_rate"],
            "rate",
            currency,
            higher_is_better=False,
        ),
        _tile(
            "NPS",
            now["nps"],
            before["nps"],
            "nps",
            currency,
            hint=f"{_count(now['nps_responses'])} answers",
        ),
        _tile("Ambassadors", now["ambassadors"], before["ambassadors"], "count", currency),
        _tile(
            "Points liability",
            now["liability_points"],
            before["liability_points"],
            "count",
            currency,
            higher_is_better=None,
            hint="points",
        ),
        _tile(
            "Points liability (money)",
            now["liability_money"],
            before["liability_money"],
            "money",
            currency,
            higher_is_better=None,
            hint=f"{figures.point_value} {currency} a point",
        ),
        _tile(
            "Breakage",
            now["breakage_rate"],
            before["breakage_rate"],
            "rate",
            currency,
            higher_is_better=None,
            hint="expired ÷ issued, to date",
        ),
    ]


def series_rows(figures: Dashboard) -> list[dict[str, str]]:
    """The time series as table rows (the charts' text alternative)."""
    return [
        {
            "period": period_label(point.period_start, figures.bucket) or "",
            "new_members": _count(point.new_members),
            "orders": _count(point.orders),
            "revenue": _money(point.revenue, figures.currency),
            "points_issued": _count(point.points_issued),
            "points_redeemed": _count(point.points_redeemed),
            "points_expired": _count(point.points_expired),
            "liability_points": _count(point.liability_points),
        }
        for point in figures.series
    ]


def _dataset(label: str, values: list[Any], colour: str, **more: Any) -> dict[str, Any]:
    return {
        "label": label,
        "data": values,
        "backgroundColor": colour,
        "borderColor": colour,
        **more,
    }


def charts(figures: Dashboard) -> dict[str, dict[str, Any]]:
    """Chart.js configurations (JSON data) of the four charts, by element id."""
    labels = [period_label(p.period_start, figures.bucket) for p in figures.series]
    unit = 10 ** minor_unit_exponent(figures.currency)
    points = figures.series

    def config(kind: str, datasets: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "type": kind,
            "data": {"labels": labels, "datasets": datasets},
            "options": {"scales": {"y": {"beginAtZero": True, "ticks": {"precision": 0}}}},
        }

    return {
        "chart-members": config(
            "bar", [_dataset("New members", [p.new_members for p in points], COLOURS[0])]
        ),
        "chart-orders": {
            **config(
                "bar",
                [
                    _dataset("Orders", [p.orders for p in points], COLOURS[0], yAxisID="y"),
                    _dataset(
                        f"Revenue ({figures.currency})",
                        [p.revenue / unit for p in points],
                        COLOURS[1],
                        type="line",
                        yAxisID="revenue",
                    ),
                ],
            ),
            "options": {
                "scales": {
                    "y": {"beginAtZero": True, "position": "left", "ticks": {"precision": 0}},
                    "revenue": {"beginAtZero": True, "position": "right"},
                }
            },
        },
        "chart-points": config(
            "bar",
            [
                _dataset("Issued", [p.points_issued for p in points], COLOURS[1]),
                _dataset("Redeemed", [p.points_redeemed for p in points], COLOURS[0]),
                _dataset("Expired", [p.points_expired for p in points], COLOURS[3]),
            ],
        ),
        "chart-liability": config(
            "line",
            [_dataset("Liability (points)", [p.liability_points for p in points], COLOURS[4])],
        ),
    }


def heat(share: float | None) -> str:
    """The colour-scale class of a share in [0, 1]: ``h0`` … ``h10``."""
    if not share or share <= 0:
        return "h0"
    return f"h{min(10, max(1, round(share * 10)))}"


def cohort_rows(figures: Dashboard) -> dict[str, Any]:
    """The retention heat map: a header of months since the first order and one row per
    cohort (its month, size and a cell per month so far)."""
    width = max((len(c.shares) for c in figures.cohorts), default=0)
    return {
        "months": list(range(width)),
        "rows": [
            {
                "cohort": c.cohort.strftime("%Y-%m"),
                "size": _count(c.size),
                "cells": [{"text": _rate(s), "heat": heat(s)} for s in c.shares],
                "empty": width - len(c.shares),
            }
            for c in figures.cohorts
        ],
    }


def rfm_rows(figures: Dashboard) -> list[dict[str, Any]]:
    """The RFM grid, recency 5 (recent) to 1 down, FM 1 to 5 across; heat by the cell's
    share of the largest cell."""
    largest = max((c.members for c in figures.rfm), default=0)
    rows: dict[int, list[dict[str, Any]]] = {}
    for cell in sorted(figures.rfm, key=lambda c: (-c.r_score, c.fm_score)):
        rows.setdefault(cell.r_score, []).append(
            {
                "members": _count(cell.members),
                "segment": SEGMENT_LABELS.get(cell.segment, cell.segment),
                "heat": heat(cell.members / largest if largest else 0),
            }
        )
    return [{"r": r, "cells": cells} for r, cells in rows.items()]


def funnel_rows(figures: Dashboard) -> list[dict[str, Any]]:
    """Enrolled → first → second → third order: members and share of the enrolled."""
    funnel = figures.funnel
    enrolled = funnel.enrolled
    steps = (
        ("Enrolled", enrolled),
        ("1st order", funnel.first_order),
        ("2nd order", funnel.second_order),
        ("3rd order", funnel.third_order),
    )
    return [
        {
            "step": step,
            "members": _count(count),
            "share": count / enrolled if enrolled else 0.0,
            "share_text": _rate(count / enrolled) if enrolled else "–",
        }
        for step, count in steps
    ]
