"""Which time step a TOTP code belongs to: the current one and its neighbours (±1) are
accepted, ±2 are not, and no step at or before the last accepted one (no replay)."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest

from loyalist.clock import ManualClock
from loyalist.staff.policy import totp_step

SECRET = pyotp.random_base32(length=32)
STEP = timedelta(seconds=30)


def _code_at(clock: ManualClock, steps: int) -> str:
    return pyotp.TOTP(SECRET).at(clock.now() + steps * STEP)


def _current(clock: ManualClock) -> int:
    return int(pyotp.TOTP(SECRET).timecode(clock.now()))


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_accepts_the_current_step_and_its_neighbours(clock: ManualClock, offset: int) -> None:
    code = _code_at(clock, offset)
    assert totp_step(SECRET, code, clock.now(), None) == _current(clock) + offset


@pytest.mark.parametrize("offset", [-2, 2, -3, 5])
def test_refuses_steps_two_or_more_away(clock: ManualClock, offset: int) -> None:
    code = _code_at(clock, offset)
    if code in {_code_at(clock, near) for near in (-1, 0, 1)}:
        pytest.skip("the far step's code happens to equal a near one's")
    assert totp_step(SECRET, code, clock.now(), None) is None


def test_refuses_a_code_once_its_step_was_accepted(clock: ManualClock) -> None:
    code = _code_at(clock, 0)
    accepted = totp_step(SECRET, code, clock.now(), None)
    assert accepted is not None
    assert totp_step(SECRET, code, clock.now(), accepted) is None
    clock.advance(timedelta(seconds=20))  # the same code is still in the window
    assert totp_step(SECRET, code, clock.now(), accepted) is None


def test_refuses_an_earlier_step_after_a_later_one_was_accepted(clock: ManualClock) -> None:
    later = totp_step(SECRET, _code_at(clock, 1), clock.now(), None)
    assert later is not None
    assert totp_step(SECRET, _code_at(clock, 0), clock.now(), later) is None
    assert totp_step(SECRET, _code_at(clock, -1), clock.now(), later) is None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", " 12345"])
def test_refuses_what_is_not_six_digits(clock: ManualClock, code: str) -> None:
    assert totp_step(SECRET, code, clock.now(), None) is None
