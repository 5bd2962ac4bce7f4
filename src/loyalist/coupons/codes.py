"""Coupon codes: a charset without look-alike characters, random unique codes in bulk, and
the arithmetic of guessing one.

Codes come from the operating system's CSPRNG (``secrets``). Random bytes are mapped onto
the alphabet by ``bytes.translate`` with rejection of the bytes past the last whole
multiple of the alphabet's size, so every character is equally likely and the work per
code is done in C. Bulk generation keeps the codes as one numpy array of bytes
(``CodeBlock``): sorting, dropping repeats and writing them out cost no Python object per
code (a million codes in ~0.1 s here).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

#: Digits and capitals without 0/O, 1/I/L (read aloud or typed from a receipt) and U (V).
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
_SIZE = len(ALPHABET)
_USABLE = 256 - 256 % _SIZE  # bytes at or above this are rejected (no modulo bias)
_TABLE = bytes(ord(ALPHABET[b % _SIZE]) if b < _USABLE else 0 for b in range(256))
_REJECTED = bytes(range(_USABLE, 256))
_PREFIX = re.compile(r"^[A-Z0-9]{0,12}$")


@dataclass(frozen=True, slots=True)
class CodePattern:
    """``prefix`` + ``length`` random characters, shown in groups of ``group`` joined by
    hyphens (``SPRING-7K2Q-M9XH``); the hyphens are presentation only."""

    length: int = 10
    prefix: str = ""
    group: int = 4

    def __post_init__(self) -> None:
        if not 6 <= self.length <= 32:
            raise ValueError("length must be within 6..32 random characters")
        if not _PREFIX.match(self.prefix):
            raise ValueError("prefix: up to 12 capital letters and digits")
        if self.group < 0:
            raise ValueError("group must not be negative")

    def show(self, body: str) -> str:
        if self.group:
            body = "-".join(body[i : i + self.group] for i in range(0, len(body), self.group))
        return f"{self.prefix}-{body}" if self.prefix else body


def random_block(count: int, length: int) -> bytes:
    """``count`` random bodies of ``length`` characters of ``ALPHABET`` back to back, as
    ASCII bytes (bodies may repeat)."""
    wanted = count * length
    out = bytearray()
    while len(out) < wanted:
        need = wanted - len(out)
        # ~12% of bytes are rejected for a 30-character alphabet: ask for a little more.
        out += secrets.token_bytes(need + need // 6 + 16).translate(_TABLE, _REJECTED)
    return bytes(out[:wanted])


def random_bodies(count: int, length: int) -> list[str]:
    """``count`` random strings of ``length`` characters of ``ALPHABET`` (may repeat)."""
    text = random_block(count, length).decode("ascii")
    return [text[i : i + length] for i in range(0, len(text), length)]


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """Distinct stored-form codes (``prefix`` + body), in byte order: the order of the
    unique index on ``code`` (``C`` collation on PostgreSQL, BINARY on SQLite), so a chunk
    written in this order touches neighbouring index pages. The bodies are the rows of one
    ``(count, length)`` array of ASCII bytes."""

    prefix: str
    bodies: npt.NDArray[np.uint8]

    def __len__(self) -> int:
        return int(self.bodies.shape[0])

    def rows(self, tail: bytes = b"") -> bytes:
        """Every code followed by ``tail``, back to back: with a tail of ``\\t…\\n`` the
        rows of a text ``COPY``."""
        head = self.prefix.encode("ascii")
        count, length = self.bodies.shape
        out = np.empty((count, len(head) + length + len(tail)), np.uint8)
        out[:, : len(head)] = np.frombuffer(head, np.uint8)
        out[:, len(head) : len(head) + length] = self.bodies
        out[:, len(head) + length :] = np.frombuffer(tail, np.uint8)
        return out.tobytes()

    def texts(self) -> list[str]:
        """The codes as strings, in order."""
        width = len(self.prefix) + int(self.bodies.shape[1])
        text = self.rows().decode("ascii")
        return [text[i : i + width] for i in range(0, len(text), width)]


def distinct_sorted(block: bytes, length: int, prefix: str = "") -> CodeBlock:
    """The bodies of ``block`` (``length`` bytes each, as ``random_block`` makes them)
    without repeats, in byte order, after ``prefix``."""
    count = len(block) // length
    bodies = np.frombuffer(block, np.uint8, count * length).reshape(count, length)
    # Byte order is the order of big-endian integers (numpy sorts those ~10x faster than
    # strings): sort on the first 8 bytes; bodies that differ there are distinct.
    first = _words(bodies[:, :8])[:, 0]
    order = np.argsort(first)
    ranked = first[order]
    same = ranked[1:] == ranked[:-1]
    if length > 8 and bool(same.any()):  # rare: the same first 8 characters; sort on all
        words = _words(bodies)
        order = np.lexsort(words.T[::-1])
        ranked_rows = words[order]
        same = (ranked_rows[1:] == ranked_rows[:-1]).all(axis=1)
    keep = np.ones(count, dtype=bool)
    keep[1:] = ~same
    return CodeBlock(prefix, bodies[order[keep]])


def _words(columns: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint64]:
    """Rows of bytes as the values of big-endian 64-bit words (the last one zero-padded),
    in native byte order: numpy sorts a non-native dtype on a slow path."""
    count, width = columns.shape
    padded = np.zeros((count, -(-width // 8) * 8), np.uint8)
    padded[:, :width] = columns
    return padded.view(">u8").astype(np.uint64)


def fresh_codes(count: int, pattern: CodePattern) -> CodeBlock:
    """Up to ``count`` distinct random codes of ``pattern`` (fewer by the rare repeats
    among them), in stored form and byte order."""
    return distinct_sorted(random_block(count, pattern.length), pattern.length, pattern.prefix)


def generate_codes(
    count: int,
    pattern: CodePattern,
    *,
    taken: Callable[[Iterable[str]], set[str]] | None = None,
) -> list[str]:
    """``count`` distinct codes; ``taken`` returns which of the given codes already exist
    (e.g. a database lookup), and those are replaced. Codes are returned in display form.

    Raises:
        ValueError: the pattern's space is too small for ``count`` distinct codes with a
        safe margin (more than 1% of all possible codes).
    """
    if count < 0:
        raise ValueError("count must not be negative")
    if count > space(pattern.length) // 100:
        raise ValueError(
            f"{count:,} codes would fill more than 1% of the {pattern.length}-character "
            "space: use longer codes"
        )
    chosen: set[str] = set()
    result: list[str] = []
    while len(result) < count:
        batch = [pattern.show(body) for body in random_bodies(count - len(result), pattern.length)]
        fresh = [code for code in dict.fromkeys(batch) if code not in chosen]
        existing = taken(fresh) if taken is not None and fresh else set()
        for code in fresh:
            if code not in existing:
                chosen.add(code)
                result.append(code)
    return result


def normalize(code: str) -> str:
    """What a customer typed, as codes are stored: capitals, without spaces, hyphens or
    underscores. Letters outside the alphabet (O, I, L, U) are not guessed into others:
    such a code simply does not exist."""
    return re.sub(r"[\s\-_]", "", code).upper()


def space(length: int) -> int:
    """How many distinct codes of ``length`` random characters exist."""
    return int(_SIZE**length)
