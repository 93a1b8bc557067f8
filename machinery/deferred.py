"""What a page loads only when the reader comes near it: the live blocks' data.

A live block needs the build's result (a timeline of every minute, up to 150 KB on a page)
and the pictures it does not show at first (other server counts, other designs). In the
page, they more than doubled its HTML and slowed its opening. Each goes instead into
a file beside the site's bundle, assets/site/deferred/, named by a hash of its content, and
the page holds only the name: mount.js fetches it when the block comes near. (A
comparison, the home page's opening demo, is drawn at once and keeps its small result.)

The files of a build are gathered while its pages are rendered and written after them
(the on_post_build hook); the same content on two pages is one file.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from machinery.bundle import SITE_FOLDER

FOLDER = "deferred"
# A picture the page ships inert (figure.html); its content holds no <template> of its own.
INERT = re.compile(r"<template>(.*?)</template>", re.DOTALL)

_files: dict[str, str] = {}  # name (relative to the bundle) -> content


def start_build() -> None:
    _files.clear()


def defer(content: str, suffix: str) -> str:
    """Keep `content` for a file of its own; returns its name, relative to the site's bundle."""
    name = f"{FOLDER}/{hashlib.sha256(content.encode()).hexdigest()[:20]}{suffix}"
    _files[name] = content
    return name


def defer_inert(html: str) -> str:
    """Every <template> of `html` (a figure's pictures not shown) emptied, its content deferred."""
    return INERT.sub(lambda match: f'<template data-src="{defer(match.group(1), ".html")}"></template>', html)


def write_files(site_dir: str) -> None:
    folder = Path(site_dir) / SITE_FOLDER
    for name, content in _files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
