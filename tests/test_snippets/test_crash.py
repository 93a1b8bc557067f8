"""snippets/crash.py: what one crashed web server costs each design, with and without retries."""

from __future__ import annotations

import crash
import pytest
from hypothesis import assume, given, settings

from tests.test_snippets import spaces

STATELESS = ("shared_store", "signed_tokens")
PINNED = crash.USERS // crash.SERVERS  # users pinned to each server: everyone logs in before the crash


@pytest.fixture(scope="module")
def default_run() -> dict:
    return crash.simulate()


@pytest.fixture(scope="module")
def retried_run() -> dict:
    return crash.simulate(retry=True)


def in_flight(requests_a_minute: int) -> int:
    """Little's law: the requests a server is answering at any moment."""
    return round(requests_a_minute * crash.RESPONSE_MS / 60_000)


def one_in(share: int, requests: int, turns: int) -> bool:
    """Whether `share` is what one server gets of `requests` handed out one in `turns`:
    requests / turns, give or take one, depending on where in the rotation they start."""
    return abs(share - requests / turns) <= 1


def test_stateless_designs_lose_no_session_when_a_web_server_crashes(default_run: dict, retried_run: dict) -> None:
    for run in (default_run, retried_run):
        for name in STATELESS:
            totals = run["designs"][name]["totals"]
            assert totals["sessions_lost"] == totals["carts_lost"] == totals["users_logged_out"] == 0
            assert totals["share_logged_out"] == 0.0
            assert totals["logged_in_at_end"] == crash.USERS


def test_stateful_loses_the_crashed_servers_share_of_sessions_retry_or_not(default_run: dict,
                                                                            retried_run: dict) -> None:
    for run in (default_run, retried_run):
        totals = run["designs"]["stateful"]["totals"]
        assert totals["sessions_lost"] == totals["users_logged_out"] == PINNED
        assert totals["logged_in_at_crash"] == crash.USERS
        assert totals["share_logged_out"] == round(PINNED / crash.USERS, 3)
        assert 0 < totals["carts_lost"] < totals["sessions_lost"]


def test_without_retries_a_crash_fails_the_requests_in_flight_and_the_rate_times_detection(default_run: dict) -> None:
    # Each server gets a quarter of the requests: USERS / SERVERS a minute, all the detection long.
    for totals in (design["totals"] for design in default_run["designs"].values()):
        assert totals["requests_in_flight"] == in_flight(PINNED) > 0
        assert totals["requests_failed"] == in_flight(PINNED) + PINNED * crash.DETECT_MINUTES
        assert totals["requests_retried"] == 0
    stateful = default_run["designs"]["stateful"]["timeline"]
    failed = [snap["counters"]["Requests failed"] for snap in stateful]
    assert failed[crash.CRASH_AT - 1] == 0
    assert failed[-1] == failed[crash.CRASH_AT + crash.DETECT_MINUTES - 1] > 0


def test_with_retries_only_the_requests_in_flight_fail(retried_run: dict) -> None:
    designs = retried_run["designs"]
    for totals in (design["totals"] for design in designs.values()):
        assert totals["requests_failed"] == totals["requests_in_flight"] == in_flight(PINNED)
    # Each retry takes the next server's turn, so the dead server gets one request in SERVERS - 1.
    for name in STATELESS:
        assert one_in(designs[name]["totals"]["requests_retried"], crash.USERS * crash.DETECT_MINUTES,
                      crash.SERVERS - 1)
    assert designs["stateful"]["totals"]["requests_retried"] == PINNED
    longer = crash.simulate(retry=True, detect_minutes=3)["designs"]
    assert one_in(longer["shared_store"]["totals"]["requests_retried"], 3 * crash.USERS, crash.SERVERS - 1)
    # A stateful user is re-pinned by the first resent request: resent once, however long detection takes.
    assert longer["stateful"]["totals"]["requests_retried"] == PINNED


