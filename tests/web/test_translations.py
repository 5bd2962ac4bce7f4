"""Every text of the member portal exists in Russian: the messages Babel's Jinja2
extractor finds in ``templates/portal`` (and the labels ``kit.N_`` marks in the portal's
modules), and in the console templates that are translated, each have a Russian
``msgstr`` (every plural form) in ``web.po``, and the catalogue holds nothing stale."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from babel.messages.extract import extract, extract_python
from babel.messages.pofile import read_po
from jinja2.ext import babel_extract

from loyalist.web.templating import CATALOGUE, TEMPLATES

PORTAL_CODE = Path(TEMPLATES).parent / "portal"
#: The console's templates in the staff member's language (the rest is English).
TRANSLATED_CONSOLE = ("console/campaigns/estimate.html.j2",)
_JINJA = {"extensions": "jinja2.ext.i18n", "trim_blocks": "1", "lstrip_blocks": "1"}


def portal_messages() -> dict[str | tuple[str, ...], str]:
    """Each message id (a tuple for plural ones) with where it was found first."""
    found: dict[str | tuple[str, ...], str] = {}
    translated = [Path(TEMPLATES) / name for name in TRANSLATED_CONSOLE]
    for path in [*sorted((Path(TEMPLATES) / "portal").rglob("*.j2")), *translated]:
        with path.open("rb") as source:
            for line, message, _, _ in extract(cast(Any, babel_extract), source, options=_JINJA):
                found.setdefault(message, f"{path.name}:{line}")
    for path in sorted(PORTAL_CODE.glob("*.py")):
        with path.open("rb") as source:
            for line, message, _, _ in extract(
                cast(Any, extract_python), source, keywords={"N_": None}
            ):
                found.setdefault(message, f"{path.name}:{line}")
    return found


def test_the_extractor_finds_the_portal_texts() -> None:
    found = portal_messages()
    assert "Sign in to your rewards" in found
    assert "Ways to earn" in found  # a navigation label marked in kit.py
    assert len(found) > 40


def test_every_portal_text_has_a_russian_translation() -> None:
    with CATALOGUE.open("rb") as source:
        catalogue = read_po(source, locale="ru")
    missing = []
    for message, where in portal_messages().items():
        key = message[0] if isinstance(message, tuple) else message
        entry = catalogue.get(key)
        strings = entry.string if entry is not None else ""
        forms = strings if isinstance(strings, tuple) else (strings,)
        plural_ok = not isinstance(message, tuple) or (
            entry is not None and entry.pluralizable and len(forms) == 3
        )
        if not all(forms) or not plural_ok:
            missing.append(f"{where}: {message!r}")
    assert not missing, "no Russian text for:\n" + "\n".join(missing)


def test_the_extractor_finds_the_console_estimate_texts() -> None:
    assert "Matching the audience" in portal_messages()


def test_the_catalogue_holds_only_portal_texts() -> None:
    with CATALOGUE.open("rb") as source:
        catalogue = read_po(source, locale="ru")
    used = {m[0] if isinstance(m, tuple) else m for m in portal_messages()}
    ids = [entry.id[0] if isinstance(entry.id, tuple) else entry.id for entry in catalogue]
    stale = sorted(str(i) for i in ids if i and i not in used)
    assert not stale, f"texts no portal page uses: {stale}"
