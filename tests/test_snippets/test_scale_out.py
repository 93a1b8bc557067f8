"""snippets/scale_out.py: how soon added servers take their share, sticky or stateless."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scale_out

SERVERS = scale_out.START_SERVERS + scale_out.ADDED_SERVERS
ADDED = [f"web-{n}" for n in range(scale_out.START_SERVERS + 1, SERVERS + 1)]


@pytest.fixture(scope="module")
def default_run() -> dict:
    return scale_out.simulate()


def after_scale_out(design: dict, scale_at: int) -> list[dict]:
    return design["timeline"][scale_at:]


def stateless_is_even(snapshot: dict, servers_up: int) -> bool:
    """No server gets more than its share plus one: max/mean <= 1 + servers / total."""
    counters = snapshot["counters"]
    return counters["Busiest server"] * servers_up <= counters["Active sessions"] + servers_up


def test_stateless_servers_are_balanced_from_the_minute_they_join(default_run: dict) -> None:
    stateless = default_run["designs"]["stateless"]
    assert stateless["totals"]["minutes_until_balanced"] == 0
    assert stateless["totals"]["minutes_over_capacity"] == 0
    for snapshot in after_scale_out(stateless, scale_out.SCALE_AT):
        assert stateless_is_even(snapshot, SERVERS)
        assert snapshot["counters"]["Imbalance (max/mean)"] <= 1.01
    assert stateless["timeline"][scale_out.SCALE_AT]["nodes"]["web-8"]["note"] == "1,405 req/min"


def test_sticky_new_servers_start_empty_and_the_old_ones_stay_overloaded(default_run: dict) -> None:
    sticky = default_run["designs"]["sticky"]
    before, joining = sticky["timeline"][scale_out.SCALE_AT - 1], sticky["timeline"][scale_out.SCALE_AT]
    for name in ADDED:
        assert before["nodes"][name] == {"status": "off", "note": "not added yet", "traffic": 0.0}
        assert joining["nodes"][name] == {"status": "up", "note": "0 sessions", "traffic": 0.0}
    assert sticky["totals"]["imbalance_after_scale"] > 1.5
    assert joining["counters"]["Quietest server"] == 0
    assert joining["counters"]["Servers over capacity"] == scale_out.START_SERVERS
    # The page's worked example: least-connections takes about 13.5 minutes to get
    # the old servers under capacity (exponential session lengths; ours are uniform).
    assert 10 <= sticky["totals"]["minutes_over_capacity"] <= 17
    assert sticky["totals"]["minutes_until_balanced"] > sticky["totals"]["minutes_over_capacity"]
    assert sticky["totals"]["peak_after_scale"] > scale_out.CAPACITY


def test_both_designs_serve_the_same_sessions_and_the_total_stays_level(default_run: dict) -> None:
    sticky, stateless = default_run["designs"]["sticky"], default_run["designs"]["stateless"]
    for pinned, shared in zip(sticky["timeline"], stateless["timeline"], strict=True):
        active = pinned["counters"]["Active sessions"]
        assert active == shared["counters"]["Active sessions"]
        assert shared["nodes"]["session-store"]["note"] == f"{active:,} sessions"
        assert abs(active - scale_out.SESSIONS) < 0.03 * scale_out.SESSIONS
    assert sticky["timeline"][0]["counters"]["Busiest server"] == scale_out.SESSIONS // scale_out.START_SERVERS


def test_the_timeline_shows_the_servers_joining_and_the_fleet_balancing(default_run: dict) -> None:
    for design in default_run["designs"].values():
        assert [snap["minute"] for snap in design["timeline"]] == list(range(scale_out.MINUTES))
        events = [(snap["minute"], event["kind"], event["node"]) for snap in design["timeline"] for event in snap["events"]]
        balanced_at = scale_out.SCALE_AT + design["totals"]["minutes_until_balanced"]
        assert events == [(scale_out.SCALE_AT, "servers_added", "web-5"), (balanced_at, "balanced", None)]
        assert design["diagram_servers"] == SERVERS
    sticky = default_run["designs"]["sticky"]
    imbalance = [snap["counters"]["Imbalance (max/mean)"] for snap in sticky["timeline"]]
    balanced_at = scale_out.SCALE_AT + sticky["totals"]["minutes_until_balanced"]
    assert imbalance[balanced_at] <= 1.1 < min(imbalance[scale_out.SCALE_AT:balanced_at])


def test_longer_sessions_keep_a_sticky_fleet_unbalanced_longer() -> None:
    waits = []
    for session_minutes in (10, 40, 120):
        # Long enough for every session that was there before the scale-out to end.
        result = scale_out.simulate(session_minutes=session_minutes, minutes=scale_out.SCALE_AT + 2 * session_minutes)
        waits.append(result["designs"]["sticky"]["totals"]["minutes_until_balanced"])
    assert None not in waits
    assert waits[0] < waits[1] < waits[2]


@settings(max_examples=60, deadline=None)
@given(
    start_servers=st.integers(1, 6),
    sessions=st.integers(0, 4000),
    session_minutes=st.integers(1, 60),
    minutes=st.integers(1, 120),
    data=st.data(),
)
def test_what_must_hold_for_any_parameters(start_servers: int, sessions: int, session_minutes: int, minutes: int,
                                           data: st.DataObject) -> None:
    parameters = dict(
        start_servers=start_servers,
        added_servers=data.draw(st.integers(1, 12 - start_servers)),
        sessions=sessions,
        session_minutes=session_minutes,
        capacity=data.draw(st.integers(1, 3000)),
        scale_at=data.draw(st.integers(0, minutes - 1)),
        minutes=minutes,
        seed=data.draw(st.integers(0, 2**32)),
    )
    result = scale_out.simulate(**parameters)
    assert result == scale_out.simulate(**parameters)  # seeded: the same numbers every time
    assert json.loads(json.dumps(result)) == result
    servers, scale_at = start_servers + parameters["added_servers"], parameters["scale_at"]
    sticky, stateless = result["designs"]["sticky"], result["designs"]["stateless"]
    for pinned, shared in zip(sticky["timeline"], stateless["timeline"], strict=True):
        assert pinned["counters"]["Active sessions"] == shared["counters"]["Active sessions"]
    assert sticky["timeline"][0]["counters"]["Active sessions"] == sessions
    for snapshot in after_scale_out(stateless, scale_at):
        assert stateless_is_even(snapshot, servers)
    joining = sticky["timeline"][scale_at]["nodes"]
    assert all(joining[f"web-{n}"]["note"] == "0 sessions" for n in range(start_servers + 1, servers + 1))
    for design in (sticky, stateless):
        totals = design["totals"]
        assert len(design["timeline"]) == minutes
        assert 0 <= totals["minutes_over_capacity"] <= minutes - scale_at
        assert totals["imbalance_after_scale"] >= 1
        if totals["minutes_until_balanced"] is not None:
            balanced_at = scale_at + totals["minutes_until_balanced"]
            assert [e["kind"] for e in design["timeline"][balanced_at]["events"]][-1] == "balanced"
        for snapshot in design["timeline"]:
            assert all(node["status"] in ("up", "off") for node in snapshot["nodes"].values())
            assert sum(node["traffic"] for node in snapshot["nodes"].values()) <= 1.01
