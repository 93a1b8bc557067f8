"""One error policy for every fence (machinery/fence.py): a mistake fails a strict build with
one message naming the page, the fence and the file and line; under `mkdocs serve` the page
shows the same message in a box and the server keeps answering every URL."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import build_site, copy_project

SNIPPET_THAT_RAISES = '''"""A simulation with a bug."""

# A long comment the error message must not quote: the source is not the message.

import buggy_helper


def simulate(servers=3):
    return buggy_helper.share(servers)


if __name__ == "__main__":
    simulate()
'''
HELPER_THAT_RAISES = "def share(servers):\n    return 1 / (servers - 3)\n"
SCRIPT_WITH_A_SYNTAX_ERROR = 'ALT = "x"\nCAPTION = "y"\n\ndef draw(servers: int = 3:\n    pass\n'

# (what the page holds, what the message must say): one broken input of each kind.
BROKEN = [
    ('```diagram servers="2-4"\nstateful.py\n```', "docs/glossary.md: diagram fence: the fence takes no options, got servers"),
    ("```runnable\nno_such_file.py\n```", "docs/glossary.md: runnable fence: there is no file snippets/no_such_file.py"),
    ("```diagram\nbroken_syntax.py\n```", "docs/glossary.md: diagram fence: diagrams/broken_syntax.py, line 4: SyntaxError"),
    ("```runnable\nraises.py\n```", "docs/glossary.md: runnable fence: `python snippets/raises.py` failed (exit code 1)"),
    ("```live\nsnippet: crash.py\nservers: 2-6\nviews:\n  statefull: stateful.py\n```",
     "docs/glossary.md: live fence: `views:` snippets/crash.py has no design 'statefull'"),
]


@pytest.fixture(scope="module")
def broken_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("broken") / "project")
    (project / "snippets" / "raises.py").write_text(SNIPPET_THAT_RAISES, encoding="utf-8")
    (project / "snippets" / "buggy_helper.py").write_text(HELPER_THAT_RAISES, encoding="utf-8")
    (project / "diagrams" / "broken_syntax.py").write_text(SCRIPT_WITH_A_SYNTAX_ERROR, encoding="utf-8")
    page = project / "docs" / "glossary.md"
    page.write_text(page.read_text(encoding="utf-8") + "".join(f"\n\n{body}\n" for body, _ in BROKEN), encoding="utf-8")
    return project


def test_each_broken_input_fails_the_strict_build_with_its_own_message(broken_project: Path, tmp_path: Path) -> None:
    result = build_site(tmp_path / "out", broken_project)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    for _, message in BROKEN:
        assert message in log, log
    # The snippet's traceback, with paths from the project root, and not its source.
    assert 'File "snippets/raises.py", line 9, in simulate' in log
    assert 'File "snippets/buggy_helper.py", line 2, in share' in log
    assert "ZeroDivisionError: division by zero" in log
    assert "A long comment" not in log
    assert str(broken_project) not in log
    assert "Traceback (most recent call last)" in log and len(log.splitlines()) < 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, timeout: float) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - 127.0.0.1 only
        return response.status, response.read().decode("utf-8")


@pytest.fixture(scope="module")
def served(broken_project: Path) -> Iterator[str]:
    """`mkdocs serve` on the broken project, once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
        cwd=broken_project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                fetch(url, timeout=5)
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("mkdocs serve did not answer within 120 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_under_serve_every_page_answers_quickly_and_shows_the_mistakes_in_place(served: str, nav_pages: list[tuple[str, str]]) -> None:
    for _, path in nav_pages:
        started = time.monotonic()
        status, _ = fetch(served + path, timeout=10)
        assert status == 200 and time.monotonic() - started < 5, path
    _, glossary = fetch(served + "glossary/", timeout=10)
    assert glossary.count('class="admonition failure fence-error"') == len(BROKEN)
    assert "Broken diagram fence" in glossary and "Broken live fence" in glossary and "Broken runnable fence" in glossary
