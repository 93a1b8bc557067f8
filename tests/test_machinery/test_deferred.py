"""machinery/deferred.py: what a live block fetches when the reader comes near it."""

from __future__ import annotations

from pathlib import Path

from machinery import deferred


def test_a_file_is_named_by_its_content_and_written_once(tmp_path: Path) -> None:
    deferred.start_build()
    first = deferred.defer('{"designs": {}}', ".json")
    assert deferred.defer('{"designs": {}}', ".json") == first, "the same result on two pages is one file"
    other = deferred.defer('{"designs": {"a": 1}}', ".json")
    assert other != first and first.startswith("deferred/") and first.endswith(".json")
    deferred.write_files(str(tmp_path))
    written = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*.json"))
    assert written == sorted(f"assets/site/{name}" for name in (first, other))
    assert (tmp_path / "assets" / "site" / first).read_text(encoding="utf-8") == '{"designs": {}}'


def test_pictures_not_shown_leave_the_figure_for_files_of_their_own() -> None:
    deferred.start_build()
    figure = '<figure><div><svg id="a"/></div><div hidden><template><svg id="b"/></template></div></figure>'
    html = deferred.defer_inert(figure)
    name = deferred.defer('<svg id="b"/>', ".html")
    assert html == f'<figure><div><svg id="a"/></div><div hidden><template data-src="{name}"></template></div></figure>'


def test_a_new_build_starts_with_nothing_to_write(tmp_path: Path) -> None:
    deferred.defer("left from an earlier build", ".html")
    deferred.start_build()
    deferred.write_files(str(tmp_path))
    assert list(tmp_path.rglob("*.*")) == []
