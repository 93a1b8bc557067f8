"""The reader's standard library (stdlib.py) and what Python fetches on first import
(on_demand.py), under CPython with a small made-up library: no browser, no Node."""

from __future__ import annotations

import importlib
import io
import shutil
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from machinery import fence
from machinery.runnable import on_demand, stdlib

# A made-up standard library, named so as not to meet a real module.
LIBRARY = {
    "odcore.py": "VALUE = 'core'\n",
    "odpkg/__init__.py": "NAME = 'odpkg'\n",
    "odpkg/extra.py": "from odpkg import NAME\nVALUE = NAME + '.extra'\n",
    "odmod.py": "import odpkg.extra\nVALUE = 'rest, with ' + odpkg.extra.VALUE\n",
    "odpkg/notes.txt": "data, not a module\n",
    "site-packages/README.txt": "nothing to import\n",
}
IMPORTED = ("odcore.py", "odpkg/__init__.py")  # what the site's code imports: the core
SNIPPETS = {"odsnippet.py": "VALUE = 'snippet'\n"}


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def names(data: bytes) -> list[str]:
    return sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())


def test_the_core_holds_what_is_imported_and_the_rest_comes_by_top_level_module() -> None:
    library = stdlib.split(zip_of(LIBRARY), IMPORTED)
    assert names(library.core) == sorted(IMPORTED)
    assert {top: names(data) for top, data in library.rest.items()} == {
        "odpkg": ["odpkg/extra.py", "odpkg/notes.txt"],
        "odmod": ["odmod.py"],
    }
    assert library.rest_modules == ("odmod", "odpkg.extra")
    assert stdlib.split(zip_of(LIBRARY), IMPORTED) == library, "the same input cuts to the same bytes"


@pytest.fixture
def server(tmp_path: Path) -> Path:
    """What the site serves: the rest, a zip per top-level module, and the snippets."""
    library = stdlib.split(zip_of(LIBRARY), IMPORTED)
    (tmp_path / "rest").mkdir()
    for top, data in library.rest.items():
        (tmp_path / "rest" / f"{top}.zip").write_bytes(data)
    (tmp_path / "snippets").mkdir()
    for name, text in SNIPPETS.items():
        (tmp_path / "snippets" / name).write_text(text, encoding="utf-8")
    (tmp_path / "core.zip").write_bytes(library.core)
    return tmp_path


@pytest.fixture
def reader_python(server: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """This interpreter with the core zip on sys.path and the finder installed; yields the URLs fetched."""
    monkeypatch.setattr(sys, "path", [str(server / "core.zip"), *sys.path])
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    fetched: list[str] = []

    def download(url: str, path: str) -> None:
        fetched.append(url)
        shutil.copyfile(url, path)  # here a URL is a path on disk

    library = stdlib.split(zip_of(LIBRARY), IMPORTED)
    settings = {"rest_url": f"{server}/rest/", "rest_modules": list(library.rest_modules),
                "snippets_url": f"{server}/snippets/", "snippets": list(SNIPPETS)}
    folder = tmp_path / "reader-snippets"
    folder.mkdir()
    on_demand.install(download, settings, str(folder), rest_folder=str(tmp_path / "fetched-rest"))
    yield fetched
    for name in [name for name in sys.modules if name.startswith("od")]:
        del sys.modules[name]
    importlib.invalidate_caches()


def test_a_module_of_the_rest_is_fetched_on_first_import_with_what_it_imports(reader_python: list[str]) -> None:
    odcore = importlib.import_module("odcore")
    assert (odcore.VALUE, reader_python) == ("core", [])
    odmod = importlib.import_module("odmod")
    assert odmod.VALUE == "rest, with odpkg.extra"
    assert [url.rsplit("/", 1)[1] for url in reader_python] == ["odmod.zip", "odpkg.zip"]
    importlib.import_module("odpkg.extra")
    assert len(reader_python) == 2, "each zip is fetched once"


def test_a_snippet_is_fetched_into_the_snippets_folder_once(reader_python: list[str]) -> None:
    module = importlib.import_module("odsnippet")
    assert module.VALUE == "snippet"
    assert module.__file__.endswith("reader-snippets/odsnippet.py")
    del sys.modules["odsnippet"]  # as python_runner.py forgets the snippets before each run
    assert importlib.import_module("odsnippet").VALUE == "snippet"
    assert [url.rsplit("/", 1)[1] for url in reader_python] == ["odsnippet.py"]


def test_an_unknown_module_is_not_fetched(reader_python: list[str]) -> None:
    with pytest.raises(ModuleNotFoundError, match="odunknown"):
        importlib.import_module("odunknown")
    assert reader_python == []


def test_a_failed_download_is_an_import_error_that_says_why(server: Path, reader_python: list[str]) -> None:
    (server / "rest" / "odmod.zip").unlink()
    with pytest.raises(ModuleNotFoundError, match=r"odmod.*standard library, but it could not be downloaded"):
        importlib.import_module("odmod")


def test_the_cut_is_made_beside_the_build_then_cached_and_a_failed_one_ships_the_whole_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITE_STDLIB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(stdlib, "full_stdlib", lambda: tmp_path / "full.zip")
    monkeypatch.setattr(stdlib, "_cut", {})
    (tmp_path / "full.zip").write_bytes(zip_of(LIBRARY))
    discoveries: list[str] = []
    found = stdlib.Imported(files=IMPORTED, warm=("odcore",))
    monkeypatch.setattr(stdlib, "discover_imports", lambda: discoveries.append(threading.current_thread().name) or found)
    stdlib.prepare()  # on_pre_build
    first = stdlib.stdlib()  # on_env
    assert (names(first.core), first.warm_imports) == (sorted(IMPORTED), ("odcore",))
    assert len(discoveries) == 1 and discoveries[0].startswith("stdlib-cut")
    monkeypatch.setattr(stdlib, "_cut", {})  # the next process: only the disk cache is left
    assert stdlib.stdlib() == first and len(discoveries) == 1

    def fails() -> stdlib.Imported:
        raise fence.FenceError("Node is not installed")

    monkeypatch.setattr(stdlib, "discover_imports", fails)
    (tmp_path / "full.zip").write_bytes(zip_of({**LIBRARY, "odnew.py": ""}))  # a new key: no cached cut
    whole = stdlib.stdlib()
    assert (whole.core, whole.rest) == ((tmp_path / "full.zip").read_bytes(), {})
