"""The lab's report: for each scenario, the measured figures above the simulation's, in the
shape of the simulation's own summary table (`python snippets/crash.py` prints the same)."""

from __future__ import annotations

from types import ModuleType

from lab import simulation


def table(module: ModuleType, designs: dict, figures: str) -> str:
    """`figures` is "measured" or "predicted"; a figure one side does not have shows as "-"."""
    headers = ["Design", *(header for header, _ in module.COLUMNS)]
    rows = [[design["label"], *(shown(design[figures].get(name)) for _, name in module.COLUMNS)]
            for design in designs.values()]
    return simulation.snippet("sessionlab").table(headers, rows)


def scenario(module: ModuleType, key: str, result: dict) -> str:
    designs = result["designs"]
    settings = result["settings"]
    lines = [
        f"{key}: {result['command']}",
        f"(1 simulated minute = {settings['minute_seconds']:g} s; HAProxy "
        + ("retries on another server)" if settings["retry"] else "does not retry)"),
        "",
        "Measured: real HAProxy, Redis and web servers on 127.0.0.1",
        table(module, designs, "measured"),
        "",
    ]
    if result["simulation_command"]:
        lines += [f"Simulated: {result['simulation_command']}", table(module, designs, "predicted")]
    else:
        lines.append(f"Simulated: none ({result['simulation_missing']})")
    lines += ["", *(notes(design) for design in designs.values())]
    return "\n".join(lines).rstrip() + "\n"


def notes(design: dict) -> str:
    """The design's details in one line: detection time, how late the load ran..."""
    return f"  {design['label']}: " + ", ".join(detail(name, value) for name, value in design["details"].items())


def detail(name: str, value: object) -> str:
    """detection_minutes 0.95 -> "detection minutes 0.95"; a dict's items follow its name."""
    if isinstance(value, dict):
        value = " ".join(f"{key.replace('_', ' ')} {item}" for key, item in value.items())
    return f"{name.replace('_', ' ')} {value}"


def shown(figure: object) -> object:
    return "-" if figure is None else figure
