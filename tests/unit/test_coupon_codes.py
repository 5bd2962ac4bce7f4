"""Coupon code generation: the charset, uniformity, uniqueness, and the guessing maths."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalist.coupons import generation
from loyalist.coupons.codes import (
    ALPHABET,
    CodePattern,
    distinct_sorted,
    fresh_codes,
    generate_codes,
    normalize,
    random_block,
    random_bodies,
    space,
)


def test_alphabet_has_no_look_alikes_and_no_repeats() -> None:
    assert not set("01OILU") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 30


def test_every_character_is_about_equally_likely() -> None:
    counts = Counter("".join(random_bodies(30_000, 10)))
    expected = 300_000 / len(ALPHABET)
    assert set(counts) == set(ALPHABET)
    # 10,000 per character expected; 5 standard deviations is ~ ±490.
    assert all(abs(n - expected) < 500 for n in counts.values()), counts


def test_a_random_block_is_count_bodies_of_alphabet_characters() -> None:
    block = random_block(7_001, 9)
    assert len(block) == 7_001 * 9
    assert set(block.decode("ascii")) == set(ALPHABET)


def _bodies(length: int) -> st.SearchStrategy[list[str]]:
    """Bodies of ``length`` characters; the first eight of only two characters, so bodies
    often repeat or share their first eight characters and differ after them."""
    head = min(length, 8)
    body = st.tuples(
        st.text(alphabet="2A", min_size=head, max_size=head),
        st.text(alphabet="2AZ", min_size=length - head, max_size=length - head),
    ).map("".join)
    return st.lists(body, max_size=80)


@given(
    bodies=st.integers(min_value=1, max_value=32).flatmap(_bodies),
    prefix=st.text(alphabet="SP26", max_size=12),
    tail=st.sampled_from([b"", b"\t7\t8\t\\N\n"]),
)
def test_a_block_holds_each_code_once_in_byte_order(
    bodies: list[str], prefix: str, tail: bytes
) -> None:
    length = len(bodies[0]) if bodies else 10
    block = distinct_sorted("".join(bodies).encode(), length, prefix)
    expected = sorted({prefix + body for body in bodies})
    assert len(block) == len(expected)
    assert block.texts() == expected
    assert block.rows(tail) == b"".join(code.encode() + tail for code in expected)


def test_fresh_codes_are_distinct_shaped_and_sorted() -> None:
    block = fresh_codes(20_000, CodePattern(length=6, prefix="SP"))
    texts = block.texts()
    # 20,000 of 729 million: a repeat or two may have been dropped.
    assert 19_990 <= len(block) <= 20_000
    assert texts == sorted(set(texts))
    assert all(re.fullmatch(rf"SP[{ALPHABET}]{{6}}", code) for code in texts)


def test_codes_are_distinct_and_shaped_by_the_pattern() -> None:
    codes = generate_codes(20_000, CodePattern(length=8, prefix="SPRING", group=4))
    assert len(set(codes)) == 20_000
    shape = re.compile(rf"^SPRING-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")
    assert all(shape.match(code) for code in codes)


def test_codes_already_taken_are_replaced() -> None:
    seen: list[str] = []

    def taken(candidates: Iterable[str]) -> set[str]:
        batch = list(candidates)
        seen.extend(batch)
        return set(batch[:3]) if len(seen) == len(batch) else set()

    codes = generate_codes(50, CodePattern(length=8), taken=taken)
    assert len(codes) == 50
    assert not set(codes) & set(seen[:3])


def test_refuses_to_fill_more_than_one_percent_of_the_space() -> None:
    with pytest.raises(ValueError, match="longer codes"):
        generate_codes(space(6) // 100 + 1, CodePattern(length=6))


def test_bad_patterns_are_refused() -> None:
    with pytest.raises(ValueError, match="length"):
        CodePattern(length=5)
    with pytest.raises(ValueError, match="prefix"):
        CodePattern(prefix="spring")


@given(
    body=st.text(alphabet=ALPHABET, min_size=6, max_size=32),
    prefix=st.text(alphabet="ABC123", max_size=12),
    group=st.integers(min_value=0, max_value=8),
)
def test_display_form_normalizes_back_to_the_stored_form(
    body: str, prefix: str, group: int
) -> None:
    pattern = CodePattern(length=len(body), prefix=prefix, group=group)
    assert normalize(pattern.show(body)) == prefix + body
    assert normalize(f" {pattern.show(body).lower()} ") == prefix + body


def entropy_bits(length: int) -> float:
    """Bits of a random code of ``length`` characters."""
    return length * math.log2(len(ALPHABET))


def guess_probability(length: int, issued: int, attempts: int) -> float:
    """Chance that ``attempts`` random guesses hit at least one of ``issued`` valid codes:
    ``1 − (1 − issued/space)^attempts``."""
    p = issued / space(length)
    return -math.expm1(attempts * math.log1p(-p))


def test_guessing_maths() -> None:
    # 10 characters of 30: 49 bits. With a million live codes, a million random guesses
    # find one with probability ~0.17%; rate limits keep real attempts far below that.
    assert round(entropy_bits(10), 1) == 49.1
    assert guess_probability(10, 1_000_000, 1_000_000) == pytest.approx(1.69e-3, rel=0.01)
    assert guess_probability(12, 1_000_000, 1_000_000) < 2e-6


@given(st.integers(min_value=1, max_value=10_000_000))
def test_progress_chunks_move_a_bar_in_about_twenty_steps(count: int) -> None:
    chunk = generation.progress_chunk(count)
    steps = math.ceil(count / chunk)
    assert 1_000 <= chunk <= generation.CHUNK_SIZE
    assert steps <= 20 or chunk == generation.CHUNK_SIZE
    assert count < 20_000 or steps >= 19
