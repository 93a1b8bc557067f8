"""The site builds strictly, every nav page renders, and broken links fail the build."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import ROOT, build_site, copy_project


class HeadingParser(HTMLParser):
    """Collects the <title> and the text of h1/h2 headings inside the article."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.headings: dict[str, list[str]] = {"h1": [], "h2": []}
        self._current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"title", "h1", "h2"}:
            self._current = tag
            if tag != "title":
                self.headings[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._current:
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current == "title":
            self.title += data
        elif self._current in self.headings:
            self.headings[self._current][-1] += data


def parse_page(built_site: Path, url: str) -> HeadingParser:
    parser = HeadingParser()
    parser.feed((built_site / url / "index.html").read_text(encoding="utf-8"))
    return parser


def test_every_nav_page_renders_with_its_title_and_headings(built_site: Path, nav_pages: list[tuple[str, str]]) -> None:
    assert len(nav_pages) == len(list((ROOT / "docs").glob("*.md"))), "every page is in the nav"
    for title, url in nav_pages:
        page = parse_page(built_site, url)
        # Material titles the home page with the site name alone.
        assert page.title.startswith(title if url else "Stateful vs Stateless Servers"), url
        assert [h.strip(" ¶") for h in page.headings["h1"]] == [title], url
        assert len(page.headings["h2"]) >= 2, f"{url} has fewer than two sections"


def test_pages_are_complete_articles(built_site: Path, nav_pages: list[tuple[str, str]]) -> None:
    for _, url in nav_pages:
        text = (built_site / url / "index.html").read_text(encoding="utf-8").lower()
        for marker in ("coming soon", "lorem ipsum", "todo", "tbd"):
            assert f" {marker} " not in text and f">{marker}<" not in text, f"{url} contains {marker!r}"


class SourcesParser(HTMLParser):
    """The last h2 of the article, and the links of its footnotes."""

    def __init__(self) -> None:
        super().__init__()
        self.last_h2 = ""
        self.footnote_links: list[str] = []
        self._in_h2 = False
        self._footnotes_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "h2":
            self._in_h2, self.last_h2 = True, ""
        if tag == "div" and "footnote" in (attributes.get("class") or "").split():
            self._footnotes_depth = 1
        elif tag == "div" and self._footnotes_depth:
            self._footnotes_depth += 1
        if tag == "a" and self._footnotes_depth and (attributes.get("href") or "").startswith("http"):
            self.footnote_links.append(attributes["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_h2 = False
        if tag == "div" and self._footnotes_depth:
            self._footnotes_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self.last_h2 += data


def test_every_page_ends_with_its_sources(built_site: Path, nav_pages: list[tuple[str, str]]) -> None:
    for _, url in nav_pages:
        parser = SourcesParser()
        parser.feed((built_site / url / "index.html").read_text(encoding="utf-8"))
        assert parser.last_h2.strip(" ¶") == "Sources", f"{url} does not end with its sources"
        assert parser.footnote_links, f"{url} cites no source"
        assert all(link.startswith("https://") for link in parser.footnote_links), url


def test_site_and_repo_urls_come_from_the_environment(tmp_path: Path) -> None:
    os.environ["SITE_URL"] = "https://example.github.io/sessions/"
    os.environ["REPO_URL"] = "https://github.com/example/sessions"
    try:
        result = build_site(tmp_path)
    finally:
        del os.environ["SITE_URL"], os.environ["REPO_URL"]
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "stateful" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.github.io/sessions/stateful/">' in html
    assert 'href="https://github.com/example/sessions"' in html
    # The repository link must not make every page call the GitHub API.
    assert 'data-md-component="source"' not in html


@pytest.mark.parametrize(
    ("link", "complaint"),
    [
        ("[gone](no-such-page.md)", "no-such-page.md"),
        ("[gone](stateless.md#no-such-heading)", "no-such-heading"),
    ],
)
def test_a_broken_link_fails_the_build_and_names_the_page(tmp_path: Path, link: str, complaint: str) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "glossary.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n\nSee {link}.\n", encoding="utf-8")
    result = build_site(tmp_path / "out", project)
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "glossary.md" in log and complaint in log
