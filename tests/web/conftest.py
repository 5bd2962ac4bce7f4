"""Browser tests: a live server on 127.0.0.1 per test (both backends), Debian's Chromium
driven by Playwright (no browser download), and a page that fails the test on any request
to another host, any console error, any uncaught script error and any CSP violation."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Route
from pydantic import SecretStr

from loyalist.bootstrap import Loyalist, bootstrap
from loyalist.clock import ManualClock
from loyalist.db.crypto import Keyring
from loyalist.settings import PortalSettings, ProgramPolicy, Settings
from loyalist.web.app import create_app
from tests.conftest import TEST_KEY
from tests.live import serving

CHROMIUM = "/usr/bin/chromium"
#: The network is closed: nothing in the background may try to reach it.
CHROMIUM_FLAGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: Reports a CSP violation to the console, where the page's watch sees it (Playwright's
#: init scripts are not subject to the page's CSP).
REPORT_CSP = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""
PHONE = {"width": 390, "height": 844}
#: The portal's signed-link secret of the live server (tests/web/portal.py signs with it).
PORTAL_LINK_SECRET = "test-portal-link-secret"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@dataclass
class Live:
    """A running server: its address, the application behind it and its clock."""

    url: str
    app: Loyalist
    clock: ManualClock

    def at(self, path: str) -> str:
        return f"{self.url}{path}"


def web_settings(db_url: str, program: ProgramPolicy, **overrides: Any) -> Settings:
    """Settings of a live server for the browser: the production defaults (Chromium keeps
    the Secure ``__Host-`` session cookie from http://127.0.0.1, a potentially trustworthy
    origin), over the test's database; the portal's signed links use ``PORTAL_LINK_SECRET``
    unless ``portal`` is given."""
    overrides.setdefault("portal", PortalSettings(link_secret=SecretStr(PORTAL_LINK_SECRET)))
    return Settings(database_url=db_url, program=program, writer_linger_ms=0.5, **overrides)


@pytest.fixture
def live_settings(db_url: str, program: ProgramPolicy) -> Settings:
    """The live server's settings; a test module overrides this fixture to change them."""
    return web_settings(db_url, program)


@pytest.fixture
def live(live_settings: Settings, clock: ManualClock) -> Iterator[Live]:
    app = bootstrap(live_settings, clock=clock, keyring=Keyring.from_secrets(TEST_KEY))
    try:
        with serving(create_app(app, embedded_worker=False)) as url:
            yield Live(url, app, clock)
    finally:
        app.close()


@dataclass
class Watch:
    """What a page did wrong: requests to other hosts, console errors, script errors."""

    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: Console errors a test expects (a text each holds), such as the browser's note of a
    #: refused request the page then explains.
    expected: list[str] = field(default_factory=list)

    def expect_error(self, text: str) -> None:
        self.expected.append(text)

    def route(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname != "127.0.0.1":
            self.foreign.append(url)
            route.abort()
            return
        route.continue_()

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not any(t in message.text for t in self.expected):
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")

    def page_error(self, error: Exception) -> None:
        self.errors.append(f"uncaught: {error}")

    def check(self) -> None:
        assert not self.foreign, f"requests to other hosts: {self.foreign}"
        assert not self.errors, f"console errors: {self.errors}"


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def context(context: BrowserContext, watch: Watch) -> BrowserContext:
    """Every page of the test's browser context is watched."""
    context.add_init_script(REPORT_CSP)
    context.route("**/*", watch.route)
    context.on("page", lambda page: _watch_page(page, watch))
    return context


def _watch_page(page: Page, watch: Watch) -> None:
    page.on("console", watch.console)
    page.on("pageerror", watch.page_error)


@pytest.fixture
def page(context: BrowserContext, watch: Watch, live: Live) -> Iterator[Page]:
    """A watched page; the live server outlives it (a page that is still loading when the
    server stops would report the refused connection)."""
    shown = context.new_page()
    yield shown
    shown.close()
    watch.check()


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def assert_accessible(axe: Axe, page: Page) -> None:
    """axe finds no serious or critical violation on the page as it is now."""
    results = axe.run(page)
    found = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not found, "\n".join(found)
