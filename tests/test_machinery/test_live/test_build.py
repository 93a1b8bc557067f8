"""The ```live fence at build time: the pictures, the controls and the build's own result."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import build_site, copy_project
from tests.test_machinery.conftest import cpython_output, live_blocks


def test_every_live_block_carries_what_its_snippet_printed_with_json(built_site: Path) -> None:
    blocks = live_blocks(built_site)
    assert {snippet for _, snippet, _, _ in blocks} >= {"crash.py", "scale_out.py", "rolling_deploy.py"}
    for page, snippet, _, result in blocks:
        assert result == json.loads(cpython_output(snippet, ("--json",))), (page, snippet)


def test_each_view_has_a_picture_per_server_count_and_the_controls_start_at_the_snippets_values(built_site: Path) -> None:
    for page, snippet, markup, result in live_blocks(built_site):
        views = re.findall(r'<div class="live__view" data-live-view="([^"]+)"', markup)
        assert views and set(views) <= set(result["designs"]), (page, snippet)
        for view in views:
            figure = markup.split(f'data-live-view="{view}"', 1)[1].split("</figure>", 1)[0]
            counts = [int(n) for n in re.findall(r'class="diagram-variant" data-servers="(\d+)"', figure)]
            assert result["designs"][view]["diagram_servers"] in counts
            assert counts == list(range(counts[0], counts[-1] + 1)) and len(counts) > 1
        for constant, value in re.findall(r'data-live-constant="([^"]+)" min="\d+" max="\d+" step="\d+" value="(\d+)"', markup):
            assert result["parameters"][constant.lower()] == int(value)


def test_the_page_holds_neither_the_result_nor_the_pictures_not_shown_yet(built_site: Path) -> None:
    """Both are files fetched when the block comes near (machinery/deferred.py); every icon
    those pictures draw is in the page's one sprite."""
    for page in ("stateful", "operating"):
        html = (built_site / page / "index.html").read_text(encoding="utf-8")
        names = re.findall(r'data-live-result="(deferred/[0-9a-f]{20}\.json)"', html)
        assert names, page
        assert not re.search(r"<template>", html), f"{page}: a picture not shown is still in the page"
        symbols = set(re.findall(r'<symbol id="([^"]+)"', html))
        for _, _, markup, _ in (block for block in live_blocks(built_site) if block[0] == page):
            assert set(re.findall(r'xlink:href="#([^"]+)"', markup)) <= symbols, page
            assert "diagram-icons" not in markup.split("<template>", 1)[-1], f"{page}: a fetched picture brings its own icons"


def test_the_page_carries_each_icon_once(built_site: Path) -> None:
    html = (built_site / "stateful" / "index.html").read_text(encoding="utf-8")
    symbols = re.findall(r'<symbol id="([^"]+)"', html)
    assert len(re.findall(r'class="diagram-icons"', html)) == 1
    assert symbols and len(symbols) == len(set(symbols))
    # Every icon is drawn somewhere: in the page, or in a picture it fetches when shown.
    fetched = "".join(markup for page, _, markup, _ in live_blocks(built_site) if page == "stateful")
    assert set(re.findall(r'xlink:href="#([^"]+)"', html + fetched)) == set(symbols)


def add_live_block(project: Path, body: str) -> None:
    page = project / "docs" / "glossary.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n\n```live\n{body}\n```\n", encoding="utf-8")


GOOD = "snippet: crash.py\nservers: 2-6\nviews:\n  stateful: stateful.py\n"


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        (GOOD.replace("stateful: stateful.py", "sticky: stateful.py"), "snippets/crash.py has no design 'sticky'"),
        (GOOD + "controls:\n  racks: {label: Racks, min: 1, max: 3}\n", "snippets/crash.py has no parameter racks"),
        (GOOD + "controls:\n  servers: {label: Servers, min: 5, max: 6}\n", "the snippet's value 4 is outside 5-6"),
        (GOOD.replace("2-6", "5-6"), "needs a picture of 4 servers"),
        (GOOD + "colour: red\n", "unknown key(s) colour"),
        (GOOD.replace("2-6", "0-20"), "`servers:` servers '0-20' must lie within 1-12"),
        ("snippet: crash.py\nviews: [stateful", "not valid YAML"),
        (GOOD + 'args: "--servers 1"\n', "`python snippets/crash.py --servers 1 --json` failed"),
    ],
)
def test_a_broken_live_block_fails_the_build_and_says_why(tmp_path: Path, body: str, complaint: str) -> None:
    project = copy_project(tmp_path / "project")
    add_live_block(project, body)
    result = build_site(tmp_path / "out", project)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "docs/glossary.md: live fence: " in log and complaint in log, log
