"""Figures in the prose come from the simulations when the site builds (machinery/figures.py)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import build_site, copy_project

SENTENCE = "Of {{ crash.py | parameters.users }} users, {{ crash.py | designs.stateful.totals.sessions_lost }} were logged out."


def add_to_page(project: Path, text: str) -> None:
    page = project / "docs" / "glossary.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n\n{text}\n", encoding="utf-8")


def built_sentence(project: Path, out: Path) -> str:
    result = build_site(out, project)
    assert result.returncode == 0, result.stderr
    html = (out / "glossary" / "index.html").read_text(encoding="utf-8")
    return re.search(r"Of [\d,]+ users, [\d,]+ were logged out\.", html).group(0)


def test_a_changed_default_changes_the_sentence(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    add_to_page(project, SENTENCE)
    before = built_sentence(project, tmp_path / "before")
    crash = project / "snippets" / "crash.py"
    source = crash.read_text(encoding="utf-8")
    users = re.search(r"^USERS = ([\d_]+)", source, re.MULTILINE)
    assert users, "crash.py sets USERS at the top"
    crash.write_text(source.replace(users.group(0), "USERS = 1_200"), encoding="utf-8")
    after = built_sentence(project, tmp_path / "after")
    assert before.startswith(f"Of {int(users.group(1)):,} users")
    assert after.startswith("Of 1,200 users") and after != before


def test_a_path_that_does_not_exist_fails_the_build_naming_page_and_path(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    add_to_page(project, "Lost: {{ crash.py --servers 5 | designs.stateful.totals.no_such_total }}.")
    result = build_site(tmp_path / "out", project)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "glossary.md" in log and "designs.stateful.totals.no_such_total" in log
