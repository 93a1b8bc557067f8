"""The files a reader's browser needs to run Python, added to the site (on_files hook).

They sit beside the site's JavaScript bundle (assets/site/, see machinery/bundle.py), and
python-worker.js finds them relative to itself, so pages at any depth share them:

    assets/site/runnable.json     settings for python-worker.js: where Pyodide and the snippets are
    assets/site/python_runner.py  what a run means in Python, loaded into Pyodide
    assets/pyodide/               the npm `pyodide` package's runtime (unless pyodide_url is set)
    snippets/                     every snippets/*.py, importable by the reader's code
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from machinery import REPO, snippet_runs
from machinery.bundle import SITE_FOLDER
from machinery.runnable import Settings

# The part of the npm `pyodide` package a browser needs to run Python with the standard library.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
SITE_PYODIDE = "assets/pyodide/"
SITE_SNIPPETS = "snippets/"
RUNNER = Path(__file__).resolve().parent / "python_runner.py"


def add_runtime_files(files: Files, config) -> None:  # noqa: ANN001 - MkDocs' config object
    for site_path, source in runtime_sources():
        files.append(File.generated(config, site_path, abs_src_path=str(source)))
    files.append(File.generated(config, SITE_FOLDER + "runnable.json", content=json.dumps(worker_settings(), indent=1)))


def runtime_sources() -> list[tuple[str, Path]]:
    sources = [(SITE_FOLDER + RUNNER.name, RUNNER)]
    if not Settings.pyodide_url:
        pyodide = REPO / "node_modules" / "pyodide"
        sources += [(SITE_PYODIDE + name, require(pyodide / name)) for name in PYODIDE_FILES]
    sources += [(SITE_SNIPPETS + path.name, path) for path in snippet_files()]
    return sources


def require(path: Path) -> Path:
    if not path.is_file():
        raise PluginError(f"Pyodide is missing ({path.relative_to(REPO)}): run `make setup`")
    return path


def snippet_files() -> list[Path]:
    return sorted(snippet_runs.snippets_dir().glob("*.py"))


def worker_settings() -> dict[str, object]:
    """runnable.json, read by python-worker.js. URLs are relative to that file."""
    depth = SITE_FOLDER.count("/")
    return {
        "pyodide_url": Settings.pyodide_url or "../" * depth + SITE_PYODIDE,
        "snippets_url": "../" * depth + SITE_SNIPPETS,
        "snippets": [path.name for path in snippet_files()],
        "env": snippet_runs.PYTHON_ENV,
    }
