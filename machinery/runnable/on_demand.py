"""Modules the reader's Python downloads the first time it imports them.

python-worker.js loads this file into Pyodide and calls install(). The site ships Pyodide
with a standard library cut down to what its own code imports (machinery/runnable/stdlib.py);
the rest of the library waits on the server, one zip per top-level module, and the snippets
of snippets/ wait there too, so a page fetches only those its code imports. A finder placed
last on sys.meta_path, so it is asked only once every other finder has failed, fetches:

- for a module of the rest of the standard library: the zip of its top-level module, once;
  the module, and any other of that zip, is then imported from it as from any zip;
- for a snippet: its file, written into the snippets folder beside the others, where
  python_runner.py finds (and forgets) it like a file that was always there.

Fetching is synchronous (a Web Worker may block) and done by the `download(url, path)`
function the worker passes in, so this is plain Python, which the tests run under CPython.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Callable, Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

# Where the zips of the rest of the standard library land in Pyodide's file system.
REST_FOLDER = "/lib/python_stdlib_rest"

Download = Callable[[str, str], object]  # (url, path): write what url holds to path, or raise


class OnDemandFinder(importlib.abc.MetaPathFinder):
    def __init__(self, download: Download, settings: dict, snippets_folder: str, rest_folder: str = REST_FOLDER) -> None:
        self.download = download
        self.rest_url = settings["rest_url"]
        self.rest_modules = frozenset(settings["rest_modules"])
        self.snippets_url = settings["snippets_url"]
        self.snippets = frozenset(settings["snippets"])
        self.snippets_folder = snippets_folder
        self.rest_folder = rest_folder
        self.rest_fetched: set[str] = set()  # top-level modules whose zip is here

    def find_spec(self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None) -> ModuleSpec | None:  # noqa: ARG002 - the finder protocol
        if fullname in self.rest_modules:
            return self.spec_from_rest(fullname)
        if path is None and f"{fullname}.py" in self.snippets:
            return self.spec_from_snippet(fullname)
        return None

    def spec_from_rest(self, fullname: str) -> ModuleSpec | None:
        top = fullname.partition(".")[0]
        archive = f"{self.rest_folder}/{top}.zip"  # paths in Pyodide's file system, and in a zip, are POSIX paths
        if top not in self.rest_fetched:
            Path(self.rest_folder).mkdir(parents=True, exist_ok=True)
            self.fetch(f"{self.rest_url}{top}.zip", archive, fullname, "part of Python's standard library")
            self.rest_fetched.add(top)
        # A module of a package (whose __init__ may be in the core) lives in the zip's folder
        # of that package: zipimport reads "archive.zip/package" as that folder.
        package = fullname.rpartition(".")[0]
        location = f"{archive}/{package.replace('.', '/')}" if package else archive
        return importlib.machinery.PathFinder.find_spec(fullname, [location])

    def spec_from_snippet(self, fullname: str) -> ModuleSpec | None:
        # The path finder may have listed the folder before the file was in it, and may not
        # look again: the spec comes from the file itself, fetched once.
        # (Not importlib.invalidate_caches(): it imports importlib.metadata, and email with it.)
        file = f"{fullname}.py"
        path = f"{self.snippets_folder}/{file}"
        if not Path(path).is_file():
            self.fetch(self.snippets_url + file, path, fullname, "one of the site's simulations")
        return importlib.util.spec_from_file_location(fullname, path)

    def fetch(self, url: str, path: str, fullname: str, what: str) -> None:
        try:
            self.download(url, path)
        except Exception as problem:  # noqa: BLE001 - whatever broke the download, the import fails with its reason
            raise ModuleNotFoundError(f"No module named {fullname!r}: it is {what}, but it could not be downloaded ({problem})",
                                      name=fullname) from None


def install(download: Download, settings: dict, snippets_folder: str, rest_folder: str = REST_FOLDER) -> OnDemandFinder:
    """Put the finder last on sys.meta_path. settings: rest_url, rest_modules, snippets_url, snippets."""
    finder = OnDemandFinder(download, settings, snippets_folder, rest_folder)
    sys.meta_path.append(finder)
    return finder
