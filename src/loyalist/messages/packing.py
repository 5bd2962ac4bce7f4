"""The personalised packing note of an order, for the warehouse to print: the member's
name, a thank-you in their language, the points the order earned, their tier progress,
one usage tip for what they bought and one recommendation — the ``packing_note`` template
in the print layout (A5), as HTML or as a PDF made from the same HTML by WeasyPrint.

The PDF's text is set in DejaVu Sans, which has Cyrillic, taken from the copy matplotlib's
wheel ships (a dependency already): no system font decides whether a Russian name prints.
"""

from __future__ import annotations

import functools
from importlib.util import find_spec
from pathlib import Path

from loyalist.activities import service as activities
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import balances
from loyalist.ledger.models import PostingKind
from loyalist.members import service as members
from loyalist.messages import policy
from loyalist.messages.contexts import PackingNoteContext, Product, TemplateKey
from loyalist.messages.editing import live_source
from loyalist.messages.journeys_kit import tier_progress
from loyalist.messages.post_purchase import tips_for, tips_library
from loyalist.messages.rendering import (
    BrandKit,
    message_locale,
    render_message,
)
from loyalist.recommendations import service as recommendations
from loyalist.recommendations.schemas import PairScore
from loyalist.settings import ProgramPolicy

#: How many "bought together" neighbours of each SKU are looked at for the one shown.
_NEIGHBOURS = 5


def _recommendation(uow: UnitOfWork, skus: list[str], website_url: str | None) -> Product | None:
    """The best "also bought" item of the order's SKUs (by lift) that is not in the order;
    None before the first recommendations refresh or when nothing was bought with them."""
    best: tuple[float, str] | None = None
    for sku in skus:
        for item in recommendations.also_bought(
            uow, sku, by=PairScore.LIFT, limit=_NEIGHBOURS
        ).items:
            if item.sku not in skus and (
                best is None or (-item.score, item.sku) < (-best[0], best[1])
            ):
                best = (item.score, item.sku)
    if best is None:
        return None
    sku = best[1]
    name = activities.product_names(uow, [sku]).get(sku, sku)
    return {"name": name, "url": website_url or "", "image_url": None, "price": None}


def packing_note_html(
    uow: UnitOfWork, order_id: str, *, program: ProgramPolicy, brand: BrandKit
) -> str:
    """The order's packing note as a printable HTML page in the member's language.

    Raises:
        OrderNotFoundError: no order has this id.
    """
    order = activities.get_order(uow, order_id)
    contact = members.contacts(uow, [order.member_id])[order.member_id]
    locale = message_locale(contact.locale, program.default_locale)
    zone = policy.member_zone(contact.timezone, program.zone)
    progress = tier_progress(uow, order.member_id, program, locale)
    earned = sum(
        p.amount for p in balances.order_postings(uow, order_id) if p.kind == PostingKind.EARN
    )
    kept = [line for line in order.lines if line.returned_quantity < line.quantity]
    tips = tips_for([line.category for line in kept], tips_library(uow), locale)
    context: PackingNoteContext = {
        "member": {
            "first_name": contact.first_name or "",
            "points_balance": balances.available_points(uow, order.member_id),
            "tier": progress["tier"] if progress else None,
        },
        "order": {"number": order.order_id, "url": None},
        "points_earned": earned,
        "tier_progress": progress,
        "tip": tips[0] if tips else None,
        "recommendation": _recommendation(
            uow, [line.sku for line in order.lines], brand.website_url
        ),
    }
    key = TemplateKey.PACKING_NOTE
    rendered = render_message(
        key,
        live_source(uow, key, locale),
        context,
        locale=locale,
        time_zone=zone.key,
        brand=brand,
    )
    assert rendered.html is not None
    return rendered.html


_FACES = (("normal", "DejaVuSans.ttf"), ("bold", "DejaVuSans-Bold.ttf"))


@functools.cache
def _font_uris() -> tuple[str, ...]:
    spec = find_spec("matplotlib")
    assert spec is not None
    assert spec.submodule_search_locations
    fonts = Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf"
    return tuple((fonts / name).as_uri() for _, name in _FACES)


@functools.cache
def _font_css() -> str:
    faces = "".join(
        f'@font-face {{ font-family: "Loyalist Print"; font-weight: {weight}; '
        f'src: url("{uri}"); }}\n'
        for (weight, _), uri in zip(_FACES, _font_uris(), strict=True)
    )
    return faces + '* { font-family: "Loyalist Print" !important; }\n'


def to_pdf(html: str, logo_url: str | None = None) -> bytes:
    """A PDF of the printable page (its ``@page`` size and margins), with the font embedded.
    It fetches only its fonts, ``data:`` URLs and the brand's ``logo_url``: the template is
    editable, and WeasyPrint would otherwise read any URL or file it names (a
    ``<link rel="attachment">`` embeds the file)."""
    import weasyprint  # heavy: loaded by the first PDF, not at start-up
    from weasyprint.urls import URLFetcher

    allowed = {*_font_uris(), *([logo_url] if logo_url else [])}

    class Fetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
        def fetch(self, url: str, headers: object = None) -> object:
            if url.startswith("data:") or url in allowed:
                return super().fetch(url, headers)
            raise ValueError(f"a packing note fetches only its fonts and logo, not {url}")

    fetcher = Fetcher()
    css = weasyprint.CSS(string=_font_css(), url_fetcher=fetcher)
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(stylesheets=[css])
    return pdf
