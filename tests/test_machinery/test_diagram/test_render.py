"""The renderer (machinery/diagram/): SVG that is self-contained, stable and scalable; the
fence's errors; the cache."""

from __future__ import annotations

import base64
import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import pytest

from machinery import REPO, fence
from machinery.diagram import fence_format, figure, font, graphviz, icons, scripts
from machinery.diagram.scripts import DiagramError
from tests.test_diagrams.ids import DIAGRAMS, SERVER_COUNTS

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
HREF_ATTRIBUTES = ("href", XLINK_HREF)


# The diagram font: Graphviz measures with the file the page draws with, and with no other

def sfnt_tables(font_data: bytes) -> dict[bytes, bytes]:
    count = struct.unpack_from(">H", font_data, 4)[0]
    tables = {}
    for index in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", font_data, 12 + 16 * index)
        tables[tag] = font_data[offset:offset + length]
    return tables


def table_checksum(table: bytes) -> int:
    padded = table + b"\0" * (-len(table) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def test_the_woff_unpacks_into_the_font_it_wraps() -> None:
    woff = font.woff_bytes()
    tables = sfnt_tables(font.sfnt_from_woff(woff))
    count = struct.unpack_from(">H", woff, 12)[0]
    assert len(tables) == count and {b"cmap", b"glyf", b"hmtx", b"head", b"name"} <= set(tables)
    assert struct.unpack_from(">I", tables[b"head"], 12)[0] == 0x5F0F3CF5  # the magic number every TrueType head has
    for index in range(count):
        tag, _, _, _, checksum = struct.unpack_from(">4sIIII", woff, 44 + 20 * index)
        if tag != b"head":  # the head table's checksum is taken with its adjustment field zeroed
            assert table_checksum(tables[tag]) == checksum, tag


def resolved_font(fontname: str) -> str:
    """The font file dot measures `fontname` with, as `dot -v` reports it."""
    probe = subprocess.run(["dot", "-v", "-Tsvg"], input=f'digraph {{ node [fontname="{fontname}"]; a }}',
                           env=font.environment(), capture_output=True, text=True, check=True)
    return next(line for line in probe.stderr.splitlines() if "resolved to" in line).rsplit(" ", 1)[-1]


@pytest.mark.parametrize("fontname", [font.FAMILY, "Helvetica", "DejaVu Sans", "serif"])
def test_dot_measures_every_text_in_the_diagram_font_whatever_the_machine_has(fontname: str) -> None:
    # The machine's own fonts (DejaVu here) are out of reach: every name resolves to the one font.
    measured = Path(resolved_font(fontname))
    assert measured.parent == font.fontconfig_file().parent
    assert measured.read_bytes() == font.sfnt_from_woff(font.woff_bytes())
    assert font.fingerprint() in graphviz.dot_version()


FONTCONFIG_FILE = "from machinery.diagram import font; print(font.fontconfig_file())"


def test_the_font_graphviz_reads_is_unpacked_once_into_the_cache_and_outlives_each_build(tmp_path: Path) -> None:
    """Named by the font's fingerprint, it needs no cleaning up, even after a killed build."""
    environment = {**os.environ, "SITE_FONT_CACHE": str(tmp_path)}

    def made_in_a_new_process() -> str:
        return subprocess.run([sys.executable, "-c", FONTCONFIG_FILE], env=environment, cwd=REPO,
                              capture_output=True, text=True, check=True).stdout.strip()

    folder = tmp_path / font.fingerprint()
    assert made_in_a_new_process() == str(folder / "fonts.conf")
    unpacked = folder / "NotoSans-Regular.ttf"
    assert unpacked.read_bytes() == font.sfnt_from_woff(font.woff_bytes())
    made_at = unpacked.stat().st_mtime_ns
    assert made_in_a_new_process() == str(folder / "fonts.conf")
    assert unpacked.stat().st_mtime_ns == made_at, "the next build uses it as it is"


def test_the_font_config_names_the_real_folder_when_the_cache_is_reached_through_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A throwaway copy of the project links to the shared build/: a config naming the
    folder through the copy would break every later build once the copy is deleted."""
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "copy").symlink_to(real)
    monkeypatch.setenv("SITE_FONT_CACHE", str(tmp_path / "copy"))
    font.fontconfig_file.cache_clear()
    try:
        config = font.fontconfig_file()
    finally:
        font.fontconfig_file.cache_clear()
    assert config == real / font.fingerprint() / "fonts.conf"
    assert f"<dir>{real / font.fingerprint()}</dir>" in config.read_text()


def test_a_cache_the_font_cannot_be_unpacked_into_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SITE_FONT_CACHE", str(blocker))
    font.fontconfig_file.cache_clear()
    try:
        with pytest.raises(DiagramError, match="the diagram font could not be unpacked into"):
            font.fontconfig_file()
    finally:
        font.fontconfig_file.cache_clear()


def test_variants_are_well_formed_svg(variants: dict[int, str]) -> None:
    for svg in variants.values():
        assert ET.fromstring(svg).tag == f"{SVG}svg"


def test_only_fragment_or_data_references(variants: dict[int, str]) -> None:
    for svg in variants.values():
        for element in ET.fromstring(svg).iter():
            for attribute in HREF_ATTRIBUTES:
                value = element.get(attribute)
                if value is not None:
                    assert value.startswith(("#", "data:")), value
        assert re.findall(r"url\(([^)]*)\)", svg) == [f"data:font/woff;base64,{base64.b64encode(font.woff_bytes()).decode()}"]


def test_no_paths_or_comments_leak(variants: dict[int, str]) -> None:
    for svg in variants.values():
        assert "site-packages" not in svg
        assert str(Path.home()) not in svg and "/work/" not in svg and "/usr/" not in svg
        assert not re.search(r"""["'(]/[A-Za-z]""", svg), "an absolute path is referenced"
        assert "<!--" not in svg and "<title>" not in svg
        assert not re.search(r"[0-9a-f]{32}", svg.split("data:")[0]), "a random (uuid) name is left"


def test_svg_scales_with_the_page(variants: dict[int, str]) -> None:
    for svg in variants.values():
        root = ET.fromstring(svg)
        assert root.get("width") is None and root.get("height") is None
        assert len(root.get("viewBox", "").split()) == 4
        assert root.get("style", "").startswith("--diagram-width:")


def test_icons_are_one_family_embedded_once_and_drawn_in_the_text_colour(variants: dict[int, str]) -> None:
    for svg in variants.values():
        root = ET.fromstring(svg)
        symbols = {symbol.get("id"): symbol for symbol in root.iter(f"{SVG}symbol")}
        uses = {use.get(XLINK_HREF) for use in root.iter(f"{SVG}use")}
        assert symbols and uses == {f"#{symbol}" for symbol in symbols}
        assert not list(root.iter(f"{SVG}image")), "no bitmap: every icon is a shape in the text's colour"
        for symbol_id, symbol in symbols.items():
            assert (icons.MATERIAL_ICONS / f"{symbol_id.removeprefix('icon-')}.svg").is_file(), symbol_id
            assert symbol.get("fill") == "currentColor"
            assert not [shape for shape in symbol.iter() if shape.get("fill") not in (None, "currentColor")]


def test_the_standalone_svg_carries_its_font(script: scripts.Script) -> None:
    root = ET.fromstring(figure.render_standalone(script))
    style = root.find(f"{SVG}style")
    assert style is not None and style.text == font.font_face_css()
    assert {text.get("font-family") for text in root.iter(f"{SVG}text") if text.get("font-family")} == {font.FAMILY}


def test_the_room_for_a_note_is_empty(variants: dict[int, str]) -> None:
    """Graphviz measured a placeholder there (NOTE_ROOM); the picture keeps only its place."""
    placeholder = re.search(r'^NOTE_ROOM = "([^"]+)"', (DIAGRAMS / "_style.py").read_text(encoding="utf-8"), re.MULTILINE)
    for svg in variants.values():
        assert placeholder.group(1) not in svg
        assert '<text class="live-note-slot"' in svg


def test_renders_are_byte_identical(script: scripts.Script) -> None:
    assert figure.render_figure(script.path, tuple(SERVER_COUNTS), 3) == figure.render_figure(script.path, tuple(SERVER_COUNTS), 3)
    assert figure.render_standalone(script) == figure.render_standalone(script)


def test_figure_holds_one_variant_per_count_with_only_the_first_shown(script: scripts.Script) -> None:
    html = ET.fromstring(figure.render_figure(script.path, tuple(SERVER_COUNTS), 4))
    assert html.tag == "figure" and html.get("class") == "diagram"
    assert html.get("data-diagram") == script.name
    wrappers = html.findall("div")
    assert [wrapper.get("data-servers") for wrapper in wrappers] == [str(n) for n in SERVER_COUNTS]
    assert [wrapper.get("hidden") is None for wrapper in wrappers] == [n == 4 for n in SERVER_COUNTS]
    # The icons are defined once for the whole figure, in a sprite the variants share.
    sprites = html.findall(f"{SVG}svg")
    assert len(sprites) == 1 and sprites[0].get("aria-hidden") == "true"
    assert not [symbol for wrapper in wrappers for symbol in wrapper.iter(f"{SVG}symbol")]
    symbols = [symbol.get("id") for symbol in sprites[0].iter(f"{SVG}symbol")]
    assert len(symbols) == len(set(symbols))
    used = {use.get(XLINK_HREF) for wrapper in wrappers for use in wrapper.iter(f"{SVG}use")}
    assert used == {f"#{symbol}" for symbol in symbols}
    references = [element.get(name) for element in html.iter() for name in HREF_ATTRIBUTES if element.get(name)]
    assert references and all(reference.startswith(("#", "data:")) for reference in references)


# The fence inside Markdown (superfences), without a whole MkDocs build

def convert(text: str) -> str:
    extension = {"custom_fences": [{"name": "diagram", "class": "diagram", "validator": fence.accept_options, "format": fence_format}]}
    return markdown.Markdown(extensions=["pymdownx.superfences"], extension_configs={"pymdownx.superfences": extension}).convert(text)


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("SITE_DIAGRAMS_CACHE", str(cache))
    monkeypatch.setenv("SITE_DIAGRAMS_DIR", str(DIAGRAMS))
    monkeypatch.setattr(figure, "_figures", {})
    return cache


def test_fence_renders_the_scripts_default_picture(private_cache: Path) -> None:
    html = convert("```diagram\nstateless.py\n```\n")
    assert html.count('<figure class="diagram"') == 1
    assert html.count('class="diagram-variant"') == 1 and 'data-servers="3" data-search-exclude' in html
    assert "<pre" not in html and "<code" not in html


@pytest.mark.parametrize(("body", "message"), [
    ("```diagram\nmissing.py\n```", "diagrams/missing.py does not exist"),
    ("```diagram\n../mkdocs.yml\n```", "must be the file name"),
    ("```diagram\n_style.py\n```", "must be the file name"),
    ('```diagram servers="2-4"\nstateful.py\n```', "the fence takes no options, got servers"),
])
def test_fence_mistakes_show_an_error_box_and_warn(private_cache: Path, body: str, message: str, caplog: pytest.LogCaptureFixture) -> None:
    html = convert(body + "\n")
    assert 'class="admonition failure fence-error"' in html and message in html
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert "diagram fence: " in caplog.text and message in caplog.text


@pytest.mark.parametrize(("servers", "message"), [("many", "is not a count or a range"), ("0-40", "must lie within 1-12")])
def test_server_ranges_are_checked(servers: str, message: str) -> None:
    with pytest.raises(DiagramError, match=message):
        figure.server_range(servers)


# The cache

def test_cache_is_filled_then_used_without_running_the_script(private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = figure.cached_figure(DIAGRAMS / "stateful.py", (2, 3), 3)
    assert len(list(private_cache.glob("stateful-*.html"))) == 1
    monkeypatch.setattr(figure, "_figures", {})
    monkeypatch.setattr(figure, "load_script", lambda _: pytest.fail("the cache was not used"))
    assert figure.cached_figure(DIAGRAMS / "stateful.py", (2, 3), 3) == first


def copy_of_diagrams(destination: Path) -> Path:
    destination.mkdir()
    for path in DIAGRAMS.glob("*.py"):
        (destination / path.name).write_bytes(path.read_bytes())
    return destination


def test_cache_key_follows_script_helpers_options_and_the_renderer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = copy_of_diagrams(tmp_path / "diagrams")
    script = folder / "stateless.py"
    key = figure.cache_key(script, (), None)
    assert figure.cache_key(script, (), None) == key
    assert figure.cache_key(script, (2, 3), 3) != key
    for changed in (script, folder / "_style.py", folder / "_pinned.py"):
        original = changed.read_text()
        changed.write_text(original + "\n# edited\n")
        assert figure.cache_key(script, (), None) != key, f"editing {changed.name} must re-render"
        changed.write_text(original)
    assert figure.cache_key(script, (), None) == key
    # Every module and template of the renderer shapes a figure, not only figure.py.
    renderer = tmp_path / "renderer"
    renderer.mkdir()
    for path in [*figure.PACKAGE.glob("*.py"), *figure.PACKAGE.glob("*.html")]:
        (renderer / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(figure, "PACKAGE", renderer)
    assert figure.cache_key(script, (), None) == key
    for name in ("svg.py", "graphviz.py", "figure.html"):
        (renderer / name).write_text((renderer / name).read_text() + "\n")
        assert figure.cache_key(script, (), None) != key, f"editing {name} must re-render"


def test_script_errors_name_file_and_line(tmp_path: Path) -> None:
    folder = copy_of_diagrams(tmp_path / "diagrams")
    (folder / "broken.py").write_text(
        'import _style as s\nALT = "x"\nCAPTION = "y"\n\n\ndef draw(servers: int = 3):\n'
        '    with s.canvas("broken") as diagram:\n        s.load_balancer()\n        1 / 0\n    return diagram\n'
    )
    (folder / "syntax.py").write_text("ALT = 'x'\nCAPTION = 'y'\ndef draw(:\n")
    (folder / "helper_misuse.py").write_text(
        'import _style as s\nALT = "x"\nCAPTION = "y"\n\n\ndef draw():\n'
        '    with s.canvas("twice") as diagram:\n        s.load_balancer()\n        s.load_balancer()\n    return diagram\n'
    )
    broken = scripts.load_script(folder / "broken.py")
    with pytest.raises(DiagramError, match=r"^diagrams/broken\.py, line 9 \(servers=3\): ZeroDivisionError"):
        figure.render_figure(broken.path)
    with pytest.raises(DiagramError, match=r"^diagrams/syntax\.py, line 3: SyntaxError"):
        scripts.load_script(folder / "syntax.py")
    with pytest.raises(DiagramError, match=r"diagrams/_style\.py, line \d+ \(called from diagrams/helper_misuse\.py, line 9\)"):
        figure.render_figure(folder / "helper_misuse.py")
