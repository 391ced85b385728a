"""Fixtures of the browser tests: the app served by ``corridor serve`` and a headless Chromium.

The app runs in a subprocess on a free loopback port with a temporary SQLite database. The
browser is the system Chromium driven by Playwright (no browser download). Without Chromium,
Playwright or the built page libraries (``make web-assets``) the tests skip with the reason,
unless ``CORRIDOR_E2E_REQUIRED=1`` (set by CI), where they fail instead.

Every test leaves a full-page screenshot in ``out/e2e/<test name>.png``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "src" / "corridor" / "web" / "static" / "vendor" / "manifest.json"
SHOTS = ROOT / "out" / "e2e"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: A laptop screen.
VIEWPORT = {"width": 1440, "height": 900}


def _missing(reason: str) -> None:
    if os.environ.get("CORRIDOR_E2E_REQUIRED") == "1":
        pytest.fail(f"browser tests required but cannot run: {reason}")
    pytest.skip(reason)


def _chromium() -> str | None:
    given = os.environ.get("CORRIDOR_CHROMIUM")
    if given:
        return given
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _api(base: str, path: str, body: dict[str, Any] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{base}/api/{path}",
        data=data,
        headers={"Content-Type": "application/json"} if data else {},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start ``corridor serve`` on a free port with a fresh SQLite database; yield its URL."""
    if not VENDOR.is_file():
        _missing("the page's libraries are not built: run `make web-assets`")
    folder = tmp_path_factory.mktemp("e2e-server")
    port = _free_port()
    env = {**os.environ, "CORRIDOR_DATA_DIR": str(folder)}
    env.pop("CORRIDOR_API_TOKEN", None)
    log = (folder / "server.log").open("w")
    command = [
        sys.executable,
        "-m",
        "corridor.cli",
        "serve",
        "--port",
        str(port),
        "--database",
        f"sqlite:///{folder / 'e2e.db'}",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _api(base, "health")
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.close()
                    text = (folder / "server.log").read_text()
                    pytest.fail(f"corridor serve did not start:\n{text[-3000:]}")
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless system Chromium driven by Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed (pip install -e '.[dev]')")
    executable = _chromium()
    if executable is None:
        _missing("Chromium is not installed (Debian: apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def call_api(server: str) -> Callable[..., Any]:
    """Call the app's API directly: the oracle the page is checked against."""

    def call(path: str, body: dict[str, Any] | None = None) -> Any:
        return _api(server, path, body)

    return call


class PageErrors(list[str]):
    """Uncaught script errors of a page (a test asserts there are none)."""


@pytest.fixture
def page_errors() -> PageErrors:
    return PageErrors()


class PageProblems(list[str]):
    """Console errors and failed (4xx/5xx) requests of a page (a test asserts there are none)."""


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def open_page(
    browser: Any,
    server: str,
    page_errors: PageErrors,
    page_problems: PageProblems,
    request: pytest.FixtureRequest,
) -> Iterator[Callable[..., Any]]:
    """Open the app's page at a viewport and a query string, loaded and ready.

    Every page opened leaves a screenshot ``out/e2e/<test name>[-<n>].png`` when the test
    ends, and any request leaving the app fails the test.
    """
    opened: list[tuple[Any, Any, list[str]]] = []

    def open_(viewport: dict[str, int] = VIEWPORT, query: str = "") -> Any:
        context = browser.new_context(viewport=viewport, locale="en-GB", accept_downloads=True)
        # Offline by design: any request leaving the app (CDN, tiles) fails the test.
        outside: list[str] = []

        def guard(route: Any) -> None:
            if route.request.url.startswith(server):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        tab = context.new_page()
        tab.on("pageerror", lambda exc: page_errors.append(str(exc)))
        tab.on(
            "console",
            lambda m: (
                page_problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None
            ),
        )
        tab.on(
            "response",
            lambda r: page_problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        tab.set_default_timeout(60_000)
        tab.goto(f"{server}/{query}")
        tab.wait_for_selector("body[data-ready='true']")
        opened.append((context, tab, outside))
        return tab

    yield open_
    SHOTS.mkdir(parents=True, exist_ok=True)
    for i, (context, tab, outside) in enumerate(opened):
        suffix = "" if i == 0 else f"-{i + 1}"
        tab.screenshot(path=str(SHOTS / f"{request.node.name}{suffix}.png"), full_page=True)
        context.close()
        assert outside == [], f"the page asked for files outside the app: {outside}"


@pytest.fixture
def page(open_page: Callable[..., Any]) -> Any:
    """The app's page at 1440x900, loaded and ready; a screenshot is saved when the test ends."""
    return open_page()
