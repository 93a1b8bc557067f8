"""The SVG each script produces: self-contained, deterministic, addressable, accessible."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import pytest

from machinery import diagram_build
from machinery.diagram_build import DiagramError

from .helpers import DIAGRAMS, EXPECTED_IDS, SERVER_COUNTS

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
HREF_ATTRIBUTES = ("href", XLINK_HREF)
SCRIPTS = [path.name for path in diagram_build.script_files(DIAGRAMS)]


@pytest.fixture(scope="module", params=SCRIPTS)
def script(request: pytest.FixtureRequest) -> diagram_build.Script:
    return diagram_build.load_script(DIAGRAMS / request.param)


def counts_of(script: diagram_build.Script) -> list[int | None]:
    return list(SERVER_COUNTS) if script.servers_parameter is not None else [None]


@pytest.fixture(scope="module")
def variants(script: diagram_build.Script) -> dict[int | None, str]:
    """Every server count of the script, as the standalone SVG `make diagrams` writes."""
    return {count: diagram_build.render_standalone(script, count) for count in counts_of(script)}


def ids_in(svg: ET.Element) -> list[str]:
    return [element.get("id") for element in svg.iter() if element.get("id")]


def test_every_script_has_expected_ids_listed() -> None:
    assert SCRIPTS, "no diagram scripts found"
    assert sorted(SCRIPTS) == sorted(EXPECTED_IDS), "add new scripts to EXPECTED_IDS in helpers.py"


def test_no_package_marker_shadows_the_diagrams_library() -> None:
    assert not (DIAGRAMS / "__init__.py").exists()


def test_dot_measures_text_without_system_fonts() -> None:
    # Otherwise the layout would depend on the fonts each machine has installed.
    assert diagram_build.dot_version().endswith("built-in font metrics")
    assert "GVBINDIR" in diagram_build.dot_environment()


def test_scripts_are_drawn_with_a_server_count(script: diagram_build.Script) -> None:
    # The reader may pick 2..6 servers, so every picture of a cluster takes the count.
    assert script.servers_parameter is not None
    assert script.default_servers == 3


def test_variants_are_well_formed_svg(variants: dict[int | None, str]) -> None:
    for svg in variants.values():
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG}svg"


def test_only_fragment_or_data_references(variants: dict[int | None, str]) -> None:
    for svg in variants.values():
        for element in ET.fromstring(svg).iter():
            for attribute in HREF_ATTRIBUTES:
                value = element.get(attribute)
                if value is not None:
                    assert value.startswith(("#", "data:")), value
        assert "url(" not in svg or "url(#" in svg


def test_no_paths_or_comments_leak(variants: dict[int | None, str]) -> None:
    for svg in variants.values():
        assert "site-packages" not in svg
        assert str(Path.home()) not in svg and "/work/" not in svg and "/usr/" not in svg
        assert not re.search(r"""["'(]/[A-Za-z]""", svg), "an absolute path is referenced"
        assert "<!--" not in svg and "<title>" not in svg
        assert not re.search(r"[0-9a-f]{32}", svg.split("data:")[0]), "a random (uuid) name is left"


def test_svg_scales_with_the_page(variants: dict[int | None, str]) -> None:
    for svg in variants.values():
        root = ET.fromstring(svg)
        assert root.get("width") is None and root.get("height") is None
        assert len(root.get("viewBox", "").split()) == 4
        assert root.get("style", "").startswith("--diagram-width:")


def test_icons_are_embedded_once_and_used(variants: dict[int | None, str]) -> None:
    for svg in variants.values():
        root = ET.fromstring(svg)
        symbols = [symbol.get("id") for symbol in root.iter(f"{SVG}symbol")]
        uses = {use.get(XLINK_HREF) for use in root.iter(f"{SVG}use")}
        assert symbols and len(symbols) == len(set(symbols))
        assert uses == {f"#{symbol}" for symbol in symbols}
        assert not list(root.iter(f"{SVG}image")) or all(
            image.get(XLINK_HREF, "").startswith("data:image/png;base64,") for image in root.iter(f"{SVG}image")
        )
        assert len(list(root.iter(f"{SVG}image"))) == len(symbols)


