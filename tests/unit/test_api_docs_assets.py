"""The vendored API reference files are the ones their manifest names, and nothing in them
or in the pages asks another host for anything."""

from __future__ import annotations

import hashlib

from loyalist.api.docs import REDOC_PAGE, STATIC, SWAGGER_INIT, SWAGGER_PAGE

VENDOR = STATIC / "vendor"


def test_vendored_files_match_their_recorded_hashes() -> None:
    recorded: dict[str, str] = {}
    for line in (VENDOR / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        recorded[name] = digest
    shipped = {p.name for p in VENDOR.iterdir() if p.suffix in (".js", ".css")}
    assert shipped == set(recorded), "every vendored file is listed, and only those"
    manifest = (VENDOR / "README.md").read_text()
    for name, digest in recorded.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
        assert name in manifest, f"{name} is not in the manifest"
        assert name in SWAGGER_PAGE + REDOC_PAGE, f"{name} is not used"


def test_nothing_points_at_a_cdn() -> None:
    for text in (SWAGGER_PAGE, REDOC_PAGE, SWAGGER_INIT):
        assert "http" not in text
    redoc = (VENDOR / "redoc-3.0.1.standalone.js").read_text(encoding="utf-8")
    assert "cdn.redoc.ly" not in redoc
    assert 'disable-telemetry="true"' in REDOC_PAGE
    assert "validatorUrl: null" in SWAGGER_INIT
