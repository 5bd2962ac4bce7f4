"""Staff passwords: the policy (8 to 128 characters after NFKC normalisation, spaces and any
script allowed, common and easily guessed passwords refused offline by zxcvbn's bundled
lists; no composition rules) and argon2id hashing."""

from __future__ import annotations

import secrets
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from loyalist.errors import FieldError
from loyalist.staff.errors import (
    PasswordTooCommonError,
    PasswordTooLongError,
    PasswordTooShortError,
)

MIN_LENGTH = 8
MAX_LENGTH = 128
#: zxcvbn's score: 0–1 are passwords on its lists and their simple variants (about a
#: million guesses or fewer); 2 lets any 8 random characters pass, so the minimum length
#: stays what it says.
MIN_SCORE = 2
#: zxcvbn refuses longer input (its matching is quadratic): the start is what it judges.
_JUDGED = 72
#: zxcvbn keeps the user's own words in a module-level dictionary between calls.
_ZXCVBN = threading.Lock()


def normalize(password: str) -> str:
    """The password as hashed: NFKC, so the same characters typed on another keyboard or
    system (composed or not, full-width digits) give the same password."""
    return unicodedata.normalize("NFKC", password)


def check_password(password: str, *, user_inputs: Iterable[str] = ()) -> str:
    """The normalised password if the policy admits it. ``user_inputs`` (the email, the
    name) count as words an attacker would try first.

    Raises:
        PasswordTooShortError, PasswordTooLongError: outside 8–128 characters.
        PasswordTooCommonError: a common password or an easy variant of one (or of the
            user's own email or name).
    """
    normal = normalize(password)
    if len(normal) < MIN_LENGTH:
        raise PasswordTooShortError(
            f"a password has at least {MIN_LENGTH} characters",
            errors=[FieldError("/password", f"at least {MIN_LENGTH} characters")],
        )
    if len(normal) > MAX_LENGTH:
        raise PasswordTooLongError(
            f"a password has at most {MAX_LENGTH} characters",
            errors=[FieldError("/password", f"at most {MAX_LENGTH} characters")],
        )
    words = [w for text in user_inputs for w in _words(text)]
    with _ZXCVBN:
        judged = zxcvbn(normal[:_JUDGED], user_inputs=words)
    if judged["score"] < MIN_SCORE:
        warning = judged["feedback"]["warning"] or "This password is easy to guess."
        raise PasswordTooCommonError(
            f"{warning} Choose a longer phrase of unrelated words.",
            errors=[FieldError("/password", "too common or easy to guess")],
        )
    return normal


def _words(text: str) -> list[str]:
    """An email's or a name's parts: ``anna.petrova@shop.ru`` → anna, petrova, shop."""
    parts = text.replace("@", " ").replace(".", " ").replace("_", " ").replace("-", " ")
    return [text, *(part for part in parts.split() if len(part) >= 3)]


@dataclass
class Hasher:
    """argon2id with the given cost (settings ``LOYALIST_STAFF__PASSWORD_*``). A stored hash
    made with other parameters still verifies and ``needs_rehash`` says to replace it."""

    time_cost: int
    memory_kib: int
    parallelism: int
    _hasher: PasswordHasher = field(init=False, repr=False)
    _dummy: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._hasher = PasswordHasher(
            time_cost=self.time_cost,
            memory_cost=self.memory_kib,
            parallelism=self.parallelism,
            type=Type.ID,
        )
        # What an unknown account's password is checked against: the same work as a real
        # one, so the answer's time does not tell whether the account exists.
        self._dummy = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, normalized: str) -> str:
        return self._hasher.hash(normalized)

    def verify(self, stored: str | None, password: str) -> bool:
        """Whether ``password`` (normalised here) matches ``stored``; with ``None`` (no such
        account) the dummy hash is checked and the answer is False."""
        try:
            matched = self._hasher.verify(stored or self._dummy, normalize(password))
        except (VerificationError, InvalidHashError):
            return False
        return matched and stored is not None

    def needs_rehash(self, stored: str) -> bool:
        return self._hasher.check_needs_rehash(stored)
