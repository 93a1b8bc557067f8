"""What the session-loss simulations in this folder have in common.

Each simulation (crash.py, scale_out.py, ...) does `import sessionlab as lab` for the
plumbing that would otherwise be copied into every file, so that each file keeps only
its own model:

- `checked`, `at_most`, `at_least`: the checks of a simulation's parameters. Each
  simulation declares, beside its UPPER_CASE parameters, the range each one accepts
  (BOUNDS); a value outside it raises a ValueError naming it, such as
  "SERVERS (--servers) must be between 2 and 12 (got 0)";
- `main`: runs a simulation from the command line; every parameter of its
  `simulate()` becomes an option (servers -> --servers) whose --help shows its range,
  so `python snippets/crash.py --servers 6` works, and --json prints the result as JSON;
- `RoundRobin` and `fill_least_loaded`: the two ways a load balancer hands out work;
  `steady_sessions`: users who come and go at a steady rate;
- `Timeline`: snapshots of the system, minute by minute, which the report prints and a
  live diagram on the site replays;
- `table`, `plural`, `megabytes`, `shares`: small pieces of the reports, which fit a
  phone's column (WIDTH).

A result is {"scenario", "parameters", "bounds", "designs": {key: design(...)}}; bounds
maps each numeric parameter to [lowest, highest]. Each design has a label, the number
of web servers its picture shows, its totals, and a timeline: one snapshot a minute,
saying for each diagram node it mentions (web-1, session-store, ...; the ids of
diagrams/README.md) its status (up, down, draining, restarting, off), a short note
("512 sessions"; empty for none) and its share of that minute's requests; the counters
so far ("Sessions lost": 500); and the events of that minute. A live diagram on the site
draws exactly that and computes nothing.
"""

from __future__ import annotations

import argparse
import inspect
import json
import random
import textwrap
from collections import Counter
from collections.abc import Callable

STATUSES = ("up", "down", "draining", "restarting", "off")
# The most web servers the site's pictures are drawn for (MAX_SERVERS in machinery/diagram/figure.py).
DIAGRAM_SERVERS = 12
SEEDS = (0, 2**32 - 1)  # the seeds every simulation accepts
MB = 1_000_000  # reports count megabytes in powers of ten, like disk makers and networks
WIDTH = 72  # the widest report line: a phone's column


# Parameters -------------------------------------------------------------------------


class ParameterError(ValueError):
    """A parameter outside the range its simulation accepts.

    simulate() raises it; on the command line, main() turns it into a usage error.
    """

    def __init__(self, name: str, value: object, must: str) -> None:
        super().__init__(f"{name.upper()} ({option(name)}) must {must} (got {value!r})")
        self.name, self.value, self.must = name, value, must


def option(name: str) -> str:
    """crash_at -> --crash-at."""
    return "--" + name.replace("_", "-")


def check(name: str, value: object, must: str, *, ok: bool) -> None:
    """Raise ParameterError("SERVERS (--servers) must ... (got 0)") unless ok."""
    if not ok:
        raise ParameterError(name, value, must)


def checked(bounds: dict[str, tuple], **values: object) -> dict:
    """The parameters of one run as a dict, once each has been checked.

    A parameter named in `bounds` must be a number within its (lowest, highest): a whole
    number if the bounds are whole numbers. Any other parameter is an on/off switch.
    """
    for name, value in values.items():
        if name in bounds:
            within(name, value, *bounds[name])
        else:
            check(name, value, "be True or False", ok=isinstance(value, bool))
    return values


def within(name: str, value: object, lowest: float, highest: float) -> None:
    whole = isinstance(lowest, int)
    kinds = int if whole else (int, float)
    check(name, value, "be a whole number" if whole else "be a number",
          ok=isinstance(value, kinds) and not isinstance(value, bool))
    # Written so that NaN, which fails every comparison, fails it too.
    check(name, value, f"be between {lowest:,} and {highest:,}", ok=lowest <= value <= highest)


def at_most(name: str, value: int, limit: int, because: str) -> None:
    """A limit that depends on another parameter: at_most("crash_at", 70, 59, "MINUTES is 60")."""
    check(name, value, f"be at most {limit:,}, as {because}", ok=value <= limit)


def at_least(name: str, value: int, limit: int, because: str) -> None:
    check(name, value, f"be at least {limit:,}, as {because}", ok=value >= limit)


def ranges(bounds: dict[str, tuple]) -> dict[str, list]:
    """The bounds as a result carries them: {"servers": [2, 12], ...}."""
    return {name: list(pair) for name, pair in bounds.items()}


