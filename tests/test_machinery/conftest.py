"""Fixtures for the runnable-Python widget: the blocks of the built site, and a server for it
that makes Material's instant navigation work as it does on GitHub Pages."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import QuietHandler, run_snippet, serve_folder


@dataclass(frozen=True)
class Block:
    """One ```runnable block as the built page has it."""

    page: str  # URL path of the page, e.g. "practice/"
    file: str
    args: tuple[str, ...]
    time_limit: float
    build_output: str  # the text under the code, printed by CPython during the build


class BlockParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[dict] = []
        self._depth = 0  # <div> nesting inside the current block
        self._in_output = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "div" and "data-runnable-file" in attributes:
            self.blocks.append({**attributes, "output": ""})
            self._depth = 1
        elif tag == "div" and self._depth:
            self._depth += 1
            if attributes.get("class") == "runnable__output":
                self._in_output = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._depth:
            self._depth -= 1
            if self._depth == 1:
                self._in_output = False

    def handle_data(self, data: str) -> None:
        if self._in_output:
            self.blocks[-1]["output"] += data


def blocks_of_site(site: Path) -> list[Block]:
    found = []
    for html in sorted(site.rglob("index.html")):
        parser = BlockParser()
        parser.feed(html.read_text(encoding="utf-8"))
        page = html.parent.relative_to(site).as_posix()
        found += [
            Block(
                page="" if page == "." else page + "/",
                file=raw["data-runnable-file"],
                args=tuple(json.loads(raw["data-runnable-args"])),
                time_limit=float(raw["data-runnable-time-limit"]),
                build_output=raw["output"],
            )
            for raw in parser.blocks
        ]
    return found


LIVE_BLOCK = re.compile(
    r'<div class="live" data-live-snippet="([^"]+)" data-live-result="([^"]*)"[^>]*>(.*?)<div class="runnable"', re.DOTALL
)


DEFERRED_PICTURES = re.compile(r'<template data-src="([^"]+)"></template>')


def deferred_file(site: Path, name: str) -> str:
    """A file the page fetches when its block comes near (machinery/deferred.py)."""
    return (site / "assets" / "site" / unescape(name)).read_text(encoding="utf-8")


def live_blocks(site: Path) -> list[tuple[str, str, str, dict]]:
    """(page, snippet, HTML up to its runnable block, build result) of every live block;
    the HTML as it is once the block has fetched its pictures."""
    found = []
    for html in sorted(site.rglob("index.html")):
        for snippet, result, markup in LIVE_BLOCK.findall(html.read_text(encoding="utf-8")):
            fetched = DEFERRED_PICTURES.sub(lambda inert: f"<template>{deferred_file(site, inert.group(1))}</template>", markup)
            found.append((html.parent.relative_to(site).as_posix(), snippet, fetched, json.loads(deferred_file(site, result))))
    return found


def cpython_output(file: str, args: tuple[str, ...] = ()) -> str:
    """What `python snippets/<file> <args>` prints (stdout and stderr, as a terminal shows them)."""
    process = run_snippet(file, *args, merge_output=True)
    assert process.returncode == 0, process.stdout
    return process.stdout


@pytest.fixture(scope="session")
def expected_output() -> object:
    """cpython_output, memoised: several tests compare against the same runs."""
    return functools.cache(cpython_output)


@pytest.fixture(scope="session")
def runnable_blocks(built_site: Path) -> list[Block]:
    blocks = blocks_of_site(built_site)
    assert blocks, "no ```runnable block in the built site: the widget has nothing to test"
    return blocks


@pytest.fixture(scope="session")
def plain_page(built_site: Path, nav_pages: list[tuple[str, str]], runnable_blocks: list[Block]) -> str:
    """URL path of a page without any runnable block."""
    with_blocks = {block.page for block in runnable_blocks}
    plain = [url for _, url in nav_pages if url not in with_blocks]
    assert plain, "every page has a runnable block"
    return plain[0]


def sitemap_handler(base: type[QuietHandler], pages: list[str]) -> type[QuietHandler]:
    """Serves a sitemap.xml that lists every page at the server's own address.

    Material navigates instantly only to URLs listed in sitemap.xml. A local build has no
    site_url, so its sitemap is empty; the published site has one (SITE_URL is set).
    """

    class Handler(base):  # type: ignore[misc, valid-type]
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if self.path != "/sitemap.xml":
                super().do_GET()
                return
            host, port = self.server.server_address[:2]
            urls = "".join(f"<url><loc>http://{host}:{port}/{page}</loc></url>" for page in pages)
            body = f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body.encode())))
            self.end_headers()
            self.wfile.write(body.encode())

    return Handler


def navigate_instantly(page, url: str) -> None:
    """Click the sidebar's link to `url`, as a reader would, and wait until Material has put
    the new page in place of the old (the address changes first, the content a moment later)."""
    leaving = page.locator("article").element_handle()
    page.evaluate_handle("(url) => [...document.querySelectorAll('a.md-nav__link')].find((a) => a.href === url)", url).click()
    # Material's navigation.tracking may add the fragment of a heading scrolled past.
    page.wait_for_url(lambda address: address.split("#")[0] == url)
    page.wait_for_function("(article) => !article.isConnected", arg=leaving)


@pytest.fixture(scope="session")
def instant_site_url(built_site: Path, nav_pages: list[tuple[str, str]]) -> Iterator[str]:
    """The built site, served with a sitemap so instant navigation is on, as when published."""
    server, url = serve_folder(built_site)
    bound = server.RequestHandlerClass  # functools.partial(handler class, directory=...)
    pages = [page for _, page in nav_pages]
    server.RequestHandlerClass = functools.partial(sitemap_handler(bound.func, pages), *bound.args, **bound.keywords)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def isolated_site_url(built_site: Path) -> Iterator[str]:
    """The built site with the headers that make pages cross-origin isolated."""
    server, url = serve_folder(
        built_site,
        headers={"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"},
    )
    yield url
    server.shutdown()
