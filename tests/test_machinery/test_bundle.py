"""The site's one JS and one CSS file, bundled by esbuild (machinery/bundle.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from machinery import bundle


@pytest.fixture
def machinery_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of machinery/'s browser files, bundled into a private folder."""
    copy = tmp_path / "machinery"
    shutil.copytree(bundle.MACHINERY, copy, ignore=shutil.ignore_patterns("*.py", "*.html", "__pycache__"))
    (tmp_path / "node_modules").symlink_to(bundle.REPO / "node_modules")  # where esbuild resolves packages
    output = tmp_path / "build" / "site-assets"
    monkeypatch.setattr(bundle, "MACHINERY", copy)
    monkeypatch.setattr(bundle, "output_dir", lambda: output)
    return copy


def test_the_bundle_is_one_js_one_css_the_worker_and_the_editor_chunk(machinery_copy: Path) -> None:
    bundle.bundle()
    built = sorted(path.name for path in bundle.output_dir().glob("*.*s"))
    assert built == ["editor.js", "python-worker.js", "site.css", "site.js"]
    site_js = (bundle.output_dir() / "site.js").read_text(encoding="utf-8")
    assert "CodeMirror" not in site_js and "cm-editor" not in site_js, "the editor is a chunk of its own, loaded when needed"
    assert 'import("./editor.js")' in site_js
    assert "@import" not in (bundle.output_dir() / "site.css").read_text(encoding="utf-8")


def test_a_mistake_in_the_javascript_warns_and_keeps_the_last_good_bundle(
    machinery_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bundle.bundle()
    good = (bundle.output_dir() / "site.js").read_bytes()
    (machinery_copy / "live" / "live.js").write_text("export function mount( {", encoding="utf-8")
    bundle.bundle()
    assert "esbuild could not bundle" in caplog.text and "live.js" in caplog.text
    assert (bundle.output_dir() / "site.js").read_bytes() == good


def test_an_unchanged_source_is_not_bundled_again(machinery_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle.bundle()
    monkeypatch.setattr(bundle.subprocess, "run", lambda *_, **__: pytest.fail("bundled again"))
    bundle.bundle()
