"""Nothing the built site loads comes from a host other than the site's own.

A static scan of every built HTML, CSS and JavaScript file, backed by a browser test
(test_pages_in_browser.py) that records the requests each page really makes.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

# Attributes through which a page makes the browser fetch something. Links (<a href>)
# are not in the list: a reader follows them only by clicking.
FETCHING_ATTRIBUTES = {
    "script": ["src"],
    "link": ["href"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "iframe": ["src"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "object": ["data"],
    "embed": ["src"],
    "image": ["href", "xlink:href"],
    "use": ["href", "xlink:href"],
}
ABSOLUTE_URL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])((?:https?:)?//[^'")\s]+)""", re.IGNORECASE)
JS_URL = re.compile(r"""https?://[A-Za-z0-9.-]+[^\s'"`)]*""")

# URLs that appear in bundled third-party JavaScript but are never requested on this
# site, each with the condition that keeps it dormant (checked below).
DORMANT_JS_URLS = {
    "http://www.w3.org/": "XML namespace names, not fetched",
    "https://unpkg.com/resize-observer-polyfill": "Material loads it only in browsers without ResizeObserver",
    "https://unpkg.com/mermaid": "Material loads it only for ```mermaid blocks, which the site does not use",
    "https://api.github.com/": "Material calls it only from data-md-component=\"source\", which the site's override removes",
    "https://bit.ly/2s3ChXG": "text of a console warning in Material's search worker",
    "https://cdn.jsdelivr.net/pyodide/": "Pyodide's package CDN, used only by loadPackage, which the widget never calls",
}
BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
LINE_COMMENT = re.compile(r"(^|[\s;{}])//[^\n]*")


class FetchingURLs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_css: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = FETCHING_ATTRIBUTES.get(tag, [])
        for name, value in attrs:
            if value and name in wanted:
                self.urls.extend(part.strip().split(" ")[0] for part in value.split(","))
            if name == "style" and value:
                self.inline_css.append(value)
        self._in_style = tag == "style"

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.inline_css.append(data)


def files_with_suffix(folder: Path, suffix: str) -> list[Path]:
    return sorted(path for path in folder.rglob(f"*{suffix}") if path.is_file())


def test_html_fetches_nothing_from_another_host(built_site: Path) -> None:
    offending = []
    for page in files_with_suffix(built_site, ".html"):
        parser = FetchingURLs()
        parser.feed(page.read_text(encoding="utf-8"))
        offending += [f"{page.relative_to(built_site)}: {url}" for url in parser.urls if ABSOLUTE_URL.match(url)]
        offending += [f"{page.relative_to(built_site)}: {url}" for css in parser.inline_css for url in CSS_URL.findall(css)]
    assert offending == []


def test_css_fetches_nothing_from_another_host(built_site: Path) -> None:
    offending = [
        f"{sheet.relative_to(built_site)}: {url}"
        for sheet in files_with_suffix(built_site, ".css")
        for url in CSS_URL.findall(sheet.read_text(encoding="utf-8"))
    ]
    assert offending == []


def without_comments(javascript: str) -> str:
    """Licence and documentation comments name many hosts; only code can fetch."""
    return LINE_COMMENT.sub(r"\1", BLOCK_COMMENT.sub("", javascript))


def test_javascript_names_no_host_except_dormant_ones(built_site: Path) -> None:
    scripts = files_with_suffix(built_site, ".js") + files_with_suffix(built_site, ".mjs")
    offending = [
        f"{script.relative_to(built_site)}: {url}"
        for script in scripts
        for url in JS_URL.findall(without_comments(script.read_text(encoding="utf-8", errors="replace")))
        if not url.startswith(tuple(DORMANT_JS_URLS))
    ]
    assert offending == []


def test_conditions_that_keep_bundled_urls_dormant_hold(built_site: Path) -> None:
    for page in files_with_suffix(built_site, ".html"):
        html = page.read_text(encoding="utf-8")
        assert 'class="mermaid"' not in html, page
        assert 'data-md-component="source"' not in html, page
        assert "fonts.googleapis" not in html, page
