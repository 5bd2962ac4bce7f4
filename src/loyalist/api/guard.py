"""Guessing protection for coupon codes: attempts and failures limited per API key and per
member (moving windows from the ``limits`` package), failures logged.

A failure is a code that does not exist, is used up, expired or inactive. Only failures
count against the API key (a busy shop validates thousands of real codes a minute); a
member is limited on every attempt and, more tightly, on failures.
"""

from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItem, parse, storage, strategies

from loyalist.api.errors import CouponAttemptsLimitedError
from loyalist.coupons.errors import (
    CouponExpiredError,
    CouponInactiveError,
    CouponNotFoundError,
    CouponNotStartedError,
    CouponUsedUpError,
)
from loyalist.settings import CouponGuard

log = logging.getLogger("loyalist.coupons.guard")

#: Refusals that tell a guesser something: they count as failed attempts.
GUESS_FAILURES = frozenset(
    kind.code
    for kind in (
        CouponNotFoundError,
        CouponUsedUpError,
        CouponExpiredError,
        CouponInactiveError,
        CouponNotStartedError,
    )
)


class Guard:
    def __init__(self, settings: CouponGuard) -> None:
        self._limiter = strategies.MovingWindowRateLimiter(
            storage.storage_from_string(settings.storage)
        )
        self._key_failures = parse(settings.failures_per_key)
        self._member_failures = parse(settings.failures_per_member)
        self._member_attempts = parse(settings.attempts_per_member)

    def _retry_after(self, item: RateLimitItem, *keys: str) -> int:
        reset = self._limiter.get_window_stats(item, *keys).reset_time
        return max(1, math.ceil(reset - time.time()))

    def admit(self, api_key: str, member: str | None, codes: int = 1) -> None:
        """Count an attempt at ``codes`` codes; refuse it when the key or member could pass
        a limit with them (so one request never tries more codes than may still fail).

        Raises:
            RateLimitedError: ``coupon_attempts_limited`` with the seconds to wait.
        """
        refused: tuple[RateLimitItem, tuple[str, ...], str] | None = None
        if not self._limiter.test(self._key_failures, "fail-key", api_key, cost=codes):
            refused = (self._key_failures, ("fail-key", api_key), f"API key {api_key!r}")
        elif member is not None:
            if not self._limiter.test(self._member_failures, "fail-member", member, cost=codes):
                refused = (self._member_failures, ("fail-member", member), f"member {member!r}")
            elif not self._limiter.hit(self._member_attempts, "attempt-member", member, cost=codes):
                refused = (
                    self._member_attempts,
                    ("attempt-member", member),
                    f"member {member!r}",
                )
        if refused is not None:
            item, keys, who = refused
            wait = self._retry_after(item, *keys)
            log.warning("coupon attempts refused for %s (limit %s)", who, item)
            raise CouponAttemptsLimitedError(
                f"too many coupon attempts for this {who.split()[0]}; retry in {wait} s",
                retry_after=wait,
            )

    def failed(self, api_key: str, member: str | None, code: str, reason: str) -> None:
        """Record a failed attempt (only guess-like reasons count) and log it."""
        if reason not in GUESS_FAILURES:
            return
        masked = code[:3] + "…" if len(code) > 3 else "…"
        log.info(
            "coupon attempt failed: key=%s member=%s code=%s reason=%s",
            api_key,
            member,
            masked,
            reason,
        )
        self._limiter.hit(self._key_failures, "fail-key", api_key)
        if not self._limiter.test(self._key_failures, "fail-key", api_key):
            log.warning(
                "possible coupon guessing: API key %r reached %s", api_key, self._key_failures
            )
        if member is None:
            return
        self._limiter.hit(self._member_failures, "fail-member", member)
        if not self._limiter.test(self._member_failures, "fail-member", member):
            log.warning(
                "possible coupon guessing: member %r reached %s", member, self._member_failures
            )