def test_expected_ids_are_present(script: diagram_build.Script, variants: dict[int | None, str]) -> None:
    for count, svg in variants.items():
        ids = ids_in(ET.fromstring(svg))
        missing = EXPECTED_IDS[script.path.name](count) - set(ids)
        assert not missing, f"{script.path.name} servers={count} lacks {sorted(missing)}"
        assert len(ids) == len(set(ids)), "an id is used twice in one SVG"
        assert not [item for item in ids if re.fullmatch(r"(node|edge|clust|graph)\d+", item)], "Graphviz default ids"


def test_nodes_and_edges_carry_classes(variants: dict[int | None, str]) -> None:
    root = ET.fromstring(next(iter(variants.values())))
    groups = {element.get("id"): element.get("class", "") for element in root.iter(f"{SVG}g")}
    for element_id, classes in groups.items():
        if element_id is None:
            continue
        kind = classes.split()[0]
        assert kind in {"node", "edge", "cluster"}, (element_id, classes)
        assert len(classes.split()) >= 2, f"{element_id} has no class of its own: {classes!r}"
    web = groups.get("web-1") or groups.get("all-to-all-web-1")
    assert web == "node server"


def test_failure_diagram_marks_the_failed_server() -> None:
    svg = diagram_build.render_standalone(diagram_build.load_script(DIAGRAMS / "sticky_failure.py"))
    groups = {element.get("id"): element.get("class") for element in ET.fromstring(svg).iter(f"{SVG}g")}
    assert groups["web-2"] == "node server down"
    assert groups["sessions-web-2"] == "node sessions lost"
    assert groups["edge-lb-web-2"] == "edge affinity broken"
    assert groups["web-1"] == "node server"


def test_renders_are_byte_identical(script: diagram_build.Script) -> None:
    first = diagram_build.render_figure(script.path, tuple(SERVER_COUNTS), 3)
    second = diagram_build.render_figure(script.path, tuple(SERVER_COUNTS), 3)
    assert first == second
    assert diagram_build.render_standalone(script) == diagram_build.render_standalone(script)


def test_text_alternative_and_caption(script: diagram_build.Script) -> None:
    assert len(script.caption) > 40 and len(script.alt) > 80
    figure = ET.fromstring(diagram_build.render_figure(script.path, (2, 3, 4), 3))
    pictures = figure.findall(f"div/{SVG}svg")
    assert [svg.get("role") for svg in pictures] == ["img"] * 3
    labels = [svg.get("aria-label") for svg in pictures]
    assert all(label and "{" not in label for label in labels)
    if "{servers}" in script.alt:
        assert len(set(labels)) == 3, "the text alternative should name each variant's server count"
    assert figure.findtext("figcaption") == script.caption


def test_figure_holds_one_variant_per_count_with_only_the_default_shown(script: diagram_build.Script) -> None:
    figure = ET.fromstring(diagram_build.render_figure(script.path, tuple(SERVER_COUNTS), 4))
    assert figure.tag == "figure" and figure.get("class") == "diagram"
    assert figure.get("data-diagram") == script.name and figure.get("data-servers-default") == "4"
    wrappers = figure.findall("div")
    assert [wrapper.get("data-servers") for wrapper in wrappers] == [str(n) for n in SERVER_COUNTS]
    assert [wrapper.get("hidden") is None for wrapper in wrappers] == [n == 4 for n in SERVER_COUNTS]
    # The icons are defined once for the whole figure, in a sprite the variants share.
    sprites = figure.findall(f"{SVG}svg")
    assert len(sprites) == 1 and sprites[0].get("aria-hidden") == "true"
    assert not [symbol for wrapper in wrappers for symbol in wrapper.iter(f"{SVG}symbol")]
    symbols = [symbol.get("id") for symbol in sprites[0].iter(f"{SVG}symbol")]
    assert len(symbols) == len(set(symbols))
    used = {use.get(XLINK_HREF) for wrapper in wrappers for use in wrapper.iter(f"{SVG}use")}
    assert used == {f"#{symbol}" for symbol in symbols}
    references = [element.get(name) for element in figure.iter() for name in HREF_ATTRIBUTES if element.get(name)]
    assert references and all(reference.startswith(("#", "data:")) for reference in references)
    # Each variant shows its own number of web servers.
    for count, wrapper in zip(SERVER_COUNTS, wrappers, strict=True):
        servers = [g for g in wrapper.iter(f"{SVG}g") if g.get("class", "").startswith("node server")]
        assert len({g.get("id").rsplit("-", 1)[-1] for g in servers if "web-" in g.get("id")}) == count


