"""The vendored browser libraries are the files their manifest names, and every page
asset is served from this origin."""

from __future__ import annotations

import hashlib
import re

from loyalist.web.templating import STATIC, TEMPLATES


def test_vendored_files_match_their_recorded_hashes() -> None:
    vendor = STATIC / "vendor"
    recorded: dict[str, str] = {}
    for line in (vendor / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        recorded[name] = digest
    scripts = {p.name for p in vendor.glob("*.js")}
    assert scripts == set(recorded), "every vendored script is listed, and only those"
    for name, digest in recorded.items():
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest, name
        assert name in (vendor / "README.md").read_text(), f"{name} is not in the manifest"


def test_templates_load_nothing_from_elsewhere_and_nothing_inline() -> None:
    for template in TEMPLATES.rglob("*.html.j2"):
        text = template.read_text()
        assert not re.search(r"(src|href)=\"(https?:)?//", text), template
        assert not re.search(r"<script(?![^>]*(src=|type=\"application/json\"))", text), template
        assert not re.search(r"\sstyle=|\son[a-z]+=", text), template
        assert "<style" not in text, template
