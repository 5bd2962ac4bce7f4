"""The post-purchase journey's pure parts: its messages' local send times (across DST and
in a zone without it) and natural keys that read back whatever the ids hold."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from loyalist.messages import policy
from loyalist.messages.post_purchase import parse_key, review_key, survey_id

BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")
ids = st.text(min_size=1, max_size=128)


class TestSendTimes:
    def test_ten_in_the_morning_local_across_the_spring_change(self) -> None:
        delivered = datetime(2026, 3, 27, 20, 0, tzinfo=UTC)  # 21:00 CET on Friday
        due = policy.days_after(delivered, 3, BERLIN)
        assert due == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # Monday 10:00 CEST
        assert due.astimezone(BERLIN).hour == 10

    def test_ten_in_the_morning_local_across_the_autumn_change(self) -> None:
        delivered = datetime(2026, 10, 23, 9, 0, tzinfo=UTC)  # 11:00 CEST
        due = policy.days_after(delivered, 10, BERLIN)
        assert due == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # 10:00 CET

    def test_the_members_local_day_decides_in_a_zone_without_dst(self) -> None:
        delivered = datetime(2026, 1, 15, 20, 0, tzinfo=UTC)  # already the 16th in Tokyo
        due = policy.days_after(delivered, 3, TOKYO)
        assert due == datetime(2026, 1, 19, 1, 0, tzinfo=UTC)  # the 19th, 10:00 JST


class TestKeys:
    @given(ids, ids)
    def test_a_review_key_reads_back_its_order_and_fits(self, order_id: str, sku: str) -> None:
        key = review_key(order_id, sku)
        kind, order, sku_part = parse_key(key)
        assert (kind, order) == ("review:", order_id)
        assert len(key) <= 200
        assert sku_part == (sku if len(sku) <= 64 else sku_part)
        assert review_key(order_id, sku) != review_key(order_id, sku + "x")

    @given(ids)
    def test_the_survey_id_is_a_valid_event_reference(self, order_id: str) -> None:
        assert len(survey_id(order_id)) <= 128
        assert parse_key(f"nps:{order_id}") == ("nps:", order_id, None)


class TestAbsoluteLinks:
    def test_paths_under_url_keys_get_the_base_url_and_nothing_else_changes(self) -> None:
        context = {
            "survey": {"id": "/not-a-link", "url": "/surveys/abc"},
            "products": [{"url": "https://shop/p/1", "image_url": "//cdn/x.png"}],
            "review_url": "/r",
            "count": 3,
        }

        assert policy.absolute_links(context, "https://loyalty.example") == {
            "survey": {"id": "/not-a-link", "url": "https://loyalty.example/surveys/abc"},
            "products": [{"url": "https://shop/p/1", "image_url": "//cdn/x.png"}],
            "review_url": "https://loyalty.example/r",
            "count": 3,
        }
