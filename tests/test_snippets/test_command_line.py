"""Every simulation as a reader runs it in a terminal: `python snippets/<name>.py [options]`.

A value outside what a simulation accepts ends it as argparse does: the usage line and one
line naming the option and its range, exit status 2, no traceback. A good run prints a
report that fits a phone's column (lab.WIDTH) or, with --json, exactly the result of
simulate(). The bad values are generated from each snippet's BOUNDS and tried on its
lab.main() in this process (the quick way); the other cases run the real command.
"""

from __future__ import annotations

import json

import pytest
import sessionlab as lab

from tests.conftest import run_snippet
from tests.test_snippets import spaces


def out_of_bounds() -> list[tuple[str, str, str, str]]:
    """(simulation, option, value, the message) just below and just above every range."""
    cases = []
    for name in spaces.SIMULATIONS:
        for parameter, (lowest, highest) in spaces.module(name).BOUNDS.items():
            step = 1 if isinstance(lowest, int) else 0.5
            for value in (lowest - step, highest + step):
                range_text = f"between {lowest:,} and {highest:,}"
                cases.append((name, lab.option(parameter), str(value),
                              f"{lab.option(parameter)} must be {range_text} (got {value!r})"))
    return cases


# Limits that depend on another parameter, each checked by its simulate().
DEPENDENT = [
    ("crash", ["--crash-server", "7"], "--crash-server must be at most 4, as SERVERS is 4 (got 7)"),
    ("crash", ["--crash-at", "20"], "--crash-at must be at most 19, as MINUTES is 20 (got 20)"),
    ("crash", ["--login-minutes", "21"], "--login-minutes must be at most 20, as MINUTES is 20 (got 21)"),
    ("replication", ["--crashes", "5"], "--crashes must be at most 4, as SERVERS is 4 (got 5)"),
    ("replication", ["--crash-at", "4"], "--crash-at must be at most 3, as MINUTES is 5 (got 4)"),
    ("scale_out", ["--added-servers", "9"],
     "--added-servers must be at most 8, as START_SERVERS is 4 and the pictures show at most 12 (got 9)"),
    ("scale_out", ["--scale-at", "45"], "--scale-at must be at most 44, as MINUTES is 45 (got 45)"),
    ("store_failure", ["--store-down-at", "24"], "--store-down-at must be at most 23, as MINUTES is 24 (got 24)"),
    ("store_failure", ["--login-minutes", "25"], "--login-minutes must be at most 24, as MINUTES is 24 (got 25)"),
    ("store_failure", ["--failover-seconds", "301"],
     "--failover-seconds must be at most 300, as STORE_RESTART_MINUTES is 5 (got 301)"),
    ("token_revocation", ["--users", "500", "--revoked", "501"],
     "--revoked must be at most 500, as USERS is 500 (got 501)"),
    ("token_revocation", ["--short-token-minutes", "61"],
     "--short-token-minutes must be at most 60, as TOKEN_MINUTES is 60 (got 61)"),
    ("token_revocation", ["--minutes", "80"],
     "--minutes must be at least 90, as LOGIN_MINUTES + TOKEN_MINUTES is 90 (got 80)"),
]

# (simulation, options, pieces of its report): options a reader might try, and what must show.
REPORTS = [
    ("crash", ["--servers", "5"], ["Crash: web-2 of 5 servers crashes at minute 12",
                                   "Sessions lost                      400"]),
    ("crash", ["--retry", "--users", "100000"], ["until then it resends each refused",
                                                 "Requests retried                25,000        33,333"]),
    ("memory", ["--users", "2000", "--servers", "5"], ["Memory: 2,000 users log in over 10 minutes to 5 web servers",
                                                       "Anti-pattern: the whole session"]),
    ("replication", ["--crashes", "2"], ["At minute 2 web-2 and web-3 crash;", "Sessions lost             5,000"]),
    ("replication", ["--any-node-fetches"], ["web-2's 2,500 users are shared among the 3 servers left,"]),
    ("rolling_deploy", ["--servers", "3"],
     ["Rolling deploy: 3 servers restart one at a time from minute 5", "web-3 restarts without draining"]),
    ("scale_out", ["--added-servers", "2"],
     ["Scale out: 11,200 sessions on 4 servers (2,800 each; comfortable:", "web-5 to web-6 join with no sessions"]),
    ("store_failure", ["--failover-seconds", "10"], ["minute  15: After 10 seconds the replica is promoted"]),
    ("token_revocation", ["--short-token-minutes", "15", "--servers", "6"],
     ["Token revocation: 10 of 1,000 users are logged out or banned", "60 pushes in all"]),
]


