"""What the session-loss simulations in this folder have in common.

Each simulation (crash.py, scale_out.py, ...) does `import sessionlab as lab` for the
plumbing that would otherwise be copied into every file, so that each file keeps only
its own model:

- `main`: runs a simulation from the command line; every parameter of its
  `simulate()` becomes an option (servers -> --servers), so
  `python snippets/crash.py --servers 6` works, and --json prints the result as JSON;
- `count`, `number`, `check`: the checks that turn a bad parameter into a ValueError
  naming it, such as "SERVERS (--servers) must be at least 1, got 0";
- `RoundRobin`: the load balancer most simulations share, and `steady_sessions`:
  users who come and go at a steady rate;
- `Timeline`: snapshots of the system, minute by minute, which the report prints and a
  live diagram on the site replays;
- `table`, `plural`, `megabytes`, `share`: small pieces of the reports.

A result is {"scenario", "parameters", "designs": {key: design(...)}}. Each design has a
label, the number of web servers its picture shows, its totals, and a timeline: one
snapshot a minute, saying for each diagram node it mentions (web-1, session-store, ...;
the ids of diagrams/README.md) its status (up, down, draining, restarting, off), a short
note ("512 sessions"; empty for none) and its share of that minute's requests; the
counters so far ("Sessions lost": 500); and the events of that minute. A live diagram on
the site draws exactly that and computes nothing.
"""

from __future__ import annotations

import argparse
import inspect
import json
import random
import textwrap
from collections.abc import Callable

STATUSES = ("up", "down", "draining", "restarting", "off")
# The most web servers the site's pictures are drawn for (MAX_SERVERS in machinery/diagram_build.py).
DIAGRAM_SERVERS = 12
MB = 1_000_000  # reports count megabytes in powers of ten, like disk makers and networks


# Parameters -------------------------------------------------------------------------


def option(name: str) -> str:
    """crash_at -> --crash-at."""
    return "--" + name.replace("_", "-")


def main(description: str, simulate: Callable[..., dict], report: Callable[[dict], str],
         argv: list[str] | None = None) -> dict:
    """Run `simulate` with the command line's options; print its report, or JSON with --json.

    Every parameter of simulate() is an option of the type of its default; a True/False
    default makes a pair of flags (--sticky / --no-sticky). Returns the result.
    """
    parser = argparse.ArgumentParser(description=description.strip().splitlines()[0])
    for name, parameter in inspect.signature(simulate).parameters.items():
        default = parameter.default
        if isinstance(default, bool):
            parser.add_argument(option(name), dest=name, action=argparse.BooleanOptionalAction, default=default)
        else:
            parser.add_argument(option(name), dest=name, type=type(default), default=default,
                                metavar=name.upper(), help=f"default: {default}")
    parser.add_argument("--json", action="store_true", help="print the result as JSON instead of a report")
    parameters = vars(parser.parse_args(argv))
    as_json = parameters.pop("json")
    result = simulate(**parameters)
    print(json.dumps(result, indent=1) if as_json else report(result))
    return result


def check(name: str, value: object, ok: bool, must: str) -> None:
    """Raise ValueError("SERVERS (--servers) must ..., got 0") unless ok."""
    if not ok:
        raise ValueError(f"{name.upper()} ({option(name)}) must {must}, got {value!r}")


def count(name: str, value: object, minimum: int = 0, maximum: int | None = None) -> None:
    """A whole number within [minimum, maximum]."""
    check(name, value, isinstance(value, int) and not isinstance(value, bool), "be a whole number")
    check(name, value, value >= minimum, f"be at least {minimum}")
    if maximum is not None:
        check(name, value, value <= maximum, f"be at most {maximum}")


