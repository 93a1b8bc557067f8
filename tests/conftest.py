"""Fixtures shared by the whole suite: the built site, a local server for it, and a browser.

The site is built once per test session into a temporary folder and served from
127.0.0.1, so browser tests see exactly what GitHub Pages would serve.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlparse

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.nav import get_navigation

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium keeps trying to reach Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def build_site(destination: Path, project: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run a strict MkDocs build of `project` (by default this one) into `destination`.

    It runs from the project's folder, so a copy of the project builds with its own machinery.
    """
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(destination)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def run_snippet(file: str, *args: str, merge_output: bool = False) -> subprocess.CompletedProcess[str]:
    """`python snippets/<file> <args>` from the project root, as a reader types it, with the
    interpreter settings the build uses. merge_output: stderr goes into stdout, as a terminal
    (and the page) shows them."""
    from machinery import snippet_runs

    return subprocess.run(
        [sys.executable, f"snippets/{file}", *args],
        cwd=ROOT,
        env={**os.environ, **snippet_runs.PYTHON_ENV, **snippet_runs.BUILD_ONLY_ENV},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merge_output else subprocess.PIPE,
        text=True,
        encoding="utf-8",
        check=False,
    )


def copy_project(destination: Path) -> Path:
    """A throwaway copy of the project sources, for builds that are meant to fail."""
    ignore = shutil.ignore_patterns(".venv", "node_modules", "site", "build", ".git", "__pycache__", ".pytest_cache")
    shutil.copytree(ROOT, destination, ignore=ignore)
    for shared in ("node_modules", "build"):
        if (ROOT / shared).exists():
            (destination / shared).symlink_to(ROOT / shared)
    return destination


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    destination = tmp_path_factory.mktemp("site")
    result = build_site(destination)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}")
    return destination


@pytest.fixture(scope="session")
def nav_pages() -> list[tuple[str, str]]:
    """(title, URL path) of every page in the nav, in nav order."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    navigation = get_navigation(get_files(config), config)
    return [(page.title, page.url) for page in navigation.pages]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extra_headers: ClassVar[dict[str, str]] = {}

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve_folder(folder: Path, headers: dict[str, str] | None = None) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = type("Handler", (QuietHandler,), {"extra_headers": headers or {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """Base URL of the built site, served like a static host (no special headers)."""
    server, url = serve_folder(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class RequestLog:
    """Every URL a page asked for, so a test can check none left 127.0.0.1."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def record(self, request: object) -> None:
        self.urls.append(request.url)  # type: ignore[attr-defined]

    def external(self) -> list[str]:
        return [url for url in self.urls if not is_local(url)]


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in {"data", "blob", "about", "chrome-error"}:
        return True
    return parsed.hostname == "127.0.0.1"


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser page whose requests are recorded in `page.request_log`, and its
    uncaught JavaScript errors in `page.errors`."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    log = RequestLog()
    context.on("request", log.record)
    page.request_log = log
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(f"{page.url}: {error}"))
    yield page
    context.close()


# Every diagram script, for the tests of the scripts (tests/test_diagrams) and of the
# renderer (tests/test_machinery/test_diagram), which both run over all of them.


def diagram_scripts() -> list[str]:
    from machinery.diagram import scripts

    return [path.name for path in scripts.script_files(ROOT / "diagrams")]


@pytest.fixture(scope="module", params=diagram_scripts())
def script(request: pytest.FixtureRequest) -> object:
    from machinery.diagram import scripts

    return scripts.load_script(ROOT / "diagrams" / request.param)


@pytest.fixture(scope="module")
def variants(script: object) -> dict[int, str]:
    """Every server count a reader may pick, as the standalone SVG `make diagrams` writes."""
    from machinery.diagram import figure
    from tests.test_diagrams.ids import SERVER_COUNTS

    return {count: figure.render_standalone(script, count) for count in SERVER_COUNTS}
