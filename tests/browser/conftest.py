"""Fixtures for the browser suite: the built site, a local static host, Chromium.

The site is built once per run (`built_site`, a strict build shared with the site
tests and every worker) and served by a plain static server on 127.0.0.1 under the
path of `site_url` (`/roadmap/`), as GitHub Pages serves it, so absolute links such
as the 404 page's are tried for real. Chromium is Debian's (/usr/bin/chromium),
driven headless by Playwright; the suite is skipped, with the reason, only when that
binary is missing.

Every page a test opens goes through `Reader`, which records what a reader would
notice or a privacy review would object to: console errors, uncaught exceptions,
failed requests, HTTP errors, and any request that leaves this machine (those are
blocked, not sent).
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
    sync_playwright,
)

from tests import site_builds

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1"}
LOCAL_SCHEMES = {"file", "data", "blob", "about"}
ACTION_TIMEOUT_MS = 10_000
# Every request to another host goes to a proxy on a closed local port, so it fails
# before it leaves the machine; requests to this machine bypass it. (Cheaper than
# intercepting every request in Python, which doubled the cost of a page load.)
NO_WAY_OUT = {"server": "http://127.0.0.1:9", "bypass": "127.0.0.1"}


def site_path() -> str:
    """The path part of mkdocs.yml's site_url ("/roadmap/"), or "/" without one."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    match = re.search(r"^site_url:\s*(\S+)", config, re.M)
    path = urlsplit(match.group(1)).path.strip("/") if match else ""
    return f"/{path}/" if path else "/"


# ----------------------------------------------------------------- the static host


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def site_url(
    built_site: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """Base URL of the built site on a local static server, e.g.
    http://127.0.0.1:PORT/roadmap/."""
    yield from serve(built_site, tmp_path_factory)


@pytest.fixture(scope="session")
def zensical_site_url(
    zensical_site: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """The same for the site Zensical built (`make build-zensical`)."""
    yield from serve(zensical_site, tmp_path_factory)


def serve(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve `site` under the path of site_url until the generator is closed."""
    prefix = site_path()
    root = site
    if prefix != "/":
        root = tmp_path_factory.mktemp("host")
        mount = root / prefix.strip("/")
        mount.parent.mkdir(parents=True, exist_ok=True)
        mount.symlink_to(site, target_is_directory=True)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def offline_site() -> Path:
    """The offline variant (`OFFLINE=true mkdocs build`), for reading from file://."""
    site = site_builds.wait("site-offline")
    if not (site / "search" / "search_index.js").is_file():
        pytest.fail(
            "OFFLINE=true built a site without search/search_index.js: mkdocs.yml "
            "needs the offline plugin switched by that variable "
            "(`- offline: {enabled: !ENV [OFFLINE, false]}` under plugins).",
            pytrace=False,
        )
    return site


# ----------------------------------------------------------------- the browser


@pytest.fixture(scope="package")  # its event loop must end with this package
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.skip(
            f"no Chromium at {CHROMIUM}: the browser suite drives Debian's Chromium "
            "(`apt-get install -y chromium`; `make test` installs it when run as root)"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            proxy=NO_WAY_OUT,
        )
        yield chromium
        chromium.close()


@dataclass
class Reader:
    """A browser tab plus everything that went wrong while it was open."""

    page: Page
    blocked_requests: list[str]
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [
            *(f"console error: {line}" for line in self.console_errors),
            *(f"failed request: {line}" for line in self.failed_requests),
            *(f"request to another host (blocked): {u}" for u in self.blocked_requests),
        ]

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "\n".join(problems)


def is_local(url: str) -> bool:
    """Whether a request stays on this machine: the local host, file:, data:, blob:."""
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS


@dataclass
class Browsing:
    """A fresh browser profile (empty storage) that never reaches another host:
    requests to anything but 127.0.0.1 or local files are recorded, and fail at the
    browser's proxy (see `NO_WAY_OUT`) without leaving the machine."""

    context: BrowserContext
    blocked_requests: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.context.on("request", self._record)

    def _record(self, request: Request) -> None:
        if not is_local(request.url):
            self.blocked_requests.append(request.url)

    def open(self) -> Reader:
        """A new tab that records problems (see the module docstring)."""
        page = self.context.new_page()
        page.set_default_timeout(ACTION_TIMEOUT_MS)
        reader = Reader(page, self.blocked_requests)

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                where = (message.location or {}).get("url", "")
                reader.console_errors.append(f"{message.text} ({where})")

        def on_request_failed(request: Request) -> None:
            # A request cut short by the next navigation is not a failure.
            if is_local(request.url) and request.failure != "net::ERR_ABORTED":
                reader.failed_requests.append(f"{request.url}: {request.failure}")

        def on_response(response: Response) -> None:
            if response.status >= 400:
                reader.failed_requests.append(f"{response.url}: HTTP {response.status}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: reader.console_errors.append(str(error)))
        page.on("requestfailed", on_request_failed)
        page.on("response", on_response)
        return reader


@pytest.fixture
def new_browsing(browser: Browser) -> Iterator[Callable[..., Browsing]]:
    """Make a Browsing with Playwright context options (permissions, colour scheme)."""
    contexts: list[BrowserContext] = []

    def make(**options) -> Browsing:
        context = browser.new_context(**options)
        contexts.append(context)
        return Browsing(context)

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def reader(new_browsing: Callable[..., Browsing]) -> Reader:
    """One tab in a fresh profile."""
    return new_browsing().open()
