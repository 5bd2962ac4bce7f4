"""Take the README's screenshots (see ``scripts/screenshots``).

Builds the demo shop in a temporary home through the CLI, serves it on a free loopback port,
signs a new owner in through the console's own sign-in page (enrolling an authenticator as a
first sign-in does, the code computed from the key the page shows), and photographs the pages;
the member portal is entered through the shop's signed link (docs/portal.md). The browser is
Debian's Chromium, kept off the network: a request to another host is aborted, and a console
error, a failed page or a refused request stops the script rather than photograph a broken page.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pyotp
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, Request, Route, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CLI = str(ROOT / ".venv" / "bin" / "loyalist")
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
OWNER = "owner@shop.example"
DESKTOP: dict[str, Any] = {"viewport": {"width": 1440, "height": 900}}
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
#: The tallest a picture gets (CSS pixels): the top of a long page shows the product.
MAX_HEIGHT = 2200


def step(text: str) -> None:
    print(f"screenshots: {text}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def cli(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    """Run ``loyalist *args`` in the temporary home; its output goes to stderr."""
    subprocess.run(  # noqa: S603 (our own CLI)
        [CLI, *args], env=env, input=stdin, text=True, check=True, stdout=sys.stderr
    )


def wait_for(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited ({server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback)
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer {url} in {seconds:.0f} s")


def portal_link(base: str, member_id: str, secret: str, ttl: int = 300) -> str:
    """The shop's signed link into the portal for ``member_id`` (docs/portal.md):
    HMAC-SHA256 of ``"<member>:<expires>"`` with the shared secret, in hex."""
    expires = int(time.time()) + ttl
    message = f"{member_id}:{expires}".encode()
    signature = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    query = urlencode({"member": member_id, "expires": expires, "signature": signature})
    return f"{base}/portal/enter?{query}"


def only_loopback(route: Route) -> None:
    if urlsplit(route.request.url).hostname == "127.0.0.1":
        route.continue_()
    else:
        step(f"refused a request to {route.request.url}")
        route.abort()


@contextmanager
def browsing(browser: Browser, options: dict[str, Any]) -> Iterator[tuple[Page, list[str]]]:
    """A page of a fresh context that records what goes wrong (console errors, uncaught
    exceptions, other hosts, 4xx/5xx answers) and refuses to go on when anything did."""
    context: BrowserContext = browser.new_context(reduced_motion="reduce", **options)
    context.route("**/*", only_loopback)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    def failed(request: Request) -> None:
        # A navigation cancels what the page before it still loaded (its icon): no fault.
        own = urlsplit(request.url).hostname == "127.0.0.1"
        if not own or request.failure != "net::ERR_ABORTED":
            problems.append(f"{request.url}: {request.failure}")

    page.on("requestfailed", failed)
    page.on(
        "response",
        lambda r: problems.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None,
    )
    try:
        yield page, problems
    finally:
        context.close()


def shoot(page: Page, problems: list[str], path: Path) -> None:
    """The page (from its top, at most ``MAX_HEIGHT`` tall) as a small PNG at ``path``."""
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    if problems:
        raise SystemExit(f"{page.url} went wrong: {problems}")
    width = page.viewport_size["width"] if page.viewport_size else 1440
    height = min(MAX_HEIGHT, int(page.evaluate("document.documentElement.scrollHeight")))
    page.screenshot(
        path=str(path),
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": height},
        animations="disabled",
    )
    # A palette of 256 colours keeps a flat UI's picture sharp at a third of the size.
    with Image.open(path) as shot:
        small = shot.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)
    step(f"wrote {path} ({path.stat().st_size // 1024} KiB)")


def sign_in(page: Page, base: str, password: str) -> None:
    """Sign the owner in through the console's page; the first sign-in enrols an
    authenticator (the page shows its key; the code is computed from it)."""
    page.goto(f"{base}/console/sign-in")
    page.get_by_label("Email").fill(OWNER)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Your password again").fill(password)
    page.get_by_role("button", name="Set up the authenticator").click()
    page.locator("[data-qr] svg").wait_for()
    secret = page.locator("[data-secret]").inner_text()
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("link", name="Continue to the console").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def build_shop(env: dict[str, str], members: int, password: str) -> None:
    """The demo shop of ``scripts/start`` (program, history, scores) and its owner."""
    cli(env, "init")
    cli(env, "program", "apply", str(ROOT / "examples" / "program.yaml"))
    cli(env, "demo", "--members", str(members), "--months", "18")  # as scripts/start
    cli(env, "insights", "segments", "--recompute")
    cli(env, "insights", "recommend-refresh")
    cli(env, "staff", "create", "--email", OWNER, "--name", "Demo owner", "--role", "owner",
        "--password-stdin", stdin=password)  # fmt: skip


def photograph(base: str, out: Path, password: str, member: str, link_secret: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        with browsing(browser, DESKTOP) as (page, problems):
            step("signing in to the console")
            sign_in(page, base, password)
            for name, path in (
                ("console-dashboard.png", "/console/dashboard"),
                ("console-member-360.png", f"/console/members/{member}"),
            ):
                page.goto(f"{base}{path}")
                shoot(page, problems, out / name)
        # The desktop in English, the phone in the member's own language (C000001: Russian).
        for name, options, query in (
            ("portal-home.png", DESKTOP, "?lang=en"),
            ("portal-home-phone.png", PHONE, ""),
        ):
            with browsing(browser, options) as (page, problems):
                page.goto(portal_link(base, member, link_secret))
                page.wait_for_url(lambda url: "/portal/enter" not in url)
                page.goto(f"{base}/portal/{query}")
                shoot(page, problems, out / name)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--members", type=int, default=5000, help="members in the demo shop")
    parser.add_argument("--member", default="C000001", help="the member photographed")
    parser.add_argument("--keep", action="store_true", help="keep the temporary home")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="loyalist-screens-"))
    link_secret = secrets.token_urlsafe(32)
    # Nothing of the caller's configuration (a database URL, a secret) reaches the shop.
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOYALIST_")} | {
        "LOYALIST_HOME": str(home),
        "LOYALIST_PORTAL__LINK_SECRET": link_secret,
        "LOYALIST_LOG_LEVEL": "warning",
    }
    password = secrets.token_urlsafe(18)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env["LOYALIST_MESSAGES__BASE_URL"] = base
    try:
        step(f"building the demo shop in {home} (a few minutes)")
        build_shop(env, options.members, password)
        server = subprocess.Popen(  # noqa: S603 (our own CLI)
            [CLI, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env
        )
        try:
            wait_for(f"{base}/healthz", server)
            photograph(base, options.out, password, options.member, link_secret)
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        if options.keep:
            step(f"kept {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
