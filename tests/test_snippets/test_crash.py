"""snippets/crash.py: what one crashed web server costs each design."""

from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crash

STATELESS = ("shared_store", "signed_tokens")


@pytest.fixture(scope="module")
def default_run() -> dict:
    return crash.simulate()


def test_stateless_designs_lose_no_session_when_a_web_server_crashes(default_run: dict) -> None:
    for name in STATELESS:
        totals = default_run["designs"][name]["totals"]
        assert totals["sessions_lost"] == totals["carts_lost"] == 0
        assert totals["logged_in_at_end"] == crash.USERS


def test_stateful_loses_the_crashed_servers_share_of_sessions(default_run: dict) -> None:
    # Everyone has logged in before the crash, handed out in turn: web-2 holds N/M of them.
    totals = default_run["designs"]["stateful"]["totals"]
    assert totals["sessions_lost"] == crash.USERS // crash.SERVERS
    assert 0 < totals["carts_lost"] < totals["sessions_lost"]


def test_only_requests_sent_to_the_dead_server_before_detection_fail(default_run: dict) -> None:
    stateful = default_run["designs"]["stateful"]["timeline"]
    failed = [snap["counters"]["Requests failed"] for snap in stateful]
    assert failed[crash.CRASH_AT - 1] == 0
    assert failed[-1] == failed[crash.CRASH_AT + crash.DETECT_MINUTES - 1] > 0


def test_the_timeline_shows_the_crash_and_the_detection(default_run: dict) -> None:
    timeline = default_run["designs"]["stateful"]["timeline"]
    assert [snap["minute"] for snap in timeline] == list(range(crash.MINUTES))
    events = [(snap["minute"], event["kind"], event["node"]) for snap in timeline for event in snap["events"]]
    assert events == [(crash.CRASH_AT, "server_down", "web-2"), (crash.CRASH_AT + 1, "server_removed", "web-2")]
    assert timeline[crash.CRASH_AT]["nodes"]["web-2"]["status"] == "down"
    assert timeline[crash.CRASH_AT - 1]["nodes"]["web-2"] == {"status": "up", "note": "500 sessions", "traffic": 0.25}
    assert timeline[crash.CRASH_AT]["counters"]["Logged in"] == crash.USERS - 500
    assert default_run["designs"]["shared_store"]["timeline"][-1]["nodes"]["session-store"]["note"] == "2,000 sessions"


@settings(max_examples=60, deadline=None)
@given(
    servers=st.integers(2, 8),
    users=st.integers(0, 3000),
    minutes=st.integers(2, 90),
    data=st.data(),
)
def test_what_must_hold_for_any_parameters(servers: int, users: int, minutes: int, data: st.DataObject) -> None:
    parameters = dict(
        servers=servers,
        users=users,
        minutes=minutes,
        login_minutes=data.draw(st.integers(1, minutes)),
        crash_server=data.draw(st.integers(1, servers)),
        crash_at=data.draw(st.integers(0, minutes - 1)),
        detect_minutes=data.draw(st.integers(0, 5)),
        cart_percent=data.draw(st.integers(0, 100)),
        seed=data.draw(st.integers(0, 2**32)),
    )
    result = crash.simulate(**parameters)
    assert result == crash.simulate(**parameters)  # seeded: the same numbers every time
    detected_in_time = parameters["crash_at"] + parameters["detect_minutes"] < minutes
    for name, design in result["designs"].items():
        totals = design["totals"]
        assert 0 <= totals["requests_failed"] <= totals["requests"]
        assert 0 <= totals["carts_lost"] <= totals["sessions_lost"] <= users
        assert totals["logged_in_at_end"] <= users
        if detected_in_time:  # every failed login is retried once the balancer knows
            assert totals["logged_in_at_end"] == users
        assert len(design["timeline"]) == minutes
        for earlier, later in zip(design["timeline"], design["timeline"][1:]):
            for counter in ("Sessions lost", "Carts lost", "Requests failed"):
                assert earlier["counters"][counter] <= later["counters"][counter]
        if name in STATELESS:
            assert totals["sessions_lost"] == 0
    if parameters["login_minutes"] <= parameters["crash_at"]:
        whole, extra = divmod(users, servers)
        expected = whole + (parameters["crash_server"] - 1 < extra)
        assert result["designs"]["stateful"]["totals"]["sessions_lost"] == expected


def test_a_hundred_thousand_users_lose_exactly_one_servers_share() -> None:
    result = crash.simulate(users=100_000, servers=8, crash_server=8)
    assert result["designs"]["stateful"]["totals"]["sessions_lost"] == 12_500
    assert result["designs"]["shared_store"]["totals"]["sessions_lost"] == 0
    assert result["designs"]["stateful"]["totals"]["logged_in_at_end"] == 100_000
