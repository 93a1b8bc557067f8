"""snippets/token_revocation.py: how long a revoked login keeps working in each design."""

from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import token_revocation as tr

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
    return [later - earlier for earlier, later in zip(running, running[1:])]


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
    assert design["totals"]["requests_accepted_after_revocation"] == sum(windows) == 289
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
    assert design["totals"]["deny_list_peak_entries"] == max(entries) == 8
    assert entries[-1] == 0  # every revoked token has expired by the end
    expired = sorted(e["minute"] for e in tr.lab.events(design) if e["kind"] == "token_expired")
    assert expired == sorted(person.login + tr.TOKEN_MINUTES for person in people)
    assert design["timeline"][40]["nodes"]["session-store"]["note"] == f"deny list: {entries[40]}"


def test_store_lookups_per_design(default_run: dict) -> None:
    lookups = {name: d["totals"]["store_lookups"] for name, d in default_run["designs"].items()}
    requests = default_run["designs"]["server_session"]["totals"]["requests"]
    assert lookups["long_token"] == 0
    assert lookups["server_session"] == requests  # one per request
    # A refresh every few minutes (none at login); the deny list skips copies whose token has expired.
    assert requests / (2 * tr.SHORT_TOKEN_MINUTES) < lookups["short_token_refresh"] < requests / tr.SHORT_TOKEN_MINUTES
    assert lookups["short_token_refresh"] < lookups["deny_list"]
    assert lookups["deny_list"] < lookups["server_session"]
    assert {d["totals"]["requests"] for d in default_run["designs"].values()} == {requests}


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
    assert session == {"status": "up", "note": "990 sessions", "traffic": 1.0}


@settings(max_examples=50, deadline=None)
@given(
    servers=st.integers(1, 6),
    users=st.integers(0, 1500),
    login_minutes=st.integers(1, 40),
    token_minutes=st.integers(2, 90),
    data=st.data(),
)
def test_what_must_hold_for_any_parameters(servers: int, users: int, login_minutes: int, token_minutes: int,
                                           data: st.DataObject) -> None:
    parameters = dict(
        servers=servers,
        users=users,
        revoked=data.draw(st.integers(0, min(users, 40))),
        login_minutes=login_minutes,
        token_minutes=token_minutes,
        short_token_minutes=data.draw(st.integers(1, token_minutes)),
        minutes=login_minutes + token_minutes + data.draw(st.integers(0, 30)),
        seed=data.draw(st.integers(0, 2**32)),
    )
    result = tr.simulate(**parameters)
    assert result == tr.simulate(**parameters)  # seeded: the same numbers every time
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
    lookups = [designs[name]["totals"]["store_lookups"] for name in tr.LABELS]
    long_lookups, deny_lookups, refresh_lookups, session_lookups = lookups
    assert long_lookups == 0 <= refresh_lookups <= session_lookups
    assert deny_lookups <= session_lookups == designs["server_session"]["totals"]["requests"]
