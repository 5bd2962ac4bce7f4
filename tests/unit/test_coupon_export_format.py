"""The export's pure parts: the fast display form of stored codes and the CSV pieces."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from loyalist.coupons.codes import ALPHABET, CodePattern, normalize
from loyalist.coupons.generation import ExportedCode, csv_chunks, display


@given(
    length=st.integers(6, 32),
    prefix=st.text("ABCDEFGHJKMNPQRSTVWXYZ0123456789", max_size=12),
    group=st.integers(0, 16),
    data=st.data(),
)
def test_display_form_is_the_patterns_and_normalises_back_to_the_stored_code(
    length: int, prefix: str, group: int, data: st.DataObject
) -> None:
    pattern = CodePattern(length=length, prefix=prefix, group=group)
    body = data.draw(st.text(ALPHABET, min_size=length, max_size=length))
    shown = display(pattern)(prefix + body)
    assert shown == pattern.show(body)
    assert normalize(shown) == prefix + body


def test_csv_comes_in_pieces_of_whole_rows_with_empty_cells_for_nothing() -> None:
    rows = [
        ExportedCode(f"C{i}", i, None if i % 2 else 1, "M-1" if i == 3 else None, None)
        for i in range(5)
    ]
    rows[4] = ExportedCode("C4", 0, 1, None, datetime(2026, 3, 1, 9, 30, tzinfo=UTC))
    pieces = list(csv_chunks(iter(rows), rows_per_chunk=2))
    assert [piece.count("\n") for piece in pieces] == [3, 2, 1]
    assert list(csv.reader(io.StringIO("".join(pieces)))) == [
        ["code", "uses", "max_uses", "member_id", "valid_until"],
        ["C0", "0", "1", "", ""],
        ["C1", "1", "", "", ""],
        ["C2", "2", "1", "", ""],
        ["C3", "3", "", "M-1", ""],
        ["C4", "0", "1", "", "2026-03-01T09:30:00Z"],
    ]


def test_an_empty_export_is_the_header_alone() -> None:
    assert list(csv_chunks(iter([]))) == ["code,uses,max_uses,member_id,valid_until\n"]


def test_member_ids_that_look_like_formulas_are_exported_as_text() -> None:
    rows = [
        ExportedCode("C1", 0, 1, '=HYPERLINK("http://x")', None),
        ExportedCode("C2", 0, 1, "-2+3", None),
        ExportedCode("C3", 0, 1, "M-1", None),
    ]
    cells = [r[3] for r in csv.reader(io.StringIO("".join(csv_chunks(iter(rows)))))][1:]
    assert cells == ['\'=HYPERLINK("http://x")', "'-2+3", "M-1"]
