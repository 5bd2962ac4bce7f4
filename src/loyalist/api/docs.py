"""The API's reference pages, everything from this origin (no CDN, nothing inline): Swagger
UI at ``/docs`` and ReDoc at ``/redoc`` from the vendored files in ``api/static/vendor``
(served unless ``LOYALIST_API__DOCS=false``), and every problem's page at
``/problems/<code>``: ``docs/problems/<code>.md`` rendered, where a problem's ``type`` points.

The pages work under ``api.edge.DOCS_CSP``: scripts, styles and fonts from this origin,
``data:`` images (Swagger UI's icons); ReDoc's styles, which it writes into ``<style>``
elements at run time, carry the page's nonce (ReDoc reads it from the ``csp-nonce`` meta
tag), and the page's CSP names that nonce, a new one on every request.
"""

from __future__ import annotations

import base64
import functools
import html
import os
from pathlib import Path

from fastapi import FastAPI
from markdown_it import MarkdownIt
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

from loyalist.api.edge import DOCS_CSP

STATIC = Path(__file__).resolve().parent / "static"
#: The problems' pages' sources, in the source tree (``docs/problems/<code>.md``). The
#: rendered pages link relatively (``../docs/static/``, ``./``): they work under a root path.
PAGES = Path(__file__).resolve().parents[3] / "docs" / "problems"
_ASSETS = "/docs/static"
_SWAGGER_JS = f"{_ASSETS}/vendor/swagger-ui-bundle-5.36.0.js"
_SWAGGER_CSS = f"{_ASSETS}/vendor/swagger-ui-5.36.0.css"
_REDOC_JS = f"{_ASSETS}/vendor/redoc-3.0.1.standalone.js"

SWAGGER_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Loyalist API</title>
<link rel="stylesheet" href="{_SWAGGER_CSS}">
</head><body><div id="swagger-ui"></div>
<script src="{_SWAGGER_JS}"></script>
<script src="/docs/swagger-init.js"></script>
</body></html>
"""

SWAGGER_INIT = """window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
});
"""

#: ReDoc's page; ``{nonce}`` is the request's.
REDOC_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="csp-nonce" nonce="{{nonce}}">
<title>Loyalist API</title>
</head><body><redoc spec-url="/openapi.json" disable-telemetry="true"></redoc>
<script type="module" src="{_REDOC_JS}"></script>
</body></html>
"""

_PROBLEM_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Loyalist problem</title>
<link rel="stylesheet" href="../docs/static/problem.css">
</head><body><main>
{body}
<p class="more"><a href="./">All problems</a></p>
</main></body></html>
"""


def redoc_csp(nonce: str) -> str:
    """``DOCS_CSP`` with ReDoc's run-time ``<style>`` elements allowed by their nonce."""
    return DOCS_CSP.replace("style-src 'self'", f"style-src 'self' 'nonce-{nonce}'")


@functools.cache
def _markdown() -> MarkdownIt:
    # CommonMark without raw HTML: a page's text is shown, never run.
    return MarkdownIt("commonmark", {"html": False})


@functools.cache
def _sources() -> dict[str, Path]:
    """The problems' pages by code (read once: the set is the code's, it does not change)."""
    return {path.stem: path for path in sorted(PAGES.glob("*.md"))}


def problem_page(code: str) -> str | None:
    """``docs/problems/<code>.md`` as an HTML page, or ``None`` if there is no such page
    (only known codes are looked up and kept: any other path costs nothing)."""
    return _rendered(code) if code in _sources() else None


@functools.cache
def _rendered(code: str) -> str:
    body = _markdown().render(_sources()[code].read_text(encoding="utf-8"))
    return _PROBLEM_PAGE.format(title=html.escape(code), body=body)


@functools.cache
def problem_index() -> str:
    """Every problem's code linked to its page, with the page's first sentence."""
    items = []
    for code, path in _sources().items():
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line]
        summary = lines[1] if len(lines) > 1 else ""
        items.append(f'<li><a href="{code}"><code>{code}</code></a> {html.escape(summary)}</li>')
    body = (
        "<h1>Problems</h1>\n<p>Every error the API answers is RFC 9457 problem+json; its "
        "<code>type</code> links to one of these pages, its <code>code</code> names it.</p>\n"
        f"<ul>\n{chr(10).join(items)}\n</ul>"
    )
    return _PROBLEM_PAGE.format(title="Problems", body=body)


def install_docs(api: FastAPI, *, reference: bool) -> None:
    """Every problem's page (``/problems/<code>``, and their list at ``/problems/``), always:
    they are what a problem's ``type`` links to; with ``reference``, ``/docs`` and
    ``/redoc``."""
    api.mount(_ASSETS, StaticFiles(directory=STATIC), name="docs-static")

    @api.get("/problems/", include_in_schema=False)
    async def problems() -> Response:
        return HTMLResponse(problem_index())

    @api.get("/problems/{code}", include_in_schema=False)
    async def problem(code: str) -> Response:
        page = problem_page(code)
        if page is None:
            raise HTTPException(404, f"there is no problem {code!r}")
        return HTMLResponse(page)

    if not reference:
        return

    @api.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        return HTMLResponse(SWAGGER_PAGE)

    @api.get("/docs/swagger-init.js", include_in_schema=False)
    async def docs_init() -> Response:
        return Response(SWAGGER_INIT, media_type="text/javascript")

    @api.get("/redoc", include_in_schema=False)
    async def redoc() -> Response:
        nonce = base64.b64encode(os.urandom(18)).decode()
        return HTMLResponse(
            REDOC_PAGE.format(nonce=nonce),
            headers={"Content-Security-Policy": redoc_csp(nonce)},
        )
