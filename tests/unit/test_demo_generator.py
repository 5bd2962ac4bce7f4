"""Tests for the deterministic demo shop event generator."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from loyalist.demo import ShopSpec, catalogue, generate_events

Event = dict[str, Any]

SMALL = ShopSpec(seed=7, members=300, months=6)
ISO_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
EMAIL_DOMAINS = {"example.com", "example.org", "example.ru"}
DAY = timedelta(days=1)


def _at(event: Event) -> datetime:
    return datetime.fromisoformat(event["occurred_at"])


def _utc_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _digest(events: itertools.islice[Event]) -> str:
    sha = hashlib.sha256()
    for event in events:
        sha.update(json.dumps(event, sort_keys=True, ensure_ascii=False).encode())
    return sha.hexdigest()


@pytest.fixture(scope="module")
def small() -> list[Event]:
    return list(generate_events(SMALL))


@pytest.fixture(scope="module")
def default() -> list[Event]:
    return list(generate_events(ShopSpec()))


def _by_type(events: list[Event], kind: str) -> list[Event]:
    return [e for e in events if e["type"] == kind]


# --------------------------------------------------------------------------- determinism


def test_same_seed_gives_identical_stream(default: list[Event]) -> None:
    again = generate_events(ShopSpec())
    assert _digest(itertools.islice(again, 20_000)) == _digest(
        itertools.islice(iter(default), 20_000)
    )


def test_different_seed_gives_different_stream(small: list[Event]) -> None:
    other = list(itertools.islice(generate_events(ShopSpec(seed=8, members=300, months=6)), 500))
    assert _digest(itertools.islice(iter(other), 500)) != _digest(
        itertools.islice(iter(small), 500)
    )


def test_generation_is_lazy_and_streams() -> None:
    stream = generate_events(ShopSpec(members=1000))
    first = list(itertools.islice(stream, 5))
    assert len(first) == 5
    assert first[0]["type"] == "member.enrolled"


def test_catalogue_is_deterministic_and_well_formed() -> None:
    products = catalogue(ShopSpec())
    assert products == catalogue(ShopSpec())
    assert len(products) == 200
    assert len({p.sku for p in products}) == 200
    assert len({p.name for p in products}) == 200
    assert len({p.category for p in products}) == 15
    assert all(299 <= p.unit_price <= 29_999 for p in products)
    assert catalogue(ShopSpec(seed=1)) != products


def test_invalid_spec_is_rejected() -> None:
    with pytest.raises(ValueError, match="months"):
        ShopSpec(months=0)
    with pytest.raises(ValueError, match="return_rate"):
        ShopSpec(return_rate=1.5)


# --------------------------------------------------------------------------- envelope


def test_events_have_the_api_envelope_and_unique_ids(small: list[Event]) -> None:
    assert small
    for event in small:
        assert set(event) == {"id", "type", "member_id", "occurred_at", "data"}
        assert ISO_Z.match(event["occurred_at"])
        assert re.fullmatch(r"C\d{6}", event["member_id"])
        assert event["id"].startswith("demo-7-")
    assert len({e["id"] for e in small}) == len(small)


def test_events_are_sorted_and_inside_the_period(small: list[Event]) -> None:
    stamps = [e["occurred_at"] for e in small]
    assert stamps == sorted(stamps)
    start, end = _utc_midnight(SMALL.start), _utc_midnight(SMALL.end)
    assert SMALL.start == date(2026, 5, 1)
    assert start <= _at(small[0])
    assert _at(small[-1]) < end


def test_each_member_enrols_once_before_anything_else(small: list[Event]) -> None:
    enrolled: set[str] = set()
    for event in small:
        if event["type"] == "member.enrolled":
            assert event["member_id"] not in enrolled
            enrolled.add(event["member_id"])
        else:
            assert event["member_id"] in enrolled
    assert len(enrolled) == SMALL.members


def test_member_profiles_are_plausible(small: list[Event]) -> None:
    profiles = [e["data"] for e in _by_type(small, "member.enrolled")]
    emails = [p["email"] for p in profiles]
    assert len(set(emails)) == len(emails)
    assert {email.split("@")[1] for email in emails} <= EMAIL_DOMAINS
    locales = Counter(p["locale"] for p in profiles)
    assert set(locales) == {"en", "ru"}
    assert 0.3 < locales["ru"] / len(profiles) < 0.5
    assert any(re.search("[а-яё]", p["last_name"], re.IGNORECASE) for p in profiles)
    assert 0.7 < sum("birthday" in p for p in profiles) / len(profiles) < 0.98
    for profile in profiles:
        assert profile["phone"].startswith("+")
        assert set(profile["consents"]) == {"email", "sms", "push"}
        if "birthday" in profile:
            assert date.fromisoformat(profile["birthday"]) < SMALL.end


# --------------------------------------------------------------------------- orders


def test_order_totals_add_up(small: list[Event]) -> None:
    names = {p.sku: p for p in catalogue(SMALL)}
    placed = _by_type(small, "order.placed")
    assert placed
    for event in placed:
        order = event["data"]
        lines = order["lines"]
        assert 1 <= len(lines) <= 6
        assert len({line["sku"] for line in lines}) == len(lines)
        subtotal = 0
        for line in lines:
            product = names[line["sku"]]
            assert (line["name"], line["category"], line["unit_price"]) == (
                product.name,
                product.category,
                product.unit_price,
            )
            assert line["quantity"] >= 1
            assert 0 <= line["discount"] <= line["quantity"] * line["unit_price"]
            subtotal += line["quantity"] * line["unit_price"] - line["discount"]
        assert order["total"] == subtotal + order["shipping"]
        assert order["currency"] == "EUR"
        if order["channel"] == "pos":
            assert order["shipping"] == 0
            assert order["store"] != "online"
        else:
            assert order["channel"] in {"web", "app"}
            assert order["store"] == "online"


def test_order_ids_are_sequential_in_placement_order(small: list[Event]) -> None:
    ids = [int(e["data"]["order_id"]) for e in _by_type(small, "order.placed")]
    assert ids == list(range(100_001, 100_001 + len(ids)))


def test_order_lifecycle_follows_placement(small: list[Event]) -> None:
    placed: dict[str, Event] = {}
    seen: dict[str, dict[str, datetime]] = defaultdict(dict)
    for event in small:
        kind = event["type"]
        if not kind.startswith("order."):
            continue
        order_id = event["data"]["order_id"]
        if kind == "order.placed":
            placed[order_id] = event
        else:
            assert placed[order_id]["member_id"] == event["member_id"]
        assert kind not in seen[order_id], "each lifecycle step happens once"
        seen[order_id][kind] = _at(event)

    for order_id, steps in seen.items():
        pos = placed[order_id]["data"]["channel"] == "pos"
        if "order.cancelled" in steps:
            assert steps.keys() == {"order.placed", "order.cancelled"}
            continue
        if "order.paid" in steps:
            assert steps["order.paid"] - steps["order.placed"] <= timedelta(hours=1)
        if pos:
            assert "order.shipped" not in steps
            if "order.delivered" in steps:
                assert steps["order.delivered"] == steps["order.paid"] == steps["order.placed"]
        elif "order.delivered" in steps:
            assert DAY <= steps["order.shipped"] - steps["order.paid"] <= 2 * DAY
            assert DAY <= steps["order.delivered"] - steps["order.shipped"] <= 5 * DAY
        if "order.returned" in steps:
            gap = steps["order.returned"] - steps["order.delivered"]
            assert 2 * DAY <= gap <= 25 * DAY


def test_returns_never_exceed_bought_quantities(small: list[Event]) -> None:
    bought = {
        e["data"]["order_id"]: {line["sku"]: line["quantity"] for line in e["data"]["lines"]}
        for e in _by_type(small, "order.placed")
    }
    returns = _by_type(small, "order.returned")
    assert returns
    assert len({r["data"]["return_id"] for r in returns}) == len(returns)
    for event in returns:
        lines = event["data"]["lines"]
        order_lines = bought[event["data"]["order_id"]]
        assert lines
        assert len({line["sku"] for line in lines}) == len(lines)
        for line in lines:
            assert 1 <= line["quantity"] <= order_lines[line["sku"]]


def test_reviews_are_for_delivered_products_the_member_bought(small: list[Event]) -> None:
    lines_of: dict[str, set[str]] = {}
    delivered_skus: dict[str, set[str]] = defaultdict(set)  # member -> skus delivered so far
    reviews = 0
    for event in small:
        data = event["data"]
        if event["type"] == "order.placed":
            lines_of[data["order_id"]] = {line["sku"] for line in data["lines"]}
        elif event["type"] == "order.delivered":
            delivered_skus[event["member_id"]] |= lines_of[data["order_id"]]
        elif event["type"] == "review.published":
            reviews += 1
            assert data["sku"] in delivered_skus[event["member_id"]]
            assert 1 <= data["rating"] <= 5
            assert data["text_length"] >= 0
            assert isinstance(data["has_photo"], bool)
    assert reviews > 0


def test_surveys_are_answered_at_most_once_per_member(small: list[Event]) -> None:
    surveys = _by_type(small, "survey.answered")
    assert surveys
    assert len({s["member_id"] for s in surveys}) == len(surveys)
    for survey in surveys:
        assert survey["data"]["survey_id"] == "nps-2026"
        assert 0 <= survey["data"]["score"] <= 10


# --------------------------------------------------------------------------- realism (default)


def test_default_shop_has_realistic_volume_and_loyalty_mix(default: list[Event]) -> None:
    placed = _by_type(default, "order.placed")
    assert 8_000 <= len(placed) <= 14_000
    per_member = Counter(e["member_id"] for e in placed)
    buyers = len(per_member)
    one_timers = sum(1 for n in per_member.values() if n == 1) / buyers
    regulars = sum(1 for n in per_member.values() if n >= 6) / buyers
    never = 1 - buyers / 5000
    assert 0.50 <= one_timers <= 0.65
    assert 0.06 <= regulars <= 0.15
    assert 0.10 <= never <= 0.22
    channels = Counter(e["data"]["channel"] for e in placed)
    assert 0.5 < channels["web"] / len(placed) < 0.7
    assert 0.1 < channels["pos"] / len(placed) < 0.2
    daytime = sum(8 <= _at(e).hour <= 23 for e in placed) / len(placed)
    assert daytime > 0.85


def test_default_return_review_and_survey_rates_match_the_spec(default: list[Event]) -> None:
    cutoff = _utc_midnight(ShopSpec().end) - 26 * DAY  # returns/reviews had time to happen
    delivered = {
        e["data"]["order_id"] for e in _by_type(default, "order.delivered") if _at(e) < cutoff
    }
    returned = {e["data"]["order_id"] for e in _by_type(default, "order.returned")}
    reviewed = {
        e["data"]["review_id"].removeprefix("REV-") for e in _by_type(default, "review.published")
    }
    assert 0.06 <= len(delivered & returned) / len(delivered) <= 0.10
    assert 0.10 <= len(delivered & reviewed) / len(delivered) <= 0.14
    surveys = len(_by_type(default, "survey.answered"))
    assert 0.03 <= surveys / 5000 <= 0.07
    cancelled = len(_by_type(default, "order.cancelled"))
    assert 0.01 <= cancelled / len(_by_type(default, "order.placed")) <= 0.03


def test_november_and_december_are_above_the_monthly_mean(default: list[Event]) -> None:
    months = Counter(e["occurred_at"][:7] for e in _by_type(default, "order.placed"))
    assert len(months) == 12
    mean = sum(months.values()) / 12
    assert months["2025-11"] > 1.2 * mean
    assert months["2025-12"] > 1.2 * mean
    assert months["2026-07"] < mean  # summer dip


def test_bestsellers_and_category_affinity_give_structure(default: list[Event]) -> None:
    placed = _by_type(default, "order.placed")
    units = Counter(line["sku"] for e in placed for line in e["data"]["lines"])
    top_ten = sum(n for _, n in units.most_common(10)) / sum(units.values())
    assert top_ten > 0.2  # a few bestsellers, a long tail
    categories_per_member: dict[str, Counter[str]] = defaultdict(Counter)
    for event in placed:
        for line in event["data"]["lines"]:
            categories_per_member[event["member_id"]][line["category"]] += 1
    loyal = [c for c in categories_per_member.values() if c.total() >= 8]
    top_share = sum(max(c.values()) / c.total() for c in loyal) / len(loyal)
    assert top_share > 0.35  # far above the 1/15 of a shopper without favourites
