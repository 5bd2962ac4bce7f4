"""Sign-in throttling: failed password steps counted per account (the email's blind index,
known or not, so the limit tells nothing about who exists) and per client address, in
moving windows of the ``limits`` package; past either limit a sign-in is refused with 429
and Retry-After before its password is checked."""

from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItem, parse, storage, strategies

from loyalist.api.errors import SignInThrottledError
from loyalist.settings import StaffSettings

log = logging.getLogger("loyalist.staff.throttle")


class SignInGuard:
    def __init__(self, settings: StaffSettings) -> None:
        self._limiter = strategies.MovingWindowRateLimiter(
            storage.storage_from_string(settings.throttle_storage)
        )
        self._account = parse(settings.failures_per_account)
        self._ip = parse(settings.failures_per_ip)

    def _retry_after(self, item: RateLimitItem, *keys: str) -> int:
        reset = self._limiter.get_window_stats(item, *keys).reset_time
        return max(1, math.ceil(reset - time.time()))

    def admit(self, ip: str, account: str) -> None:
        """Raises:
        SignInThrottledError: the account or the address reached its failure limit.
        """
        for item, keys in ((self._account, ("account", account)), (self._ip, ("ip", ip))):
            if not self._limiter.test(item, *keys):
                wait = self._retry_after(item, *keys)
                log.warning("sign-in refused: %s limit %s reached", keys[0], item)
                raise SignInThrottledError(
                    f"too many failed sign-ins; retry in {wait} s", retry_after=wait
                )

    def failed(self, ip: str, account: str) -> None:
        self._limiter.hit(self._account, "account", account)
        self._limiter.hit(self._ip, "ip", ip)

    def succeeded(self, account: str) -> None:
        """A right password clears the account's failures (not the address's)."""
        self._limiter.clear(self._account, "account", account)
