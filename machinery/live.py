"""The ```live fence: a simulation from snippets/ that drives its architecture diagrams.

    ```live
    snippet: crash.py
    servers: 2-8
    views:
      stateful: stateful.py
      shared_store: stateless.py
    controls:
      servers: {label: Web servers, min: 2, max: 8}
      users: {label: Users, min: 100, max: 10000, step: 100}
    ```

- snippet: a file of snippets/, shown as a ```runnable block (editor, Run, Stop, Reset);
  `args` and `time_limit` work as in that fence.
- views: which script of diagrams/ pictures which of the snippet's designs (the keys of
  `designs` in its result). The reader switches between them.
- servers: the server counts every picture is drawn for (as in the ```diagram fence); a
  run shows the picture drawn for its design's `diagram_servers`.
- controls: parameters of the snippet (its --options) that the reader sets with sliders.
  Changing one re-runs the snippet, with the editor's code, on those values.

The build runs the snippet once with --json and puts that result in the page (the
block's data-live-result), so the pictures can be replayed before anything runs in the
browser. live.js (in
machinery/overrides/assets/) replays a result's timeline on the pictures, and takes the
result of every later run. It draws what the snippet says and computes nothing itself:
the result's shape is described in snippets/sessionlab.py.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from html import escape

import yaml

from machinery import diagram_build, runnable

FENCE_KEYS = {"snippet", "views", "servers", "controls", "args", "time_limit"}
CONTROL_KEYS = {"label", "min", "max", "step"}

# Numbers the ids of one page's live blocks, so two blocks never share an input's id.
_block_numbers = itertools.count(1)


def start_page() -> None:
    """Called for every page (on_page_markdown hook): ids restart at 1."""
    global _block_numbers
    _block_numbers = itertools.count(1)


@dataclass(frozen=True)
class Control:
    option: str  # the snippet's parameter, e.g. crash_at (--crash-at)
    label: str
    minimum: int
    maximum: int
    step: int


@dataclass(frozen=True)
class LiveBlock:
    block: runnable.RunnableBlock
    views: dict[str, str]  # design key -> diagram script
    servers: tuple[int, ...]
    controls: tuple[Control, ...]
    result: dict

    @classmethod
    def from_fence(cls, source: str) -> LiveBlock:
        spec = parse_spec(source)
        options = {key: str(spec[key]) for key in ("args", "time_limit") if key in spec}
        block = runnable.RunnableBlock.from_fence(str(spec["snippet"]), options)
        try:
            servers = diagram_build.parse_servers(str(spec["servers"]))
        except diagram_build.DiagramError as problem:
            raise ValueError(str(problem).replace("diagram fence: ", "")) from None
        result = runnable.json_result(block)
        views = check_views(spec["views"], result, servers, block.file)
        controls = tuple(parse_control(name, settings, result, block.file) for name, settings in (spec.get("controls") or {}).items())
        return cls(block, views, servers, controls, result)


def parse_spec(source: str) -> dict:
    try:
        spec = yaml.safe_load(source)
    except yaml.YAMLError as problem:
        raise ValueError(f"the block is not valid YAML: {problem}") from None
    if not isinstance(spec, dict) or not {"snippet", "servers"} <= set(spec) or not isinstance(spec.get("views"), dict):
        raise ValueError("the block needs `snippet:` (a file in snippets/), `servers:` (e.g. 2-8) and `views:` (design: diagram script)")
    unknown = sorted(set(spec) - FENCE_KEYS)
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(FENCE_KEYS))})")
    return spec


def check_views(views: dict, result: object, servers: tuple[int, ...], file: str) -> dict[str, str]:
    """Every view names a design of the result, drawn for its number of servers."""
    designs = result.get("designs") if isinstance(result, dict) else None
    if not isinstance(designs, dict):
        raise ValueError(f"snippets/{file} --json printed no `designs` to show")
    for key in views:
        design = designs.get(key)
        if not isinstance(design, dict) or not design.get("timeline"):
            known = ", ".join(designs)
            raise ValueError(f"snippets/{file} has no design {key!r} with a timeline (it has: {known})")
        if design.get("diagram_servers") not in servers:
            raise ValueError(
                f"snippets/{file}: design {key!r} needs a picture of {design.get('diagram_servers')} servers, "
                f"but `servers` draws {servers[0]}-{servers[-1]}"
            )
    return {str(key): str(script) for key, script in views.items()}


def parse_control(name: str, settings: object, result: dict, file: str) -> Control:
    parameters = result.get("parameters") or {}
    if name not in parameters:
        raise ValueError(f"control {name!r}: snippets/{file} has no parameter {name} (it has: {', '.join(parameters)})")
    if not isinstance(settings, dict) or set(settings) - CONTROL_KEYS or not {"label", "min", "max"} <= set(settings):
        raise ValueError(f"control {name!r} needs label, min and max (and may have step)")
    control = Control(name, str(settings["label"]), settings["min"], settings["max"], settings.get("step", 1))
    numbers = (control.minimum, control.maximum, control.step)
    if not all(isinstance(value, int) for value in numbers) or control.step < 1 or control.minimum >= control.maximum:
        raise ValueError(f"control {name!r}: min < max and step >= 1, all whole numbers")
    if not control.minimum <= parameters[name] <= control.maximum:
        raise ValueError(f"control {name!r}: the snippet's value {parameters[name]} is outside {control.minimum}-{control.maximum}")
    return control


# The fence


def fence_validator(language, inputs, options, attrs, md) -> bool:
    """The fence has no header options: everything is in its body."""
    if inputs:
        raise diagram_build.DiagramError(f"live fence: options go in the body, not the header ({', '.join(inputs)})")
    return True


def fence_format(source, language, css_class, options, md, **kwargs) -> str:
    try:
        live = LiveBlock.from_fence(source)
    except ValueError as problem:
        return runnable.broken_block("live", problem)
    number = next(_block_numbers)
    prefix = f"live-{live.block.file.removesuffix('.py')}-{number}"
    # The build's result, replayed until the reader runs the code. Not in a <script>: Material's
    # instant navigation re-creates scripts without their type, and would run it as JavaScript.
    result = escape(json.dumps(live.result, separators=(",", ":")))
    parts = [
        f'<div class="{escape(css_class)}" data-live-snippet="{escape(live.block.file)}" data-live-result="{result}">',
        view_picker(live, prefix),
        *(view_figure(live, key, script) for key, script in live.views.items()),
        '<p class="live__notice" hidden></p>',
        readout(),
        playback(prefix),
        controls(live, prefix),
        runnable.block_html(live.block, md),
        "</div>",
    ]
    return "\n".join(parts)


def view_picker(live: LiveBlock, prefix: str) -> str:
    designs = live.result["designs"]
    choices = "".join(
        f'<label><input type="radio" name="{prefix}-view" value="{escape(key)}"{" checked" if index == 0 else ""}> '
        f"{escape(str(designs[key].get('label', key)))}</label>"
        for index, key in enumerate(live.views)
    )
    return f'<fieldset class="live__views" hidden><legend>Design shown</legend>{choices}</fieldset>'


def view_figure(live: LiveBlock, key: str, script: str) -> str:
    options = {"servers": live.servers, "default": live.result["designs"][key]["diagram_servers"]}
    figure = diagram_build.cached_figure(diagram_build.script_path(script), options)
    hidden = "" if key == next(iter(live.views)) else " hidden"
    return f'<div class="live__view" data-live-view="{escape(key)}"{hidden}>{figure}</div>'


def readout() -> str:
    return (
        '<div class="live__readout" hidden>'
        '<p class="live__event" aria-live="polite"></p>'
        '<dl class="live__counters"></dl>'
        "</div>"
    )


def playback(prefix: str) -> str:
    return (
        f'<div class="live__playback" hidden>'
        '<button type="button" class="md-button tool-button live__back">Step back</button>'
        '<button type="button" class="md-button tool-button live__play">Play</button>'
        '<button type="button" class="md-button tool-button live__forward">Step forward</button>'
        f'<label class="live__scrub-label" for="{prefix}-time">Time</label>'
        f'<input type="range" class="live__scrub" id="{prefix}-time" min="0" max="0" step="1" value="0">'
        f'<output class="live__time" for="{prefix}-time"></output>'
        "</div>"
    )


def controls(live: LiveBlock, prefix: str) -> str:
    if not live.controls:
        return ""
    parameters = live.result["parameters"]
    rows = "".join(
        f'<div class="live__control">'
        f'<label for="{prefix}-{c.option}">{escape(c.label)}</label>'
        f'<input type="range" id="{prefix}-{c.option}" data-live-option="--{c.option.replace("_", "-")}"'
        f' data-live-parameter="{escape(c.option)}" min="{c.minimum}" max="{c.maximum}" step="{c.step}" value="{parameters[c.option]}">'
        f'<output for="{prefix}-{c.option}">{parameters[c.option]}</output>'
        "</div>"
        for c in live.controls
    )
    return f'<fieldset class="live__controls" hidden><legend>Run again with</legend>{rows}</fieldset>'
