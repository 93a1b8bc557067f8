"""The one typeface of every diagram: measured by Graphviz, drawn by the browser.

Graphviz sizes every node, cluster and edge label from its own measure of the text, and
the browser draws that text afterwards: unless both use the same font, labels spill out
of their boxes and run into each other. So the diagrams have one font, Noto Sans (SIL Open
Font License), from npm's @fontsource/noto-sans, and one file of it, FILE:

- the site serves it (`add_to_site`), and every page declares it in its <head>
  (machinery/theme/main.html, from `site_font`). Not in site.css: whenever the browser
  loads site.css again, a @font-face in it is registered again, and the browser lays out
  every line of text on the page a second time, a long task on a phone. Material's instant
  navigation did that at start-up by setting every <link>'s href again (main.html now
  forestalls it, and says how); an inline <style> has no href to set;
- a standalone SVG carries it (`font_face_css`);
- Graphviz measures with it, through a fontconfig configuration that knows no other font
  (`fontconfig_file`), so a picture is laid out the same on every machine, whatever fonts
  that machine has.

The package ships the font as WOFF and WOFF2. Browsers read both, but Graphviz measures
through Pango and HarfBuzz, which read neither, so the WOFF is unpacked here into the
TrueType font it wraps (WOFF 1.0 is each table of that font, zlib-compressed).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import struct
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from machinery import REPO, cache
from machinery.diagram.scripts import DiagramError

FAMILY = "Noto Sans"
PACKAGE = "@fontsource/noto-sans"
# The Latin subset, regular weight (13 KB gzipped): what every label on the site needs.
FILE = "files/noto-sans-latin-400-normal.woff"

WOFF_HEADER = struct.Struct(">4sIIHHIHHIIIII")
WOFF_TABLE = struct.Struct(">4sIIII")  # tag, offset, compressed length, length, checksum
SFNT_HEADER = struct.Struct(">IHHHH")
SFNT_TABLE = struct.Struct(">4sIII")  # tag, checksum, offset, length

# Only the folder given: none of the machine's fonts, nor its fontconfig settings.
FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>{folder}</dir>
  <cachedir>{folder}/cache</cachedir>
</fontconfig>
"""


def woff_path() -> Path:
    return REPO / "node_modules" / PACKAGE / FILE


@functools.cache
def woff_bytes() -> bytes:
    try:
        return woff_path().read_bytes()
    except FileNotFoundError as error:
        raise DiagramError(f"the diagram font {PACKAGE} is not in node_modules/: run `make setup`") from error


def fingerprint() -> str:
    """Which font the pictures are measured in, for the renderer's cache key."""
    return hashlib.sha256(woff_bytes()).hexdigest()[:16]


def sfnt_from_woff(woff: bytes) -> bytes:
    """The TrueType (or OpenType) font a WOFF 1.0 file wraps, table for table."""
    signature, flavor, _, count = WOFF_HEADER.unpack_from(woff)[:4]
    if signature != b"wOFF":
        raise DiagramError(f"{PACKAGE}/{FILE} is not a WOFF file")
    tables = []
    for index in range(count):
        tag, offset, stored, length, checksum = WOFF_TABLE.unpack_from(woff, WOFF_HEADER.size + index * WOFF_TABLE.size)
        data = woff[offset:offset + stored]
        tables.append((tag, checksum, zlib.decompress(data) if stored < length else data))
    # The search fields of an sfnt header: the largest power of two <= count, in three forms.
    power = 1 << (count.bit_length() - 1)
    header = SFNT_HEADER.pack(flavor, count, power * 16, power.bit_length() - 1, (count - power) * 16)
    offset = SFNT_HEADER.size + count * SFNT_TABLE.size
    directory, bodies = [], []
    for tag, checksum, data in tables:
        directory.append(SFNT_TABLE.pack(tag, checksum, offset, len(data)))
        padded = data + b"\0" * (-len(data) % 4)  # tables start on 4-byte boundaries
        bodies.append(padded)
        offset += len(padded)
    return header + b"".join(directory) + b"".join(bodies)


@functools.cache
def fontconfig_file() -> Path:
    """A fontconfig configuration (for FONTCONFIG_FILE) whose only font is the diagram font.

    It lives in the build's cache, named by the font's fingerprint: made once, shared by
    every build and process (fontconfig's own cache of the folder with it), and nothing to
    clean up, even when a build is killed. It names the folder by its real path: a copy of
    the project that reaches the cache through a symbolic link may be gone tomorrow.
    """
    folder = cache.cache_dir("font") / fingerprint()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        folder = folder.resolve()
        config = folder / "fonts.conf"
        text = FONTCONFIG.format(folder=escape(str(folder)))
        if cache.read(config) != text:  # the config is written last: if it is there, so is the font
            cache.write_atomically(folder / "NotoSans-Regular.ttf", sfnt_from_woff(woff_bytes()))
            cache.write_atomically(config, text.encode())
    except OSError as error:
        raise DiagramError(f"the diagram font could not be unpacked into {folder}: {error}") from error
    return config


def environment() -> dict[str, str]:
    """The environment for a program that draws text through fontconfig (dot, rsvg-convert)."""
    return {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file())}


def site_font() -> dict[str, str]:
    """The family and the site path of the served font, for the page template (on_env hook)."""
    return {"family": FAMILY, "path": f"assets/site/{Path(FILE).stem}.{fingerprint()[:8]}.woff"}


def add_to_site(files: Files, config) -> None:  # noqa: ANN001 - MkDocs' config object
    """Serve the font under a name that changes with its content (on_files hook)."""
    try:
        path = site_font()["path"]
    except DiagramError as error:  # node_modules/ lacks it: no page could draw a label right
        raise PluginError(str(error)) from error
    files.append(File.generated(config, path, abs_src_path=str(woff_path())))


def font_face_css() -> str:
    """The font as CSS with the file inside, for an SVG that must carry everything it needs."""
    data = base64.b64encode(woff_bytes()).decode()
    return f'@font-face{{font-family:"{FAMILY}";src:url(data:font/woff;base64,{data}) format("woff")}}'
