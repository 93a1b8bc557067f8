"""snippets/token_revocation.py: how long a revoked login keeps working in each design."""

from __future__ import annotations

import itertools

import pytest
import token_revocation as tr
from hypothesis import given, settings

from tests.test_snippets import spaces

CHECKED_AT_ONCE = ("deny_list", "server_session")


@pytest.fixture(scope="module")
def default_run() -> dict:
    return tr.simulate()


def revoked_users(parameters: dict) -> list[tr.Revoked]:
    return tr.population(parameters["users"], parameters["revoked"], parameters["login_minutes"],
                         parameters["token_minutes"], parameters["seed"])[1]


def short_token_window(person: tr.Revoked, short: int, minutes: int) -> int:
    """The access token in hand is the last one issued before the revocation minute."""
    issued = person.login
    while issued + short < person.revoked:
        issued += short
    return min(issued + short, minutes) - person.revoked


def accepted_per_minute(design: dict) -> list[int]:
    running = [0] + [snap["counters"]["Accepted after revocation"] for snap in design["timeline"]]
    return [later - earlier for earlier, later in itertools.pairwise(running)]


def test_a_deny_list_or_a_server_session_accepts_nothing_after_revocation(default_run: dict) -> None:
    for name in CHECKED_AT_ONCE:
        totals = default_run["designs"][name]["totals"]
        assert totals["requests_accepted_after_revocation"] == totals["longest_window_minutes"] == 0
        assert totals["mean_window_minutes"] == 0.0
        assert not any(accepted_per_minute(default_run["designs"][name]))


def test_long_tokens_are_accepted_until_exactly_their_expiry(default_run: dict) -> None:
    people = revoked_users(default_run["parameters"])
    windows = [person.login + tr.TOKEN_MINUTES - person.revoked for person in people]
    design = default_run["designs"]["long_token"]
    assert design["totals"]["requests_accepted_after_revocation"] == sum(windows) > 0
    assert design["totals"]["longest_window_minutes"] == max(windows)
    assert design["totals"]["mean_window_minutes"] == round(sum(windows) / len(windows), 3)
    assert accepted_per_minute(design) == [
        sum(person.revoked <= minute < person.login + tr.TOKEN_MINUTES for person in people)
        for minute in range(tr.MINUTES)
    ]
    last = sorted(e["minute"] for e in tr.lab.events(design) if e["kind"] == "last_accepted")
    assert last == sorted(person.login + tr.TOKEN_MINUTES - 1 for person in people)


def test_short_tokens_are_accepted_until_the_access_token_in_hand_expires(default_run: dict) -> None:
    people = revoked_users(default_run["parameters"])
    windows = [short_token_window(person, tr.SHORT_TOKEN_MINUTES, tr.MINUTES) for person in people]
    totals = default_run["designs"]["short_token_refresh"]["totals"]
    assert totals["requests_accepted_after_revocation"] == sum(windows) > 0
    assert totals["longest_window_minutes"] == max(windows) < tr.SHORT_TOKEN_MINUTES
    assert 0 in windows  # a refresh due in the very minute of the revocation is refused


def test_deny_list_entries_live_only_as_long_as_the_tokens_they_block(default_run: dict) -> None:
    people = revoked_users(default_run["parameters"])
    design = default_run["designs"]["deny_list"]
    entries = [snap["counters"]["Deny list entries"] for snap in design["timeline"]]
    assert entries == [sum(person.revoked <= minute < person.login + tr.TOKEN_MINUTES for person in people)
                       for minute in range(tr.MINUTES)]
    assert design["totals"]["deny_list_peak_entries"] == max(entries) > 0
    assert entries[-1] == 0  # every revoked token has expired by the end
    expired = sorted(e["minute"] for e in tr.lab.events(design) if e["kind"] == "token_expired")
    assert expired == sorted(person.login + tr.TOKEN_MINUTES for person in people)
    assert design["timeline"][40]["nodes"]["session-store"]["note"] == f"deny list: {entries[40]}"


def test_store_lookups_per_design(default_run: dict) -> None:
    lookups = {name: d["totals"]["store_lookups"] for name, d in default_run["designs"].items()}
    requests = default_run["designs"]["server_session"]["totals"]["requests"]
    assert lookups["long_token"] == lookups["deny_list"] == 0  # each server checks its own copy
    assert lookups["server_session"] == requests  # one per request
    # A refresh every few minutes (none at login).
    assert requests / (2 * tr.SHORT_TOKEN_MINUTES) < lookups["short_token_refresh"] < requests / tr.SHORT_TOKEN_MINUTES
    assert {d["totals"]["requests"] for d in default_run["designs"].values()} == {requests}


