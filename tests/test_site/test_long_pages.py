"""The long pages teach with pictures: a drawn diagram or a live view in every major section (issue 12)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT

LONG_PAGES = ["when-stateful.md", "tokens-vs-sessions.md", "operating.md"]
# A section that only lists references needs no picture.
WITHOUT_PICTURE = {"Sources"}
PICTURE = re.compile(r"^```(?:diagram|live)\n", re.MULTILINE)
SUBSECTION = re.compile(r"^### ", re.MULTILINE)


def major_sections(markdown: str) -> dict[str, str]:
    """Each `## ` heading of a page, with the text under it up to the next one."""
    parts = re.split(r"^## (.+)\n", markdown, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def picture_problems(markdown: str) -> list[str]:
    """Major sections without a picture, or whose first picture comes only after their first
    subsection, where the section has long moved on from introducing its idea."""
    problems = []
    for heading, body in major_sections(markdown).items():
        if heading in WITHOUT_PICTURE:
            continue
        picture, subsection = PICTURE.search(body), SUBSECTION.search(body)
        if picture is None:
            problems.append(f"'## {heading}' has no ```diagram or ```live block")
        elif subsection and subsection.start() < picture.start():
            problems.append(f"the first picture of '## {heading}' comes after its first subsection")
    return problems


@pytest.mark.parametrize("page", LONG_PAGES)
def test_every_major_section_shows_a_picture_where_it_introduces_its_idea(page: str) -> None:
    markdown = (ROOT / "docs" / page).read_text(encoding="utf-8")
    assert list(major_sections(markdown))[-1] == "Sources", f"{page} ends with its sources"
    assert picture_problems(markdown) == [], page


def test_the_checks_see_a_missing_or_late_picture() -> None:
    markdown = (
        "# Page\n\n## Drawn\n\n```diagram\nstateful.py\n```\n\n## Bare\n\nText.\n\n"
        "## Late\n\nText.\n\n### Detail\n\n```live\nsnippet: crash.py\n```\n\n## Sources\n"
    )
    assert picture_problems(markdown) == [
        "'## Bare' has no ```diagram or ```live block",
        "the first picture of '## Late' comes after its first subsection",
    ]
