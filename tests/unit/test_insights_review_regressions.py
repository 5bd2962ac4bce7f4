"""Regressions found reviewing lifetime value, RFM and scores (issue 6)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from loyalist.cli.insights_clv import read_orders
from loyalist.errors import InvalidRequestError

HEADER = b"customer_id,date,amount"


class TestReadOrders:
    @pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
    def test_a_blank_line_after_the_header_is_skipped(self, tmp_path: Path, newline: bytes) -> None:
        path = tmp_path / "orders.csv"
        lines = [HEADER, b"", b"a,2025-01-01,10", b"b,2025-01-03,2.5", b""]
        path.write_bytes(newline.join(lines))

        frame = read_orders(path)

        assert frame.rows() == [("a", date(2025, 1, 1), 10.0), ("b", date(2025, 1, 3), 2.5)]

    def test_a_bad_line_after_a_leading_blank_line_is_reported_at_its_own_line(
        self, tmp_path: Path
    ) -> None:
        path = tmp_path / "orders.csv"
        path.write_bytes(HEADER + b"\n\n\na,2025-01-01,abc\n")

        with pytest.raises(InvalidRequestError, match=r"orders\.csv:4: amount 'abc'"):
            read_orders(path)

    def test_only_blank_lines_after_the_header_is_no_orders(self, tmp_path: Path) -> None:
        path = tmp_path / "orders.csv"
        path.write_bytes(HEADER + b"\n\n\n")

        with pytest.raises(InvalidRequestError, match="no orders after the header") as caught:
            read_orders(path)
        assert caught.value.code == "orders_file_invalid"

    def test_bytes_that_are_not_utf8_are_reported_at_their_line(self, tmp_path: Path) -> None:
        path = tmp_path / "orders.csv"
        path.write_bytes(HEADER + b"\na,2025-01-01,1\nb,2025-01-02,1\nJos\xe9,2025-01-03,1\n")

        with pytest.raises(InvalidRequestError, match=r"orders\.csv:4: .*UTF-8"):
            read_orders(path)

    def test_a_header_that_is_not_utf8_is_a_file_error_not_a_crash(self, tmp_path: Path) -> None:
        path = tmp_path / "orders.csv"
        path.write_bytes("customer_id,date,amount\na,2025-01-01,1\n".encode("utf-16"))

        with pytest.raises(InvalidRequestError, match=r"orders\.csv:1: .*UTF-8") as caught:
            read_orders(path)
        assert caught.value.code == "orders_file_invalid"
