"""python_runner.py, the Python half of the worker, under CPython: no browser needed."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

RUNNER_PATH = ROOT / "machinery" / "runnable" / "python_runner.py"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """The runner module with two snippets installed in a temporary folder."""
    spec = importlib.util.spec_from_file_location("python_runner_under_test", RUNNER_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    folder = str(tmp_path / "snippets")
    module.install_snippets(
        json.dumps({"helper.py": "COUNT = [0]\ndef bump():\n    COUNT[0] += 1\n    return COUNT[0]\n", "other.py": "x = 1\n"}),
        folder,
    )
    module.run_in = lambda code, filename="demo.py", args=(): json.loads(
        module.run_request(json.dumps({"code": code, "filename": filename, "args": list(args)}), folder)
    )
    yield module
    for name in ("helper", "other"):
        sys.modules.pop(name, None)


def test_code_runs_as_main_with_argv_and_sibling_snippets_importable(runner, capsys) -> None:
    outcome = runner.run_in(
        "import sys, helper\nprint(__name__, sys.argv, helper.bump())\nresult = {'n': 2}\n", args=["--servers", "5"]
    )
    assert outcome == {"status": "done", "traceback": "", "exit_code": 0, "result_json": '{"n": 2}'}
    assert capsys.readouterr().out == "__main__ ['demo.py', '--servers', '5'] 1\n"


def test_every_run_imports_snippets_afresh_like_a_new_process(runner, capsys) -> None:
    runner.run_in("import helper\nprint(helper.bump())")
    runner.run_in("import helper\nprint(helper.bump())")
    assert capsys.readouterr().out == "1\n1\n"


def test_a_traceback_starts_at_the_readers_code_and_quotes_the_edited_lines(runner) -> None:
    outcome = runner.run_in("import other\n\ndef boom():\n    raise ValueError('boom')\n\nboom()\n", filename="other.py")
    assert outcome["status"] == "error" and outcome["exit_code"] == 1
    lines = outcome["traceback"].splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[1].strip() == 'File "other.py", line 6, in <module>'
    assert "boom()" in lines[2]  # the edited code, not the file of the same name
    assert lines[-1] == "ValueError: boom"
    assert "python_runner" not in outcome["traceback"]


def test_a_syntax_error_shows_only_its_location(runner) -> None:
    outcome = runner.run_in("print('ok')\ndef broken(:\n    pass\n")
    assert outcome["status"] == "error"
    assert outcome["traceback"].startswith('  File "demo.py", line 2')
    assert "SyntaxError" in outcome["traceback"]
    assert "Traceback" not in outcome["traceback"]


@pytest.mark.parametrize(
    ("code", "status", "exit_code", "stderr"),
    [
        ("import sys; sys.exit()", "done", 0, ""),
        ("import sys; sys.exit(3)", "error", 3, ""),
        ("import sys; sys.exit('bad input')", "error", 1, "bad input\n"),
        ("raise KeyboardInterrupt", "stopped", 130, ""),
    ],
)
def test_exits_and_interrupts_end_like_cpython(runner, capsys, code: str, status: str, exit_code: int, stderr: str) -> None:
    outcome = runner.run_in(code)
    assert (outcome["status"], outcome["exit_code"]) == (status, exit_code)
    assert capsys.readouterr().err == stderr


@pytest.mark.parametrize("value", ["object()", "float('nan')", "{1, 2}"])
def test_a_result_that_is_not_json_is_left_out(runner, value: str) -> None:
    assert "result_json" not in runner.run_in(f"result = {value}")


def test_main_module_is_restored_after_the_run(runner) -> None:
    main_before = sys.modules["__main__"]
    runner.run_in("import __main__\nassert __main__.__file__ == 'demo.py'")
    assert sys.modules["__main__"] is main_before
