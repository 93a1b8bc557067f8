"""snippets/scale_out.py: how soon added servers take their share, sticky or stateless."""

from __future__ import annotations

import pytest
import scale_out
from hypothesis import given, settings

from tests.test_snippets import spaces

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
    joining = stateless["timeline"][scale_out.SCALE_AT]
    whole = joining["counters"]["Active sessions"] // SERVERS  # each server gets this, or one more
    assert joining["nodes"]["web-8"]["note"] in (f"{whole:,} req/min", f"{whole + 1:,} req/min")


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
        events = [(event["minute"], event["kind"], event["node"]) for event in scale_out.lab.events(design)]
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


def test_one_minute_sessions_move_to_the_new_servers_at_once_and_stay_there() -> None:
    """Sessions of one minute are all new every minute: the least-loaded rule must spread
    them over every server from the first minute the new ones can take them."""
    sticky = scale_out.simulate(session_minutes=1)["designs"]["sticky"]
    assert sticky["totals"]["minutes_until_balanced"] <= 1
    assert sticky["totals"]["minutes_over_capacity"] <= 1
    after = sticky["timeline"][scale_out.SCALE_AT + 1:]
    assert all(snap["counters"]["Servers over capacity"] == 0 for snap in after)
    assert all(snap["counters"]["Imbalance (max/mean)"] <= 1.01 for snap in after)


@pytest.mark.parametrize("sessions", [0, 8, 40, 100])
def test_even_a_few_users_a_server_count_as_balanced_when_handed_out_in_turn(sessions: int) -> None:
    stateless = scale_out.simulate(sessions=sessions)["designs"]["stateless"]
    assert stateless["totals"]["minutes_until_balanced"] == 0


@settings(max_examples=25, deadline=None)
@given(parameters=spaces.accepted("scale_out"))
def test_what_must_hold_for_any_parameters(parameters: dict) -> None:
    result = spaces.checked_run("scale_out", parameters)
    servers = parameters["start_servers"] + parameters["added_servers"]
    scale_at, minutes = parameters["scale_at"], parameters["minutes"]
    sticky, stateless = result["designs"]["sticky"], result["designs"]["stateless"]
    for pinned, shared in zip(sticky["timeline"], stateless["timeline"], strict=True):
        assert pinned["counters"]["Active sessions"] == shared["counters"]["Active sessions"]
    assert sticky["timeline"][0]["counters"]["Active sessions"] == parameters["sessions"]
    for snapshot in after_scale_out(stateless, scale_at):
        assert stateless_is_even(snapshot, servers)
    assert stateless["totals"]["minutes_until_balanced"] == 0  # handed out in turn: as even as can be
    joining = sticky["timeline"][scale_at]["nodes"]
    assert all(joining[f"web-{n}"]["note"] == "0 sessions" for n in range(parameters["start_servers"] + 1, servers + 1))
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