# The fence inside Markdown (superfences), without a whole MkDocs build

def convert(text: str) -> str:
    extension = {"custom_fences": [{
        "name": "diagram", "class": "diagram",
        "validator": diagram_build.fence_validator, "format": diagram_build.fence_format,
    }]}
    return markdown.Markdown(extensions=["pymdownx.superfences"], extension_configs={"pymdownx.superfences": extension}).convert(text)


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("SITE_DIAGRAMS_CACHE", str(cache))
    monkeypatch.setattr(diagram_build, "_figures", {})
    return cache


def test_fence_renders_figure(private_cache: Path) -> None:
    html = convert('```diagram servers="2-4"\nstateless.py\n```\n')
    assert html.count('<figure class="diagram"') == 1
    assert 'data-servers="2" hidden=""' in html and 'data-servers="3" data-search-exclude' in html
    assert "<pre" not in html and "<code" not in html


@pytest.mark.parametrize(("fence", "message"), [
    ('```diagram\nmissing.py\n```', "diagrams/missing.py does not exist"),
    ('```diagram\n../mkdocs.yml\n```', "must be the file name"),
    ('```diagram\n_style.py\n```', "must be the file name"),
    ('```diagram colour="red"\nstateful.py\n```', "unknown option 'colour'"),
    ('```diagram servers="many"\nstateful.py\n```', "is not a count or a range"),
    ('```diagram servers="0-40"\nstateful.py\n```', "must lie within"),
    ('```diagram servers="2-4" default="6"\nstateful.py\n```', "default=6 is not among"),
])
def test_fence_mistakes_fail_loudly(private_cache: Path, fence: str, message: str) -> None:
    with pytest.raises(DiagramError, match=re.escape(message)):
        convert(fence + "\n")


# The cache

def test_cache_is_filled_then_used_without_running_the_script(private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    options = {"servers": (2, 3), "default": 3}
    first = diagram_build.cached_figure(DIAGRAMS / "stateful.py", options)
    assert len(list(private_cache.glob("stateful-*.html"))) == 1
    monkeypatch.setattr(diagram_build, "_figures", {})
    monkeypatch.setattr(diagram_build, "load_script", lambda path: pytest.fail("the cache was not used"))
    assert diagram_build.cached_figure(DIAGRAMS / "stateful.py", options) == first


def copy_of_diagrams(destination: Path) -> Path:
    destination.mkdir()
    for path in DIAGRAMS.glob("*.py"):
        (destination / path.name).write_bytes(path.read_bytes())
    return destination


def test_cache_key_follows_script_helpers_and_options(tmp_path: Path) -> None:
    folder = copy_of_diagrams(tmp_path / "diagrams")
    script = folder / "stateless.py"
    key = diagram_build.cache_key(script, {})
    assert diagram_build.cache_key(script, {}) == key
    assert diagram_build.cache_key(script, {"default": 4}) != key
    for changed in (script, folder / "_style.py", folder / "_pinned.py"):
        original = changed.read_text()
        changed.write_text(original + "\n# edited\n")
        assert diagram_build.cache_key(script, {}) != key, f"editing {changed.name} must re-render"
        changed.write_text(original)
    assert diagram_build.cache_key(script, {}) == key


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
    broken = diagram_build.load_script(folder / "broken.py")
    with pytest.raises(DiagramError, match=r"^diagrams/broken\.py, line 9 \(servers=3\): ZeroDivisionError"):
        diagram_build.render_figure(broken.path)
    with pytest.raises(DiagramError, match=r"^diagrams/syntax\.py, line 3: SyntaxError"):
        diagram_build.load_script(folder / "syntax.py")
    with pytest.raises(DiagramError, match=r"diagrams/_style\.py, line \d+ \(called from diagrams/helper_misuse\.py, line 9\)"):
        diagram_build.render_figure(folder / "helper_misuse.py")
