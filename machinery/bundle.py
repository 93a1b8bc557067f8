"""The site's own JavaScript and CSS: one file of each, bundled and minified by esbuild.

    machinery/site.js   the one JS entry: it mounts every fence's component on each page
    machinery/site.css  the one CSS entry: site-wide rules, and each fence's CSS imported
    machinery/runnable/python-worker.js   the Python worker (a worker is its own file)

esbuild (from node_modules) writes them, with the code editor split off into a chunk that
is loaded only when a page needs it, to build/site-assets/; the hooks add that folder to
the site as assets/site/ and link the two entries from every page. Each build bundles
again if any JavaScript or CSS under machinery/ changed, so `mkdocs serve` picks up edits.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from machinery import REPO, fence

MACHINERY = Path(__file__).resolve().parent
ENTRIES = ("site.js", "site.css", "runnable/python-worker.js")
SITE_FOLDER = "assets/site/"


def output_dir() -> Path:
    return REPO / "build" / "site-assets"


def sources() -> list[Path]:
    return sorted(path for pattern in ("**/*.js", "**/*.css") for path in MACHINERY.glob(pattern))


def fingerprint() -> str:
    """What the bundle is made of: every source, and the npm packages it imports."""
    digest = hashlib.sha256()
    for path in sources():
        digest.update(str(path.relative_to(MACHINERY)).encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update((REPO / "package-lock.json").read_bytes())
    return digest.hexdigest()


def bundle() -> None:
    """Run esbuild unless its output is up to date (on_pre_build hook).

    A mistake in the JavaScript or CSS is a warning, as for every fence: strict builds
    fail, and `mkdocs serve` keeps serving the last good bundle.
    """
    esbuild = REPO / "node_modules" / ".bin" / "esbuild"
    if not esbuild.exists():
        raise PluginError("esbuild is missing (node_modules/.bin/esbuild): run `make setup`")
    stamp = output_dir() / ".fingerprint"
    wanted = fingerprint()
    if stamp.is_file() and stamp.read_text() == wanted:
        return
    fresh = output_dir().with_name("site-assets.new")
    shutil.rmtree(fresh, ignore_errors=True)
    process = subprocess.run(
        [str(esbuild), *(str(MACHINERY / entry) for entry in ENTRIES), "--bundle", "--format=esm", "--splitting",
         "--minify", "--target=es2022", f"--outdir={fresh}", "--entry-names=[name]", "--chunk-names=[name]",
         "--log-level=error"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    if process.returncode != 0:
        fence.log.warning(f"esbuild could not bundle machinery/site.js and site.css:\n{process.stderr.strip()}")
        return
    (fresh / ".fingerprint").write_text(wanted)
    shutil.rmtree(output_dir(), ignore_errors=True)
    fresh.replace(output_dir())


def add_bundle(files: Files, config) -> None:  # noqa: ANN001 - MkDocs' config object
    """Put the bundle into the site (on_files hook)."""
    built = sorted(path for path in output_dir().glob("*") if path.suffix in {".js", ".css"})
    if not built:
        raise PluginError("the site's JavaScript bundle was not built: see the esbuild error above")
    for path in built:
        files.append(File.generated(config, SITE_FOLDER + path.name, abs_src_path=str(path)))


def link_bundle(config) -> None:  # noqa: ANN001 - MkDocs' config object
    """Every page loads the one CSS file and the one JS module (on_config hook)."""
    config.extra_css.append(SITE_FOLDER + "site.css")
    script = ExtraScriptValue(SITE_FOLDER + "site.js")
    script.type = "module"
    config.extra_javascript.append(script)