@pytest.mark.parametrize("servers", [1, 4, 12])
def test_every_server_keeps_a_copy_of_the_deny_list_pushed_to_it(servers: int) -> None:
    result = tr.simulate(servers=servers)
    deny = result["designs"]["deny_list"]
    assert deny["totals"]["deny_list_pushes"] == tr.REVOKED * servers
    assert deny["timeline"][-1]["counters"]["Deny list pushes"] == tr.REVOKED * servers
    people = revoked_users(result["parameters"])
    minute = max(range(tr.MINUTES), key=lambda m: sum(p.revoked <= m < p.login + tr.TOKEN_MINUTES for p in people))
    entries = deny["totals"]["deny_list_peak_entries"]
    for server in range(1, servers + 1):
        assert deny["timeline"][minute]["nodes"][f"web-{server}"]["note"].endswith(f", deny list: {entries}")
    # Only the deny list depends on the servers: the other designs are the same with one or twelve.
    others = {name: design["totals"] for name, design in result["designs"].items() if name != "deny_list"}
    assert others == {name: design["totals"] for name, design in tr.simulate(servers=1)["designs"].items()
                      if name != "deny_list"}


def test_the_timeline_replays_logins_revocations_and_expiries(default_run: dict) -> None:
    kinds = {name: sorted({e["kind"] for e in tr.lab.events(d)}) for name, d in default_run["designs"].items()}
    assert kinds == {
        "long_token": ["last_accepted", "revoked", "token_expired", "token_issued"],
        "deny_list": ["revoked", "token_expired", "token_issued"],
        "short_token_refresh": ["last_accepted", "revoked", "token_expired", "token_issued"],
        "server_session": ["revoked", "session_created"],
    }
    for name, design in default_run["designs"].items():
        snap = design["timeline"][40]
        assert snap["minute"] == 40
        assert ("session-store" in snap["nodes"]) == (name != "long_token")
        assert all(node["status"] == "up" for node in snap["nodes"].values())
        web = [node_id for node_id in snap["nodes"] if node_id.startswith("web-")]
        assert web == [f"web-{s}" for s in range(1, tr.SERVERS + 1)]
    session = default_run["designs"]["server_session"]["timeline"][-1]["nodes"]["session-store"]
    assert session == {"status": "up", "note": f"{tr.USERS - tr.REVOKED} sessions", "traffic": 1.0}


@settings(max_examples=25, deadline=None)
@given(parameters=spaces.accepted("token_revocation"))
def test_what_must_hold_for_any_parameters(parameters: dict) -> None:
    result = spaces.checked_run("token_revocation", parameters)
    people = revoked_users(parameters)
    designs = result["designs"]
    token, short = parameters["token_minutes"], parameters["short_token_minutes"]
    long_windows = [person.login + token - person.revoked for person in people]
    short_windows = [short_token_window(person, short, parameters["minutes"]) for person in people]
    expected = {"long_token": long_windows, "short_token_refresh": short_windows,
                "deny_list": [0] * len(people), "server_session": [0] * len(people)}
    for name, design in designs.items():
        totals = design["totals"]
        assert totals["requests_accepted_after_revocation"] == sum(expected[name]) <= totals["requests"]
        assert totals["longest_window_minutes"] == max(expected[name], default=0)
        assert len(design["timeline"]) == parameters["minutes"]
        assert design["timeline"][-1]["counters"]["Revoked"] == parameters["revoked"]
    assert all(0 < window < token for window in long_windows)
    assert all(0 <= window < short for window in short_windows)
    entries = [snap["counters"]["Deny list entries"] for snap in designs["deny_list"]["timeline"]]
    assert entries == [sum(person.revoked <= minute < person.login + token for person in people)
                       for minute in range(parameters["minutes"])]
    assert designs["deny_list"]["totals"]["deny_list_peak_entries"] == max(entries)
    lookups = {name: design["totals"]["store_lookups"] for name, design in designs.items()}
    assert lookups["long_token"] == lookups["deny_list"] == 0
    assert lookups["short_token_refresh"] == refresh_lookups(parameters, people)
    assert lookups["server_session"] == designs["server_session"]["totals"]["requests"]
    assert designs["deny_list"]["totals"]["deny_list_pushes"] == parameters["revoked"] * parameters["servers"]


def refresh_lookups(parameters: dict, people: list[tr.Revoked]) -> int:
    """Every access token that expires within the run is renewed with a lookup, except a
    revoked user's, whose copy tries once more and is refused."""
    minutes, short = parameters["minutes"], parameters["short_token_minutes"]
    staying = tr.population(parameters["users"], parameters["revoked"], parameters["login_minutes"],
                            parameters["token_minutes"], parameters["seed"])[0]
    renewals = sum(count * len(range(login + short, minutes, short)) for login, count in enumerate(staying))
    refused_or_renewed = sum(len(range(person.login + short, min(tr.short_expiry(person, short) + 1, minutes), short))
                             for person in people)
    return renewals + refused_or_renewed
