"""Take the README's screenshots (see ``scripts/screenshots``).

Builds the demo shop in a temporary home through the CLI, serves it on a free loopback port,
signs a new owner in through the console's own sign-in page (enrolling an authenticator as a
first sign-in does, the code computed from the key the page shows), and photographs the pages.
The browser is Debian's Chromium, kept off the network; any request to another host aborts.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
from playwright.sync_api import Page, Route, sync_playwright

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
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


def step(text: str) -> None:
    print(f"screenshots: {text}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def cli(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    subprocess.run([CLI, *args], env=env, input=stdin, text=True, check=True)


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


def only_loopback(route: Route) -> None:
    if urlsplit(route.request.url).hostname == "127.0.0.1":
        route.continue_()
    else:
        route.abort()


def sign_in(page: Page, base: str, password: str) -> None:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--members", type=int, default=5000, help="members in the demo shop")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="loyalist-screens-"))
    link_secret = secrets.token_urlsafe(32)
    env = os.environ | {
        "LOYALIST_HOME": str(home),
        "LOYALIST_PORTAL__LINK_SECRET": link_secret,
        "LOYALIST_LOG_LEVEL": "WARNING",
    }
    env.pop("LOYALIST_DATABASE_URL", None)
    step(f"building the demo shop in {home} (about a minute)")
    cli(env, "init")
    cli(env, "program", "apply", str(ROOT / "examples" / "program.yaml"))
    cli(env, "demo", "--members", str(options.members))
    password = secrets.token_urlsafe(18)
    cli(env, "staff", "create", "--email", OWNER, "--name", "Demo owner", "--role", "owner",
        "--password-stdin", stdin=password)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([CLI, "serve", "--port", str(port)], env=env)  # noqa: S603
    try:
        wait_for(f"{base}/healthz", server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            context = browser.new_context(viewport=DESKTOP)
            context.route("**/*", only_loopback)
            page = context.new_page()
            step("signing in to the console")
            sign_in(page, base, password)
            shots = [
                ("console-dashboard.png", f"{base}/console/dashboard"),
                ("console-member-360.png", f"{base}/console/members/C000001"),
            ]
            for name, url in shots:
                page.goto(url)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(options.out / name), full_page=True)
                step(f"wrote {options.out / name}")
            link = portal_link(base, "C000001", link_secret)
            for name, viewport in (("portal-home.png", DESKTOP), ("portal-home-phone.png", PHONE)):
                member = browser.new_context(viewport=viewport)
                member.route("**/*", only_loopback)
                shown = member.new_page()
                shown.goto(link)
                shown.wait_for_load_state("networkidle")
                shown.screenshot(path=str(options.out / name), full_page=True)
                step(f"wrote {options.out / name}")
                member.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


def portal_link(base: str, member_id: str, secret: str) -> str:
    """The shop's signed link into the portal for ``member_id``."""
    raise NotImplementedError("filled in when the portal's signed link lands")


if __name__ == "__main__":
    main()