def number(name: str, value: object, minimum: float, maximum: float) -> None:
    """A number within [minimum, maximum]."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    check(name, value, ok and minimum <= value <= maximum, f"be a number from {minimum} to {maximum}")


# The load balancer ------------------------------------------------------------------


class RoundRobin:
    """A load balancer that hands requests to the servers in its rotation, in turn.

    Servers are numbered from 0 here and named web-1, web-2, ... on the diagrams.
    """

    def __init__(self, servers: int) -> None:
        self.rotation = list(range(servers))
        self.turn = 0

    def next(self) -> int:
        """The server that gets the next request."""
        server = self.rotation[self.turn % len(self.rotation)]
        self.turn += 1
        return server

    def spread(self, requests: int, servers: int) -> list[int]:
        """How many of `requests` each of `servers` gets: the same as calling next() that often."""
        shares = [0] * servers
        if not self.rotation:
            return shares
        whole, extra = divmod(requests, len(self.rotation))
        for position, server in enumerate(self.rotation):
            shares[server] = whole + ((position - self.turn) % len(self.rotation) < extra)
        self.turn += requests
        return shares

    def remove(self, server: int) -> None:
        if server in self.rotation:
            self.rotation.remove(server)

    def add(self, server: int) -> None:
        if server not in self.rotation:
            self.rotation.append(server)
            self.rotation.sort()


def steady_sessions(active: int, session_minutes: int, minutes: int, seed: int) -> tuple[list[int], list[list[int]]]:
    """Users who come and go at a steady rate, so the number logged in stays level.

    Returns the minutes left to each of `active` sessions under way at minute 0, and for
    each minute the lengths of the sessions that start during it (their first request
    comes the next minute). Lengths run evenly from 1 to 2 x session_minutes - 1.
    """
    rng = random.Random(seed)
    longest = 2 * session_minutes - 1
    # A session caught in progress is more likely a long one, so its remaining minutes
    # are not drawn evenly: the shorter of these two draws gives exactly the right odds,
    # and with it the number of sessions stays level.
    remaining = [min(rng.randrange(1, longest + 1), rng.randrange(1, longest + 2)) for _ in range(active)]
    starting = []
    for minute in range(minutes):
        count = (minute + 1) * active // session_minutes - minute * active // session_minutes
        starting.append([rng.randrange(1, longest + 1) for _ in range(count)])
    return remaining, starting


# Timeline ---------------------------------------------------------------------------


def node(status: str, note: str, traffic: float = 0.0) -> dict:
    """How one diagram node looks in a snapshot; traffic is its share of the minute's requests."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    return {"status": status, "note": note, "traffic": round(traffic, 3)}


def plural(amount: int, noun: str) -> str:
    """plural(1, "session") -> "1 session", plural(2500, "session") -> "2,500 sessions"."""
    return f"{amount:,} {noun}" + ("" if amount == 1 else "s")


class Timeline:
    """Snapshots of one design, in time order."""

    def __init__(self) -> None:
        self.snapshots: list[dict] = []

    def record(self, minute: int, nodes: dict[str, dict], counters: dict[str, int], events: list[dict]) -> None:
        """Add the state at the end of `minute`; counters are running totals."""
        self.snapshots.append({"minute": minute, "events": events, "nodes": nodes, "counters": dict(counters)})


def event(kind: str, text: str, node_id: str | None = None) -> dict:
    """Something that happened: kind is a fixed word (server_down, sessions_lost, ...)."""
    return {"kind": kind, "node": node_id, "text": text}


def design(label: str, diagram_servers: int, totals: dict, timeline: Timeline) -> dict:
    """One design's part of a result: its name, its totals and its timeline.

    diagram_servers is how many web servers its picture must show.
    """
    return {"label": label, "diagram_servers": diagram_servers, "totals": totals, "timeline": timeline.snapshots}


def events(design: dict) -> list[dict]:
    """Every event of a design's timeline, each with its minute."""
    return [{"minute": snap["minute"], **event} for snap in design["timeline"] for event in snap["events"]]


def event_lines(design: dict) -> str:
    """A design's events for a report: "  minute  30: web-2 crashes...", wrapped at 100 columns."""
    return "\n".join(
        textwrap.fill(f"minute {e['minute']:>3}: {e['text']}", width=100, initial_indent="  ", subsequent_indent=" " * 15)
        for e in events(design)
    )


# Output -----------------------------------------------------------------------------


def table(headers: list[str], rows: list[list[object]]) -> str:
    """A plain-text table; numbers are right-aligned with thousands separators."""
    cells = [[format_cell(value) for value in row] for row in rows]
    widths = [max(len(text) for text in column) for column in zip(headers, *cells)]
    numeric = [all(isinstance(row[i], (int, float)) for row in rows) for i in range(len(headers))]

    def line(texts: list[str]) -> str:
        return "  ".join(t.rjust(w) if right else t.ljust(w) for t, w, right in zip(texts, widths, numeric)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(row) for row in cells)])


def megabytes(size: float) -> str:
    return f"{size / MB:,.1f} MB"


def share(part: int, parts: list[int]) -> float:
    """part's share of the sum of parts (0 when there is nothing to share)."""
    total = sum(parts)
    return part / total if total else 0.0


def format_cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