def main(description: str, simulate: Callable[..., dict], report: Callable[[dict], str],
         bounds: dict[str, tuple], argv: list[str] | None = None) -> dict:
    """Run `simulate` with the command line's options; print its report, or JSON with --json.

    Every parameter of simulate() is an option: a number within its bounds, or for a
    True/False default a pair of flags (--retry / --no-retry). A value simulate() refuses
    ends the program as argparse does: the usage line, one line saying what is wrong,
    exit status 2. Returns the result.
    """
    parser = argparse.ArgumentParser(description=description.strip().splitlines()[0], usage="%(prog)s [options]",
                                     argument_default=argparse.SUPPRESS, allow_abbrev=False)
    defaults = {}
    for name, parameter in inspect.signature(simulate).parameters.items():
        defaults[name] = default = parameter.default
        if name in bounds:
            lowest, highest = bounds[name]
            parser.add_argument(option(name), dest=name, type=type(lowest), metavar="N",
                                help=f"{lowest:,} to {highest:,} (default: {as_typed(default)})")
        else:
            parser.add_argument(option(name), dest=name, action=argparse.BooleanOptionalAction,
                                help=f"(default: {'on' if default else 'off'})")
    parser.add_argument("--json", action="store_true", help="print the result as JSON instead of a report")
    given = vars(parser.parse_args(argv))
    as_json = given.pop("json", False)
    try:
        result = simulate(**{**defaults, **given})
    except ParameterError as error:
        # Name what the reader typed: the option, or the constant they edited at the top.
        named = option(error.name) if error.name in given else error.name.upper()
        parser.error(f"{named} must {error.must} (got {error.value!r})")
    print(json.dumps(result, indent=1) if as_json else report(result))
    return result


def as_typed(value: object) -> str:
    """2000 -> "2,000"; a value of the wrong type as Python writes it: "4" -> "'4'"."""
    return f"{value:,}" if isinstance(value, (int, float)) else repr(value)


# Load balancing ---------------------------------------------------------------------


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

    def deal(self, requests: int) -> dict[int, int]:
        """How many of `requests` each server gets, for the servers that get any: the same
        as calling next() that often, without a step per request."""
        if not self.rotation:
            return {}
        whole, extra = divmod(requests, len(self.rotation))
        start = self.turn % len(self.rotation)
        in_turn = self.rotation[start:] + self.rotation[:start]
        self.turn += requests
        if not whole:
            return dict.fromkeys(in_turn[:extra], 1)
        return {server: whole + (position < extra) for position, server in enumerate(in_turn)}

    def spread(self, requests: int, servers: int) -> list[int]:
        """How many of `requests` each of `servers` gets (0 for a server out of the rotation)."""
        shares = [0] * servers
        for server, count in self.deal(requests).items():
            shares[server] = count
        return shares

    def remove(self, server: int) -> None:
        if server in self.rotation:
            self.rotation.remove(server)

    def add(self, server: int) -> None:
        if server not in self.rotation:
            self.rotation.append(server)
            self.rotation.sort()


def fill_least_loaded(loads: list[int], servers: list[int], amount: int) -> dict[int, int]:
    """Hand `amount` new sessions, one at a time, to whichever of `servers` has the fewest
    (the first of them on a tie), as a least-connections load balancer does.

    Adds them to `loads` and returns how many each server got. Handing out thousands one
    by one would be slow; the outcome is the same as filling the emptiest servers up to a
    common level, and then giving one more to the first few servers at that level.
    """
    if amount < len(servers):  # a few: one at a time is quicker
        given: dict[int, int] = {}
        for _ in range(amount):
            server = min(servers, key=loads.__getitem__)
            loads[server] += 1
            given[server] = given.get(server, 0) + 1
        return given
    ranked = sorted(loads[server] for server in servers)
    level, spent, at_level = ranked[0], 0, len(ranked)
    for count, load in enumerate(ranked[1:], start=1):
        cost = (load - level) * count  # raising the `count` emptiest servers to `load`
        if spent + cost > amount:
            at_level = count
            break
        spent, level = spent + cost, load
    raise_by, extra = divmod(amount - spent, at_level)
    level += raise_by
    given = {}
    for server in servers:
        new_load = max(loads[server], level)
        if new_load == level and extra:
            new_load, extra = new_load + 1, extra - 1
        given[server], loads[server] = new_load - loads[server], new_load
    return given