def test_the_timeline_shows_the_crash_and_the_detection(default_run: dict, retried_run: dict) -> None:
    crash_at, detected = crash.CRASH_AT, crash.CRASH_AT + crash.DETECT_MINUTES
    timeline = default_run["designs"]["stateful"]["timeline"]
    assert len(timeline) == crash.MINUTES
    events = [(e["minute"], e["kind"], e["node"]) for e in crash.lab.events(default_run["designs"]["stateful"])]
    assert events == [(crash_at, "server_down", "web-2"), (detected, "server_removed", "web-2"),
                      (detected, "users_logged_out", "web-2")]
    assert timeline[crash_at - 1]["nodes"]["web-2"] == {"status": "up", "note": f"{PINNED} sessions", "traffic": 0.25}
    assert timeline[crash_at]["nodes"]["web-2"]["status"] == timeline[crash_at]["nodes"]["sessions-web-2"]["status"]
    assert timeline[crash_at]["nodes"]["web-2"]["status"] == "down"
    assert timeline[crash_at]["counters"]["Logged in"] == crash.USERS - PINNED
    assert timeline[detected]["counters"]["Logged in"] == crash.USERS
    # With retries the stranded users are resent, and log in again, in the minute of the crash.
    retried = retried_run["designs"]["stateful"]
    events = [(e["minute"], e["kind"]) for e in crash.lab.events(retried)]
    assert events == [(crash_at, "server_down"), (crash_at, "users_logged_out"), (detected, "server_removed")]
    assert retried["timeline"][crash_at]["counters"]["Logged in"] == crash.USERS
    store = default_run["designs"]["shared_store"]["timeline"][-1]["nodes"]["session-store"]
    assert store["note"] == f"{crash.USERS:,} sessions"


@settings(max_examples=30, deadline=None)
@given(parameters=spaces.accepted("crash"))
def test_what_must_hold_for_any_parameters(parameters: dict) -> None:
    result = spaces.checked_run("crash", parameters)
    users, minutes = parameters["users"], parameters["minutes"]
    for name, design in result["designs"].items():
        totals = design["totals"]
        assert 0 <= totals["requests_in_flight"] <= totals["requests_failed"] <= totals["requests"]
        assert 0 <= totals["carts_lost"] <= totals["sessions_lost"] <= totals["logged_in_at_crash"] <= users
        assert totals["users_logged_out"] <= totals["sessions_lost"]
        crashed_with = totals["logged_in_at_crash"]
        assert totals["share_logged_out"] == (round(totals["users_logged_out"] / crashed_with, 3) if crashed_with
                                              else 0.0)
        assert totals["logged_in_at_end"] <= users
        # Every failed login is tried again once the balancer knows, or resent at once.
        if parameters["retry"] or parameters["crash_at"] + parameters["detect_minutes"] < minutes:
            assert totals["logged_in_at_end"] == users
        if parameters["retry"]:
            assert totals["requests_failed"] == totals["requests_in_flight"]
        else:
            assert totals["requests_retried"] == 0
        if parameters["crash_at"] == 0:  # nothing was under way before the first minute
            assert totals["requests_in_flight"] == 0
        assert len(design["timeline"]) == minutes
        spaces.never_fewer(design, "Sessions lost", "Carts lost", "Requests failed", "Requests retried")
        if name in STATELESS:
            assert totals["sessions_lost"] == totals["users_logged_out"] == 0
    if parameters["login_minutes"] <= parameters["crash_at"]:
        whole, extra = divmod(users, parameters["servers"])
        expected = whole + (parameters["crash_server"] - 1 < extra)
        assert result["designs"]["stateful"]["totals"]["sessions_lost"] == expected


@settings(max_examples=30, deadline=None)
@given(parameters=spaces.accepted("crash"))
def test_with_retries_the_dead_server_gets_one_request_in_m_minus_1(parameters: dict) -> None:
    """HAProxy's round robin with `option redispatch` (lab/README.md): a retry takes the
    next server's turn, so until the crash is noticed the dead server is sent one of every
    SERVERS - 1 requests, where without retries it gets one in SERVERS: retries are
    SERVERS / (SERVERS - 1) times the requests that fail without them."""
    assume(parameters["login_minutes"] <= parameters["crash_at"])  # everyone is logged in at the crash
    servers, crash_at = parameters["servers"], parameters["crash_at"]
    unnoticed = min(parameters["detect_minutes"], parameters["minutes"] - crash_at)
    sent = parameters["users"] * unnoticed  # one request a user a minute, until the balancer notices
    retried = spaces.checked_run("crash", {**parameters, "retry": True})["designs"]
    failed = spaces.checked_run("crash", {**parameters, "retry": False})["designs"]
    for name in STATELESS:
        assert one_in(retried[name]["totals"]["requests_retried"], sent, servers - 1)
        without = failed[name]["totals"]
        assert one_in(without["requests_failed"] - without["requests_in_flight"], sent, servers)
    # Stateful requests follow their cookie, not the turns: each stranded user is resent once.
    stateful = retried["stateful"]["totals"]
    assert stateful["requests_retried"] == (stateful["sessions_lost"] if unnoticed else 0)
