"""Pages with runnable Python weigh about what plain pages weigh (issue 13).

- The search index, which every page fetches, carries the prose, not the snippets' code or
  their output: at most 1.3x the index of a plain Material build of the same docs
  (tests/site_variants.py), per word of prose.
- Each page's HTML holds at most 1.5x the elements it would without its runnable blocks:
  no highlighted source that the editor replaces.

benchmarks/page_weight.py measures the same in a browser, after the scripts have run.
"""

from __future__ import annotations

import json
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import ROOT, build_site
from tests.site_variants import plain_project, prose_words

INDEX_PER_WORD_LIMIT = 1.3
DOM_LIMIT = 1.5
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = plain_project(tmp_path_factory.mktemp("plain"))
    result = build_site(project / "site", project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def index_bytes_per_word(site: Path, docs: Path) -> float:
    return (site / "search" / "search_index.json").stat().st_size / prose_words(docs)


def test_the_search_index_is_prose_about_as_heavy_as_a_plain_sites(built_site: Path, plain_site: Path) -> None:
    ours = index_bytes_per_word(built_site, ROOT / "docs")
    plain = index_bytes_per_word(plain_site, plain_site.parent / "docs")
    assert ours <= INDEX_PER_WORD_LIMIT * plain, f"{ours:.2f} bytes per word of prose, plain {plain:.2f}"


def index_text(site: Path) -> str:
    entries = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    return "\n".join(entry["text"] for entry in entries)


def opening_lines(text: str) -> str:
    """A text's first three non-blank lines, as the index keeps a <pre>: too long to be prose by chance."""
    return escape("\n".join([line for line in text.splitlines() if line.strip()][:3]), quote=False)


def test_the_search_index_holds_no_snippet_and_no_output(built_site: Path, plain_site: Path, runnable_blocks) -> None:
    """Save what the prose itself quotes, which a plain site's index has too."""
    ours, plain = index_text(built_site), index_text(plain_site)
    code = [path.read_text(encoding="utf-8") for path in (ROOT / "snippets").glob("*.py")]
    outputs = [block.build_output for block in runnable_blocks]
    found = [opening_lines(text) for text in code + outputs if opening_lines(text) in ours and opening_lines(text) not in plain]
    assert found == []


class ElementCounter(HTMLParser):
    """Counts a page's elements, and those inside its runnable blocks (div.runnable)."""

    def __init__(self) -> None:
        super().__init__()
        self.total = 0
        self.in_blocks = 0
        self._open: list[bool] = []  # for each open element: does it start a runnable block?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        inside = any(self._open)
        starts_block = not inside and tag == "div" and "runnable" in (dict(attrs).get("class") or "").split()
        self.total += 1
        self.in_blocks += inside or starts_block
        if tag not in VOID_ELEMENTS:
            self._open.append(starts_block)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.total += 1
        self.in_blocks += any(self._open)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_ELEMENTS and self._open:
            self._open.pop()


def test_runnable_blocks_add_at_most_half_a_pages_elements(built_site: Path, runnable_blocks) -> None:
    pages = sorted({block.page for block in runnable_blocks})
    for page in pages:
        counter = ElementCounter()
        counter.feed((built_site / page / "index.html").read_text(encoding="utf-8"))
        assert counter.in_blocks > 0, page
        without = counter.total - counter.in_blocks
        assert counter.total <= DOM_LIMIT * without, f"/{page}: {counter.total} elements, {without} without its runnable blocks"
