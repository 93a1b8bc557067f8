"""A ```live block's body, checked against its snippet's result before anything is drawn."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from machinery import snippet_runs
from machinery.diagram import figure
from machinery.fence import FenceError
from machinery.runnable import RunnableBlock

KEYS = ("snippet", "views", "servers", "controls", "compare", "args", "time_limit")
CONTROL_KEYS = ("label", "min", "max", "step")
COMPARE_KEYS = ("button", "before", "counters")


@dataclass(frozen=True)
class Control:
    option: str  # the snippet's parameter, e.g. crash_at (--crash-at)
    label: str
    minimum: int
    maximum: int
    step: int

    @property
    def constant(self) -> str:
        """The line at the top of the snippet that the control rewrites: crash_at -> CRASH_AT."""
        return self.option.upper()


@dataclass(frozen=True)
class Compare:
    """The designs side by side, shown just before minute `before`; one button plays them on to the end."""

    button: str
    before: int  # the pictures open on the minute before this one (the crash's, say)
    counters: tuple[str, ...]  # the counters shown under each picture

    @property
    def start(self) -> int:
        return self.before - 1


@dataclass(frozen=True)
class LiveBlock:
    block: RunnableBlock
    views: dict[str, str]  # design key -> diagram script
    servers: tuple[int, ...]
    controls: tuple[Control, ...]
    result: dict
    compare: Compare | None = None

    @classmethod
    def from_source(cls, source: str) -> LiveBlock:
        spec = parse(source)
        options = {key: str(spec[key]) for key in ("args", "time_limit") if key in spec}
        block = RunnableBlock.from_options(str(spec["snippet"]), options)
        try:
            servers = figure.server_range(str(spec["servers"]))
        except FenceError as problem:
            raise FenceError(f"`servers:` {problem}") from None
        result = snippet_runs.result(block.run)
        views = check_views(spec["views"], result, servers, block.run.file)
        controls = tuple(
            parse_control(name, settings, result, block.run.file) for name, settings in (spec.get("controls") or {}).items()
        )
        check_controls_against_args(controls, block.run.args)
        compare = parse_compare(spec["compare"], result, views) if "compare" in spec else None
        if compare and controls:
            raise FenceError("`compare:` shows the designs side by side with one button: it takes no `controls:`")
        return cls(block, views, servers, controls, result, compare)


def parse(source: str) -> dict:
    try:
        spec = yaml.safe_load(source)
    except yaml.YAMLError as problem:
        raise FenceError(f"the block is not valid YAML: {problem}") from None
    if not isinstance(spec, dict) or not {"snippet", "servers"} <= set(spec) or not isinstance(spec.get("views"), dict):
        raise FenceError("the block needs `snippet:` (a file in snippets/), `servers:` (e.g. 2-8) and `views:` (design: diagram script)")
    unknown = sorted(set(spec) - set(KEYS))
    if unknown:
        raise FenceError(f"unknown key(s) {', '.join(unknown)} (known: {', '.join(KEYS)})")
    return spec


def check_views(views: dict, result: dict, servers: tuple[int, ...], file: str) -> dict[str, str]:
    """Every view names a design of the result, drawn for its number of servers."""
    designs = result.get("designs")
    if not isinstance(designs, dict):
        raise FenceError(f"snippets/{file} --json printed no `designs` to show")
    for key in views:
        design = designs.get(key)
        if not isinstance(design, dict) or not design.get("timeline"):
            raise FenceError(f"`views:` snippets/{file} has no design {key!r} with a timeline (it has: {', '.join(designs)})")
        if design.get("diagram_servers") not in servers:
            raise FenceError(
                f"`views:` design {key!r} of snippets/{file} needs a picture of {design.get('diagram_servers')} servers, "
                f"but `servers:` draws {servers[0]}-{servers[-1]}"
            )
    return {str(key): str(script) for key, script in views.items()}


def parse_compare(settings: object, result: dict, views: dict[str, str]) -> Compare:
    if not isinstance(settings, dict) or set(settings) - set(COMPARE_KEYS) or not set(COMPARE_KEYS) <= set(settings):
        raise FenceError(f"`compare:` needs {', '.join(COMPARE_KEYS)}")
    compare = Compare(str(settings["button"]), settings["before"], tuple(map(str, settings["counters"] or ())))
    if not isinstance(compare.before, int):
        raise FenceError(f"`compare:` before must be a minute, not {compare.before!r}")
    for key in views:
        timeline = result["designs"][key]["timeline"]
        if compare.start not in [snapshot["minute"] for snapshot in timeline]:
            raise FenceError(f"`compare:` design {key!r} has no minute {compare.start} (just before {compare.before}) in its timeline")
        known = timeline[0]["counters"]
        missing = sorted(set(compare.counters) - set(known))
        if missing:
            raise FenceError(f"`compare:` design {key!r} has no counter {', '.join(missing)} (it has: {', '.join(known)})")
    if len(views) <= 1:
        raise FenceError("`compare:` needs at least two `views:` to put side by side")
    return compare


def check_controls_against_args(controls: tuple[Control, ...], args: tuple[str, ...]) -> None:
    """A control rewrites its constant in the code; an option in `args` would override it unseen."""
    for control in controls:
        flag = "--" + control.option.replace("_", "-")
        if flag in args or any(arg.startswith(flag + "=") for arg in args):
            raise FenceError(f"control {control.option!r}: `args:` also sets {flag}, which would override the control")


def parse_control(name: str, settings: object, result: dict, file: str) -> Control:
    parameters = result.get("parameters") or {}
    if name not in parameters:
        raise FenceError(f"control {name!r}: snippets/{file} has no parameter {name} (it has: {', '.join(parameters)})")
    if not isinstance(settings, dict) or set(settings) - set(CONTROL_KEYS) or not {"label", "min", "max"} <= set(settings):
        raise FenceError(f"control {name!r} needs label, min and max (and may have step)")
    control = Control(name, str(settings["label"]), settings["min"], settings["max"], settings.get("step", 1))
    numbers = (control.minimum, control.maximum, control.step)
    if not all(isinstance(value, int) for value in numbers) or control.step < 1 or control.minimum >= control.maximum:
        raise FenceError(f"control {name!r}: min < max and step >= 1, all whole numbers")
    if not control.minimum <= parameters[name] <= control.maximum:
        raise FenceError(f"control {name!r}: the snippet's value {parameters[name]} is outside {control.minimum}-{control.maximum}")
    return control