def steady_sessions(active: int, session_minutes: int, minutes: int,
                    seed: int) -> tuple[dict[int, int], list[dict[int, int]]]:
    """Users who come and go at a steady rate, so the number logged in stays level.

    Returns how many of the `active` sessions under way at minute 0 have each number of
    minutes left, and for each minute how many sessions of each length start during it
    (their first request comes the next minute). Lengths run evenly from 1 to
    2 x session_minutes - 1. These are counts ({length: sessions}), so a minute with
    10,000 logins costs no more than one with 100.
    """
    rng = random.Random(seed)
    longest = 2 * session_minutes - 1
    # A session caught in progress is more likely a long one, so its remaining minutes
    # are not drawn evenly: the shorter of two draws, from 1..longest and 1..longest + 1,
    # gives exactly the right odds, and with it the number of sessions stays level.
    # (rng.random() rather than rng.randrange(): far quicker, and this runs per session.)
    remaining = Counter(1 + min(int(rng.random() * longest), int(rng.random() * (longest + 1)))
                        for _ in range(active))
    starting = []
    for minute in range(minutes):
        count = (minute + 1) * active // session_minutes - minute * active // session_minutes
        starting.append(even_lengths(count, longest, rng))
    return dict(sorted(remaining.items())), starting


def even_lengths(count: int, longest: int, rng: random.Random) -> dict[int, int]:
    """`count` session lengths spread evenly over 1..longest: the same number of each,
    and the few left over at lengths drawn at random."""
    each, left_over = divmod(count, longest)
    lengths = dict.fromkeys(range(1, longest + 1), each) if each else {}
    for length in sorted(rng.sample(range(1, longest + 1), left_over)):
        lengths[length] = lengths.get(length, 0) + 1
    return lengths


# Timeline ---------------------------------------------------------------------------


def node(status: str, note: str, traffic: float = 0.0) -> dict:
    """How one diagram node looks in a snapshot; traffic is its share of the minute's requests."""
    if status not in STATUSES:
        problem = f"unknown status {status!r}"
        raise ValueError(problem)
    return {"status": status, "note": note, "traffic": round(traffic, 3)}


def shares(counts: list[int]) -> list[float]:
    """Each count's share of their sum (all 0.0 when there is nothing to share)."""
    total = sum(counts)
    return [count / total if total else 0.0 for count in counts]


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
    """A design's events for a report, "  minute  30: web-2 crashes...", wrapped to WIDTH."""
    return "\n".join(
        textwrap.fill(f"minute {e['minute']:>3}: {e['text']}", width=WIDTH, initial_indent="  ",
                      subsequent_indent=" " * 15, break_on_hyphens=False)
        for e in events(design)
    )


# Output -----------------------------------------------------------------------------


def plural(amount: int, noun: str, nouns: str = "") -> str:
    """plural(1, "session") -> "1 session", plural(2500, "session") -> "2,500 sessions";
    nouns is the plural when it is not noun + "s": plural(2, "entry", "entries")."""
    return f"{amount:,} {noun if amount == 1 else nouns or noun + 's'}"


def totals_table(designs: list[dict], rows: list[tuple[str, Callable[[dict], object]]]) -> str:
    """One column per design, one row per (label, what of its totals): the summary of a report."""
    return table(["", *(design["label"] for design in designs)],
                 [[label, *(value(design["totals"]) for design in designs)] for label, value in rows])


def table(headers: list[str], rows: list[list[object]]) -> str:
    """A plain-text table: names in the first column, left-aligned; numbers in the others,
    right-aligned, with thousands separators. A header may take two lines
    ("Sessions\\nlost"), which keeps a column of numbers narrow.
    """
    cells = [[format_cell(value) for value in row] for row in rows]
    header_lines = [header.split("\n") for header in headers]
    height = max(len(lines) for lines in header_lines)
    stacked = [[""] * (height - len(lines)) + lines for lines in header_lines]  # bottom-aligned
    columns = list(zip(*cells, strict=True)) if cells else [()] * len(headers)
    widths = [max(len(text) for text in [*lines, *column]) for lines, column in zip(stacked, columns, strict=True)]

    def line(texts: list[str]) -> str:
        return "  ".join(text.rjust(width) if column else text.ljust(width)
                         for column, (text, width) in enumerate(zip(texts, widths, strict=True))).rstrip()

    heading = [line([lines[row] for lines in stacked]) for row in range(height)]
    return "\n".join([*heading, line(["-" * w for w in widths]), *(line(row) for row in cells)])


def paragraph(text: str) -> str:
    """Text wrapped to WIDTH; a blank line in it starts a new paragraph."""
    return "\n\n".join(textwrap.fill(part, WIDTH, break_on_hyphens=False) for part in text.split("\n\n"))


def megabytes(size: float) -> str:
    return f"{size / MB:,.1f} MB"


def format_cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)
