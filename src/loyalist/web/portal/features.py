"""What the member's own feature pages share (rewards, coupons, referral, achievements,
inbox, preferences, privacy): the member as the actor of what they do, their posted forms,
and offers described for a page.

Each page acts on the signed-in member only: no page takes a member id from the request.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Any

from starlette.requests import Request

from loyalist.api.deps import client_ip
from loyalist.audit.models import Actor, ActorKind
from loyalist.errors import FieldError, RequestInvalidError
from loyalist.ledger.policy import minor_unit_exponent
from loyalist.logs import request_id
from loyalist.web.portal.kit import Visitor

#: The audit trail's label for what a member does in the portal.
PORTAL = "portal"


def member_actor(request: Request, who: Visitor) -> Actor:
    """The member acting on their own data, from the request's address."""
    return Actor(
        ActorKind.MEMBER,
        id=who.member_id,
        label=PORTAL,
        ip=client_ip(request),
        request_id=request_id.get(),
    )


async def posted(request: Request) -> dict[str, list[str]]:
    """The request's form fields, each with all its values (boxes ticked share a name)."""
    form = await request.form()
    return {name: [str(v) for v in form.getlist(name)] for name in form}


def one_field(form: dict[str, list[str]], name: str, pattern: re.Pattern[str]) -> str:
    """The form's single ``name`` value, matching ``pattern``.

    Raises:
        RequestInvalidError: missing, repeated or not matching (pointing at the field).
    """
    values = form.get(name, [])
    if len(values) != 1 or not pattern.fullmatch(values[0]):
        raise RequestInvalidError(
            f"the form's {name!r} field is missing or malformed",
            errors=[FieldError(f"/{name}", "send the page's form as it was shown")],
        )
    return values[0]


def money_of(amount_minor: int, currency: str) -> Decimal:
    """An amount in a currency's minor units in major units (500 EUR cents: 5.00)."""
    return Decimal(amount_minor).scaleb(-minor_unit_exponent(currency))


def offer(discount: dict[str, Any] | None, locale: str) -> dict[str, Any] | None:
    """A coupon's discount for a page: its ``type`` with amounts in major units, a
    percentage as a share (``share``: 0.1 for 10 %) and, for a gift or a reward of the
    shop's own, the description in the page's language."""
    if not discount:
        return None
    shown = dict(discount)
    currency = discount.get("currency")
    for field in ("amount", "max_amount"):
        if discount.get(field) is not None and currency:
            shown[field] = money_of(int(discount[field]), str(currency))
    if discount.get("percent") is not None:
        shown["share"] = Decimal(str(discount["percent"])) / 100
    if discount.get("description") is not None:
        shown["description"] = localized(discount["description"], locale)
    return shown


def localized(text: dict[str, str] | str | None, locale: str) -> str | None:
    """A text given in English and Russian (``{"en": …, "ru": …}``) in ``locale``."""
    if text is None or isinstance(text, str):
        return text
    return text.get(locale) or text.get("en")


def when(value: datetime | str | None) -> datetime | None:
    """A time as stored in a replayed (JSON) answer or as read: a datetime either way."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)
