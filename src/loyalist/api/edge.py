"""What every response carries, set in front of the whole application (the hot routes
too): a request id (``X-Request-Id``, taken from the request when it is a sane one, and in
every log line of the request), ``X-Content-Type-Options: nosniff``, a Referrer-Policy, a
Content-Security-Policy (pages: only this origin, nothing inline, no framing, but a message
preview framed by the console; JSON: nothing at all), and ``Cache-Control: no-store`` on
what shows personal data or staff state: the member pages (preferences, survey,
unsubscribe, the portal), the console, the staff and auth API, and any response to a
request carrying the staff session cookie.

One portal page may be framed by other sites: the storefront widget (``/portal/widget``),
by the shop's own origins only (``LOYALIST_PORTAL__WIDGET_ORIGINS``; none: by no site).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from loyalist.logs import request_id

#: Pages: scripts, styles, images and form posts from this origin only; no inline script
#: or style, no eval, no plugins, no <base>, never framed.
PAGE_CSP = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
#: The page the shop's storefront frames (its CSP names the shop's origins).
WIDGET_PATH = "/portal/widget"
#: JSON and everything else: nothing to load, never framed.
API_CSP = "default-src 'none'; frame-ancestors 'none'"
#: The API reference pages (``/docs``, ``/redoc``): their vendored scripts and stylesheet
#: from this origin, their icons and ReDoc's icon font as data: URLs, nothing inline.
#: ReDoc's page sends its own policy: this one with the request's nonce for the styles it
#: writes at run time (``api.docs.redoc_csp``).
DOCS_CSP = (
    "default-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
#: A message preview (``/console/messages/templates/<key>/<locale>/frame``): an email's
#: HTML as it is sent, with its inline styles, shown in a sandboxed frame of the console's
#: template page. The document is sandboxed itself (a unique origin: no script, no form,
#: no pop-up, no cookie), may style itself inline and show this origin's and inline
#: images, and may be framed by this origin only. Remote images stay out: a template's
#: ``<img src="https://…">`` would otherwise make every staff browser that opens the
#: preview call a third party (a tracking pixel telling who looked, and when).
FRAME_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox"
)
FRAME_PATH = re.compile(r"/console/messages/templates/[a-z0-9_]{1,64}/[a-z]{2}/frame")
#: Paths whose answers show personal data or staff state: never stored by a cache.
PRIVATE_PREFIXES = (
    "/preferences/",
    "/surveys/",
    "/unsubscribe/",
    "/api/v1/auth/",
    "/api/v1/staff",
    "/console/",
    "/portal/",
)
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_FIXED = [(b"x-content-type-options", b"nosniff")]


def _new_request_id() -> str:
    """32 hex digits, unique with overwhelming odds. The id names a request in the logs and
    is no secret, so it comes from the interpreter's random generator (seeded from the
    system's, and again in a forked child) rather than ``os.urandom``: a system call per
    request lets the database threads take the interpreter lock from the event loop."""
    return f"{random.getrandbits(128):032x}"


class Edge:
    def __init__(
        self, app: ASGIApp, *, session_cookie: str, widget_origins: Sequence[str] = ()
    ) -> None:
        self.app = app
        self._cookie = session_cookie.encode() + b"="
        ancestors = " ".join(widget_origins) or "'none'"
        self._widget_csp = PAGE_CSP.replace(
            "frame-ancestors 'none'", f"frame-ancestors {ancestors}"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope["headers"] if k == b"x-request-id"), b"").decode(
            "latin-1"
        )
        rid = given if _SANE_ID.fullmatch(given) else _new_request_id()
        path: str = scope["path"]
        private = path.startswith(PRIVATE_PREFIXES) or any(
            k == b"cookie" and self._cookie in v for k, v in scope["headers"]
        )

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                names = {name.lower() for name, _ in headers}
                html = any(
                    k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers
                )
                policy = API_CSP
                if html:
                    policy = DOCS_CSP if path == "/docs" else PAGE_CSP
                    if FRAME_PATH.fullmatch(path):
                        policy = FRAME_CSP
                    elif path == WIDGET_PATH:
                        policy = self._widget_csp
                headers += [*_FIXED, (b"x-request-id", rid.encode())]
                if b"content-security-policy" not in names:  # else the route's own
                    headers.append((b"content-security-policy", policy.encode()))
                if b"referrer-policy" not in names:
                    headers.append((b"referrer-policy", b"no-referrer"))
                if private:
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        token = request_id.set(rid)
        try:
            await self.app(scope, receive, stamped)
        finally:
            request_id.reset(token)
