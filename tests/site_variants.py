"""The same docs built other ways, as baselines for the benchmarks and the size tests.

- plain: a plain Material build of the same pages, with no machinery at all: no hooks, no
  theme overrides, no fences (their blocks are left out) and every figure in the prose
  replaced by one number. What the site would weigh if it were only its prose.
- without_blocks: this site, machinery and all, with its ```runnable and ```live blocks left
  out: the same pages minus what lets a reader run Python.

Both are written into a scratch folder and built with `python -m mkdocs build`, like the site.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from machinery.figures import FIGURE
from tests.conftest import ROOT, copy_project

# A fenced block of one of the site's own fences, from its opening line to its closing one.
SITE_FENCES = ("diagram", "runnable", "live")
RUNNABLE_FENCES = ("runnable", "live")
# What a figure of the prose becomes in the plain build: one number, as one word of prose.
FIGURE_STAND_IN = "1,000"


def fenced_blocks(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"^(?P<indent>[ \t]*)(?P<fence>`{{3,}}|~{{3,}})(?:{'|'.join(names)})\b.*?^(?P=indent)(?P=fence)[ \t]*$\n?",
                      re.DOTALL | re.MULTILINE)


def without_fences(markdown: str, names: tuple[str, ...]) -> str:
    return fenced_blocks(names).sub("", markdown)


def prose(markdown: str) -> str:
    """A page's Markdown as the plain build has it: no site fences, a number for each figure."""
    return FIGURE.sub(FIGURE_STAND_IN, without_fences(markdown, SITE_FENCES))


def prose_words(docs: Path = ROOT / "docs") -> int:
    """Words of prose in every page, the site's fences left out (code samples in the prose count)."""
    return sum(len(prose(page.read_text(encoding="utf-8")).split()) for page in docs.rglob("*.md"))


def plain_config() -> dict:
    """mkdocs.yml minus the machinery: no hooks, no template overrides, no custom fences."""
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as file:
        config = yaml_load(file, get_yaml_loader())
    for key in ("hooks", "watch"):
        config.pop(key, None)
    config["theme"].pop("custom_dir", None)
    config.get("extra", {}).pop("runnable", None)
    config["markdown_extensions"] = [
        {"pymdownx.superfences": {}} if isinstance(extension, dict) and "pymdownx.superfences" in extension else extension
        for extension in config["markdown_extensions"]
    ]
    return config


def plain_project(destination: Path) -> Path:
    """A project folder holding only mkdocs.yml and docs/, built by Material alone."""
    docs = destination / "docs"
    shutil.copytree(ROOT / "docs", docs)
    for page in docs.rglob("*.md"):
        page.write_text(prose(page.read_text(encoding="utf-8")), encoding="utf-8")
    # yaml.Dumper writes functions (Material's emoji index, say) back as !!python/name tags.
    config = yaml.dump(plain_config(), Dumper=yaml.Dumper, sort_keys=False, allow_unicode=True)
    (destination / "mkdocs.yml").write_text(config, encoding="utf-8")
    return destination


def project_without_blocks(destination: Path) -> Path:
    """A copy of this project whose pages have no ```runnable or ```live block."""
    project = copy_project(destination)
    for page in (project / "docs").rglob("*.md"):
        page.write_text(without_fences(page.read_text(encoding="utf-8"), RUNNABLE_FENCES), encoding="utf-8")
    return project