def usage_error(name: str, arguments: list[str], line: str) -> None:
    process = run_snippet(f"{name}.py", *arguments)
    assert process.returncode == 2, process.stderr
    assert process.stdout == ""
    assert process.stderr.splitlines() == [f"usage: {name}.py [options]", f"{name}.py: error: {line}"]


@pytest.mark.parametrize(("name", "option", "value", "line"), out_of_bounds(),
                         ids=[f"{n} {o} {v}" for n, o, v, _ in out_of_bounds()])
def test_a_value_out_of_bounds_is_one_line_naming_the_option_and_its_range(
        capsys: pytest.CaptureFixture[str], name: str, option: str, value: str, line: str) -> None:
    simulation = spaces.module(name)
    with pytest.raises(SystemExit) as stop:
        simulation.lab.main(simulation.__doc__, simulation.simulate, simulation.report, simulation.BOUNDS,
                            [option, value])
    out, err = capsys.readouterr()
    assert (stop.value.code, out) == (2, "")
    usage, error = err.splitlines()  # no traceback
    assert usage.endswith(" [options]")
    assert error.endswith(f": error: {line}")


@pytest.mark.parametrize("name", spaces.SIMULATIONS)
def test_the_real_command_says_the_same(name: str) -> None:
    parameter, (lowest, highest) = next(iter(spaces.module(name).BOUNDS.items()))
    usage_error(name, [lab.option(parameter), str(highest + 1)],
                f"{lab.option(parameter)} must be between {lowest:,} and {highest:,} (got {highest + 1})")


@pytest.mark.parametrize(("name", "arguments", "line"), DEPENDENT, ids=[f"{n} {' '.join(a)}" for n, a, _ in DEPENDENT])
def test_a_limit_set_by_another_parameter_is_one_line_too(name: str, arguments: list[str], line: str) -> None:
    usage_error(name, arguments, line)


def test_every_simulation_is_covered() -> None:
    assert {name for name, _, _ in DEPENDENT} | {"memory", "rolling_deploy"} == set(spaces.SIMULATIONS)
    assert {name for name, _, _ in REPORTS} == set(spaces.SIMULATIONS)


def test_help_lists_every_option_with_its_range() -> None:
    for name in spaces.SIMULATIONS:
        text = run_snippet(f"{name}.py", "--help").stdout
        for parameter, (lowest, highest) in spaces.module(name).BOUNDS.items():
            assert f"{lab.option(parameter)} N" in text
            assert f"{lowest:,} to {highest:,} (default: " in text
        for parameter in spaces.flags(name):
            assert f"{lab.option(parameter)}, --no-{lab.option(parameter)[2:]}" in text


@pytest.mark.parametrize(("name", "arguments", "pieces"), REPORTS, ids=[f"{n} {' '.join(a)}" for n, a, _ in REPORTS])
def test_the_report_fits_a_phone_and_the_json_is_the_result(name: str, arguments: list[str],
                                                            pieces: list[str]) -> None:
    report = run_snippet(f"{name}.py", *arguments)
    assert report.returncode == 0, report.stderr
    for piece in pieces:
        assert piece in report.stdout
    lines = report.stdout.splitlines()
    assert len(lines) <= 50
    assert max(len(line) for line in lines) <= lab.WIDTH
    as_json = json.loads(run_snippet(f"{name}.py", *arguments, "--json").stdout)
    assert as_json == spaces.module(name).simulate(**options(arguments))


def test_every_default_report_fits_a_phone() -> None:
    for name in spaces.SIMULATIONS:
        lines = run_snippet(f"{name}.py").stdout.splitlines()
        assert len(lines) <= 50, name
        assert max(len(line) for line in lines) <= lab.WIDTH, name


def options(arguments: list[str]) -> dict:
    """["--servers", "5", "--retry"] -> {"servers": 5, "retry": True}."""
    parsed, rest = {}, list(arguments)
    while rest:
        name = rest.pop(0).removeprefix("--").replace("-", "_")
        if rest and not rest[0].startswith("--"):
            parsed[name] = int(rest.pop(0))
        else:
            parsed[name.removeprefix("no_")] = not name.startswith("no_")
    return parsed
