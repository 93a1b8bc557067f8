"""Runs a reader's edited snippet inside Pyodide the way `python snippets/<file>` runs it.

python-worker.js loads this file into Pyodide and calls two functions, with JSON in and
JSON out so the worker's JavaScript only moves messages and never interprets Python data:

- install_snippets(files_json): writes every snippets/*.py into one folder on sys.path,
  so a snippet imports its siblings exactly as under pytest or `python snippets/x.py`.
- run_request(request_json): runs the edited code as __main__ and reports how it ended.

It is plain Python with no Pyodide import, so the test suite also runs it under CPython.
"""

from __future__ import annotations

import builtins
import contextlib
import json
import linecache
import os
import sys
import traceback
import types

# Pyodide's working directory is its home; snippets live under it as they live under the
# project root, so a relative path such as "snippets/x.py" means the same in both places.
SNIPPETS_DIR = os.path.join(os.path.expanduser("~"), "snippets")


def install_snippets(files_json: str, folder: str = SNIPPETS_DIR) -> None:
    """Write {file name: source} into `folder` and put that folder first on sys.path."""
    os.makedirs(folder, exist_ok=True)
    for name, source in json.loads(files_json).items():
        with open(os.path.join(folder, name), "w", encoding="utf-8") as file:
            file.write(source)
    if folder not in sys.path:
        sys.path.insert(0, folder)


def run_request(request_json: str, folder: str = SNIPPETS_DIR) -> str:
    """Run {code, filename, args} as __main__; return {status, traceback, exit_code, hint?, restart?, result?}.

    status is "done" (finished, exit code 0), "error" (an exception or a non-zero exit)
    or "stopped" (KeyboardInterrupt: the page's Stop button or time limit). hint explains
    an error a reader may not expect in a page; restart asks for a fresh interpreter.
    """
    request = json.loads(request_json)
    module = fresh_main_module(request["filename"])
    outcome = run_as_main(request["code"], request["filename"], request.get("args", []), module, folder)
    result_json = json_result(module)
    if result_json is not None:
        outcome["result_json"] = result_json
    return json.dumps(outcome)


def fresh_main_module(filename: str) -> types.ModuleType:
    module = types.ModuleType("__main__")
    module.__file__ = filename
    module.__builtins__ = {**vars(builtins), "input": no_input}
    return module


def no_input(prompt: object = "") -> str:
    """input() for a page: nobody can type into a Web Worker, so say so instead of waiting."""
    print(prompt, end="", flush=True)
    raise EOFError("input() cannot read here: this Python runs inside the page, with no keyboard. Set the value in the code instead.")


def run_as_main(code: str, filename: str, args: list[str], module: types.ModuleType, folder: str) -> dict:
    forget_imported_snippets(folder)
    remember_source(filename, code)
    previous_main = sys.modules.get("__main__")
    sys.argv = [filename, *args]
    sys.modules["__main__"] = module  # pickle, dataclasses and `import __main__` look here
    try:
        exec(compile(code, filename, "exec"), module.__dict__)  # noqa: S102 - running the reader's code is the point
    except KeyboardInterrupt:
        return {"status": "stopped", "traceback": "", "exit_code": 130}
    except SystemExit as exit_request:
        return exit_outcome(exit_request)
    except BaseException as error:  # noqa: BLE001 - every failure is reported to the reader
        return {"status": "error", "traceback": readable_traceback(error, filename), "exit_code": 1, **explanation(error)}
    finally:
        if previous_main is not None:
            sys.modules["__main__"] = previous_main
        flush_standard_streams()
    return {"status": "done", "traceback": "", "exit_code": 0}


def forget_imported_snippets(folder: str) -> None:
    """Each run starts like a new process: snippets imported by the last run import afresh."""
    for name, module in list(sys.modules.items()):
        if (getattr(module, "__file__", None) or "").startswith(folder + os.sep):
            del sys.modules[name]


def remember_source(filename: str, code: str) -> None:
    """Tracebacks must quote the edited code, not the file of the same name on sys.path.

    linecache never revalidates an entry whose modification time is None.
    """
    linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)


def exit_outcome(exit_request: SystemExit) -> dict:
    """Mirror how CPython ends on sys.exit(): a message goes to stderr and means code 1."""
    code = exit_request.code
    if code is None or code == 0:
        return {"status": "done", "traceback": "", "exit_code": 0}
    if isinstance(code, int):
        return {"status": "error", "traceback": "", "exit_code": code}
    print(code, file=sys.stderr)
    return {"status": "error", "traceback": "", "exit_code": 1}


def explanation(error: BaseException) -> dict:
    """A hint for the errors a page's Python raises where a terminal's would not, or that
    surprise a reader; `restart` when the interpreter should be replaced.

    WebAssembly memory can grow but never shrink, so after a MemoryError a fresh
    interpreter is the only way to give the memory back. The 32-bit address space also
    refuses any single object over 2 GB (an OverflowError, where CPython would try).
    """
    if isinstance(error, MemoryError) or (isinstance(error, OverflowError) and "index-sized" in str(error)):
        return {
            "hint": "The program asked for more memory than Python in a web page can have (at most 4 GB in all, "
            "2 GB for one object). Python was restarted, so the next run starts with its memory free.",
            "restart": True,
        }
    if isinstance(error, RecursionError):
        return {"hint": f"A function kept calling itself until Python stopped it at {sys.getrecursionlimit():,} nested calls."}
    missing = (getattr(error, "name", None) or "").split(".")[0]
    if isinstance(error, ModuleNotFoundError) and missing and missing not in sys.stdlib_module_names:
        return {
            "hint": f"{missing} is not available here: Python in this page works offline, with the standard library "
            "and the site's own simulations only."
        }
    return {}


def readable_traceback(error: BaseException, filename: str) -> str:
    """The traceback CPython would print, starting at the reader's code.

    Frames before the first frame of `filename` belong to this runner (and, above it, to
    Pyodide), which would only distract. A SyntaxError has no frame of the reader's code
    at all: it is reported with just its location and caret, as CPython does.
    """
    frames = error.__traceback__
    while frames is not None and frames.tb_frame.f_code.co_filename != filename:
        frames = frames.tb_next
    return "".join(traceback.format_exception(type(error), error, frames))


def flush_standard_streams() -> None:
    """Send a last line printed without a newline before the worker reports the end."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a stream the reader's code closed
            stream.flush()


def json_result(module: types.ModuleType) -> str | None:
    """The global `result` as JSON, for live diagrams on the page; None if absent or not JSON."""
    if "result" not in module.__dict__:
        return None
    try:
        return json.dumps(module.__dict__["result"], allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return None
