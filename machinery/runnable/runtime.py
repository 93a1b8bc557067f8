"""The files a reader's browser needs to run Python, added to the site (on_files hook).

They sit beside the site's JavaScript bundle (assets/site/, see machinery/bundle.py), and
python-worker.js finds them relative to itself, so pages at any depth share them:

    assets/site/runnable.json              settings for python-worker.js (below)
    assets/site/python_runner.py           what a run means in Python, loaded into Pyodide
    assets/site/on_demand.py               fetches a module the first time it is imported
    assets/site/python_stdlib_core.zip     the standard library the site's code imports (stdlib.py)
    assets/site/python_stdlib_rest/        the rest of it, a zip per top-level module, each
                                           fetched on the first import of one of its modules
    assets/pyodide/                        the npm `pyodide` package's runtime (unless pyodide_url is set)
    snippets/                              every snippets/*.py, each fetched when first imported

Pyodide's own python_stdlib.zip and pyodide-lock.json stay out: the core zip replaces the
one, and the worker hands loadPyodide a lock file without packages instead of the other
(the site installs none, and the real one is 26 KiB of names of packages on a CDN).
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from machinery import REPO, snippet_runs
from machinery.bundle import SITE_FOLDER
from machinery.runnable import Settings, stdlib

# The part of the npm `pyodide` package a browser needs to start Python.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
SITE_PYODIDE = "assets/pyodide/"
SITE_SNIPPETS = "snippets/"
HERE = Path(__file__).resolve().parent
PYTHON_FILES = (HERE / "python_runner.py", HERE / "on_demand.py")
CORE_ZIP = "python_stdlib_core.zip"
REST_FOLDER = "python_stdlib_rest/"


def add_runtime_files(files: Files, config) -> None:  # noqa: ANN001 - MkDocs' config object
    """Pyodide, the site's Python files and the snippets (on_files hook)."""
    for site_path, source in runtime_sources():
        files.append(File.generated(config, site_path, abs_src_path=str(source)))


def add_standard_library(files: Files, config) -> None:  # noqa: ANN001 - MkDocs' config object
    """The standard library's zips and runnable.json, which lists their modules (on_env hook:
    the last before files are copied, so that a cut being made ran while the pages rendered)."""
    library = stdlib.stdlib()
    files.append(File.generated(config, SITE_FOLDER + CORE_ZIP, content=library.core))
    for top, content in library.rest.items():
        files.append(File.generated(config, f"{SITE_FOLDER}{REST_FOLDER}{top}.zip", content=content))
    files.append(File.generated(config, SITE_FOLDER + "runnable.json", content=json.dumps(worker_settings(library), separators=(",", ":"))))


def runtime_sources() -> list[tuple[str, Path]]:
    sources = [(SITE_FOLDER + path.name, path) for path in PYTHON_FILES]
    if not Settings.pyodide_url:
        sources += [(SITE_PYODIDE + name, require(pyodide_package() / name)) for name in PYODIDE_FILES]
    sources += [(SITE_SNIPPETS + path.name, path) for path in snippet_files()]
    return sources


def pyodide_package() -> Path:
    return REPO / "node_modules" / "pyodide"


def require(path: Path) -> Path:
    if not path.is_file():
        raise PluginError(f"Pyodide is missing ({path.relative_to(REPO)}): run `make setup`")
    return path


def snippet_files() -> list[Path]:
    return sorted(snippet_runs.snippets_dir().glob("*.py"))


def empty_lock_file() -> dict:
    """Pyodide's lock file minus its packages: loadPyodide checks only that its ABI matches."""
    lock = json.loads(require(pyodide_package() / "pyodide-lock.json").read_text(encoding="utf-8"))
    return {"info": lock["info"], "packages": {}}


def worker_settings(library: stdlib.Stdlib) -> dict[str, object]:
    """runnable.json, read by python-worker.js. URLs are relative to that file."""
    depth = SITE_FOLDER.count("/")
    return {
        "pyodide_url": Settings.pyodide_url or "../" * depth + SITE_PYODIDE,
        "stdlib_url": CORE_ZIP,
        "lock_file": empty_lock_file(),
        "env": snippet_runs.PYTHON_ENV,
        "warm_imports": list(library.warm_imports),
        # For on_demand.py: what it may fetch, and from where.
        "on_demand": {
            "rest_url": REST_FOLDER,
            "rest_modules": list(library.rest_modules),
            "snippets_url": "../" * depth + SITE_SNIPPETS,
            "snippets": [path.name for path in snippet_files()],
        },
    }
