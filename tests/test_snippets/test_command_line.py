"""Every simulation as a reader runs it in a terminal: `python snippets/<name>.py [options]`.

A bad value fails with a ValueError that names the parameter and its option; a good run
prints a readable report (at most 40 lines of at most 100 columns) or, with --json,
exactly the result of simulate().
"""

from __future__ import annotations

import importlib
import json

import pytest

from tests.conftest import run_snippet
from tests.test_snippets.conftest import SNIPPETS

SIMULATIONS = sorted(path.stem for path in SNIPPETS.glob("*.py") if path.stem != "sessionlab")

INVALID = [
    ("crash", ["--servers", "1"], "SERVERS (--servers) must be at least 2, got 1"),
    ("crash", ["--users", "-5"], "USERS (--users) must be at least 0, got -5"),
    ("crash", ["--crash-server", "7"], "CRASH_SERVER (--crash-server) must be at most 4, got 7"),
    ("crash", ["--crash-at", "60"], "CRASH_AT (--crash-at) must be at most 59, got 60"),
    ("memory", ["--servers", "0"], "SERVERS (--servers) must be at least 1, got 0"),
    ("memory", ["--login-minutes", "0"], "LOGIN_MINUTES (--login-minutes) must be at least 1, got 0"),
    ("memory", ["--runtime-factor", "0.5"], "RUNTIME_FACTOR (--runtime-factor) must be a number from 1 to 10, got 0.5"),
    ("memory", ["--store-replicas", "-1"], "STORE_REPLICAS (--store-replicas) must be at least 0, got -1"),
    ("replication", ["--servers", "1"], "SERVERS (--servers) must be at least 2, got 1"),
    ("replication", ["--crashes", "5"], "CRASHES (--crashes) must be at most 4, got 5"),
    ("replication", ["--crashes", "0"], "CRASHES (--crashes) must be at least 1, got 0"),
    ("replication", ["--crash-at", "19"], "CRASH_AT (--crash-at) must be at most 18, got 19"),
    ("rolling_deploy", ["--servers", "13"], "SERVERS (--servers) must be at most 12, got 13"),
    ("rolling_deploy", ["--restart-minutes", "0"], "RESTART_MINUTES (--restart-minutes) must be at least 1, got 0"),
    ("rolling_deploy", ["--sessions", "-1"], "SESSIONS (--sessions) must be at least 0, got -1"),
    ("scale_out", ["--start-servers", "0"], "START_SERVERS (--start-servers) must be at least 1, got 0"),
    ("scale_out", ["--added-servers", "9"], "ADDED_SERVERS (--added-servers) must be at most 8, got 9"),
    ("scale_out", ["--scale-at", "90"], "SCALE_AT (--scale-at) must be at most 89, got 90"),
    ("store_failure", ["--store-down-at", "60"], "STORE_DOWN_AT (--store-down-at) must be at most 59, got 60"),
    ("store_failure", ["--failover-seconds", "301"],
     "FAILOVER_SECONDS (--failover-seconds) must be at most 300 (STORE_RESTART_MINUTES x 60): "
     "the replica takes over before the failed store is back, got 301"),
    ("token_revocation", ["--revoked", "1001"], "REVOKED (--revoked) must be at most 1000, got 1001"),
    ("token_revocation", ["--minutes", "80"],
     "MINUTES (--minutes) must be at least 90 (LOGIN_MINUTES + TOKEN_MINUTES), "
     "so that every revoked token expires within the run, got 80"),
]

# (simulation, options, pieces of its report): options a reader might try, and what must show.
REPORTS = [
    ("crash", ["--servers", "5"], ["Crash: web-2 of 5 servers crashes at minute 30", "Stateful (sticky)            400"]),
    ("memory", ["--users", "2000", "--servers", "5"],
     ["Memory: 2,000 users log in over 10 minutes to 5 web servers; 1 MB = 1,000,000 bytes.", "At 100,000 users"]),
    ("replication", ["--crashes", "2"],
     ["At minute 10 web-2 and web-3 crash;", "One backup          2,500                 1"]),
    ("rolling_deploy", ["--servers", "3"],
     ["Rolling deploy: 3 servers restart one at a time from minute 5, each for 2 minutes.",
      "web-3 restarts without draining"]),
    ("scale_out", ["--added-servers", "2"],
     ["Scale out: 11,200 sessions on 4 servers (2,800 each; comfortable: 2,000); 2 more join at minute 10.",
      "web-5 to web-6 join with no sessions"]),
    ("store_failure", ["--failover-seconds", "10"],
     ["No replica                  1,478       1,478", "  minute  30: After 10 seconds the replica is promoted"]),
    ("token_revocation", ["--short-token-minutes", "15"],
     ["Token revocation: 10 of 1,000 users are logged out or banned",
      "Long-lived token                             289              55", "Deny list entries at minute 0: 0, 10: 0,"]),
]


def test_every_simulation_is_covered() -> None:
    assert sorted({name for name, _, _ in INVALID}) == sorted({name for name, _, _ in REPORTS}) == SIMULATIONS


@pytest.mark.parametrize(("name", "arguments", "message"), INVALID, ids=[f"{n} {' '.join(a)}" for n, a, _ in INVALID])
def test_a_bad_parameter_fails_with_a_message_naming_it(name: str, arguments: list[str], message: str) -> None:
    process = run_snippet(f"{name}.py", *arguments)
    assert process.returncode == 1
    assert process.stderr.strip().splitlines()[-1] == f"ValueError: {message}"


@pytest.mark.parametrize(("name", "arguments", "pieces"), REPORTS, ids=[n for n, _, _ in REPORTS])
def test_the_report_is_readable_and_the_json_is_the_result(name: str, arguments: list[str], pieces: list[str]) -> None:
    report = run_snippet(f"{name}.py", *arguments)
    assert report.returncode == 0, report.stderr
    for piece in pieces:
        assert piece in report.stdout
    lines = report.stdout.splitlines()
    assert len(lines) <= 40 and max(len(line) for line in lines) <= 100
    options = {arguments[i].removeprefix("--").replace("-", "_"): int(arguments[i + 1]) for i in range(0, len(arguments), 2)}
    as_json = json.loads(run_snippet(f"{name}.py", *arguments, "--json").stdout)
    assert as_json == importlib.import_module(name).simulate(**options)
