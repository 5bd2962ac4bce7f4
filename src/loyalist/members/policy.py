"""Normalising contact details before they are indexed."""

from __future__ import annotations

import re

_NON_DIGITS = re.compile(r"[^0-9]")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def normalize_phone(phone: str) -> str:
    """Digits only, with ``+`` kept when the number was given in international form.

    No region is known, so ``8 912 …`` and ``+7 912 …`` stay different numbers: shops
    should send E.164 (documented in docs/decisions.md).
    """
    stripped = phone.strip()
    digits = _NON_DIGITS.sub("", stripped)
    return f"+{digits}" if stripped.startswith("+") else digits
