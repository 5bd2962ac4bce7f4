"""Every problem code the code base raises is documented in docs/problems/."""

from __future__ import annotations

import re
from pathlib import Path

from loyalist.ledger.reasons import CATALOG

ROOT = Path(__file__).resolve().parents[2]
REASON_CODES = set(CATALOG)  # ledger reason codes, not problems


def test_every_raised_problem_code_has_a_page() -> None:
    codes = {
        match
        for path in (ROOT / "src" / "loyalist").rglob("*.py")
        for match in re.findall(r'(?:code=|Refusal\(\s*)"([a-z_]+)"', path.read_text())
    } - REASON_CODES
    documented = {p.stem for p in (ROOT / "docs" / "problems").glob("*.md")}
    assert codes, "found no problem codes: the scan is broken"
    assert sorted(codes - documented) == []
