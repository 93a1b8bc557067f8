"""snippets/store_failure.py: what a failed session store costs, with and without a replica."""

from __future__ import annotations

import pytest
import store_failure as sf
from hypothesis import given, settings

from tests.test_snippets import spaces

DOWN = sf.STORE_DOWN_AT


@pytest.fixture(scope="module")
def default_run() -> dict:
    return sf.simulate()


def logged_in(design: dict, minute: int) -> int:
    return design["timeline"][minute]["counters"]["Logged in"]


def logins_before(seconds: int, parameters: dict) -> int:
    """Users whose first login falls before this second of the run."""
    return sum(sf.arrivals(parameters["users"], parameters["login_minutes"], parameters["seed"])[:max(0, seconds)])


def test_without_a_replica_every_session_held_at_the_failure_is_lost(default_run: dict) -> None:
    design = default_run["designs"]["no_replica"]
    held = logged_in(design, DOWN - 1)
    assert held == logins_before(DOWN * 60, default_run["parameters"]) > 1000
    assert design["totals"]["sessions_lost"] == design["totals"]["users_logged_out"] == held
    assert logged_in(design, DOWN) == 0
    assert design["totals"]["seconds_unavailable"] == sf.STORE_RESTART_MINUTES * 60


def test_with_a_replica_only_the_writes_inside_the_lag_window_are_lost(default_run: dict) -> None:
    totals = default_run["designs"]["replica_failover"]["totals"]
    down = DOWN * 60
    in_lag_window = logins_before(down, default_run["parameters"]) - logins_before(
        down - sf.REPLICATION_LAG_SECONDS, default_run["parameters"])
    assert totals["sessions_lost"] == totals["users_logged_out"] == in_lag_window > 0
    assert totals["seconds_unavailable"] == sf.FAILOVER_SECONDS
    assert sf.simulate(replication_lag_seconds=0)["designs"]["replica_failover"]["totals"]["sessions_lost"] == 0
    # A replica that far behind has nothing: failing over to it loses as much as having none.
    everything = sf.simulate(store_down_at=5, replication_lag_seconds=5 * 60)["designs"]
    lost = [everything[name]["totals"]["sessions_lost"] for name in ("replica_failover", "no_replica")]
    assert lost[0] == lost[1] > 100


def test_signed_tokens_lose_nothing_when_the_store_fails(default_run: dict) -> None:
    totals = default_run["designs"]["signed_tokens"]["totals"]
    assert totals["sessions_lost"] == totals["users_logged_out"] == 0
    assert totals["requests_failed"] == totals["seconds_unavailable"] == 0


def test_failed_requests_are_the_ones_sent_while_no_store_serves(default_run: dict) -> None:
    # Every user sends one request a minute: in a whole minute of outage, all of them fail.
    no_replica = default_run["designs"]["no_replica"]["timeline"]
    failed = [snap["counters"]["Requests failed"] for snap in no_replica]
    assert failed[DOWN - 1] == 0
    assert failed[DOWN] == logins_before((DOWN + 1) * 60, default_run["parameters"])
    assert failed[-1] == failed[DOWN + sf.STORE_RESTART_MINUTES - 1] > failed[DOWN + sf.STORE_RESTART_MINUTES - 2]
    # With a replica, only the users whose turn falls in the first 30 seconds of that minute.
    replica = [snap["counters"]["Requests failed"] for snap in default_run["designs"]["replica_failover"]["timeline"]]
    assert replica[DOWN - 1] == 0 < replica[DOWN] == replica[-1] < failed[DOWN] * 0.6


def test_the_timeline_shows_the_failure_the_failover_and_the_restart(default_run: dict) -> None:
    def events(design: str) -> list[tuple]:
        return [(e["minute"], e["kind"], e["node"]) for e in sf.lab.events(default_run["designs"][design])]

    restart = DOWN + sf.STORE_RESTART_MINUTES
    assert events("no_replica") == [(DOWN, "store_down", "session-store"), (DOWN, "sessions_lost", "session-store"),
                                    (restart, "store_up", "session-store")]
    assert events("replica_failover") == [
        (DOWN, "store_down", "session-store"), (DOWN, "sessions_lost", "session-store"),
        (DOWN, "store_failover", "session-store-replica"), (restart, "store_up", "session-store"),
    ]
    assert events("signed_tokens") == [(DOWN, "store_down", None)]
    no_replica = default_run["designs"]["no_replica"]["timeline"]
    assert no_replica[DOWN]["nodes"]["session-store"] == {"status": "down", "note": "down", "traffic": 0.0}
    assert no_replica[-1]["nodes"]["session-store"] == {"status": "up", "note": f"{sf.USERS:,} sessions",
                                                        "traffic": 1.0}
    assert no_replica[DOWN]["nodes"]["web-1"]["note"] == "fails requests"
    replica = default_run["designs"]["replica_failover"]["timeline"]
    # The logins of the last two seconds before the failure have not reached the replica yet.
    held = logins_before(DOWN * 60, default_run["parameters"])
    lagging = held - logins_before(DOWN * 60 - sf.REPLICATION_LAG_SECONDS, default_run["parameters"])
    assert replica[DOWN - 1]["nodes"]["session-store"]["note"] == f"{held:,} sessions"
    assert replica[DOWN - 1]["nodes"]["session-store-replica"]["note"] == f"{held - lagging:,} sessions"
    assert replica[DOWN]["nodes"]["session-store-replica"]["note"].startswith("promoted: ")
    assert replica[restart]["nodes"]["session-store"]["status"] == "up"
    assert "session-store" not in default_run["designs"]["signed_tokens"]["timeline"][0]["nodes"]


@settings(max_examples=25, deadline=None)
@given(parameters=spaces.accepted("store_failure"))
def test_what_must_hold_for_any_parameters(parameters: dict) -> None:
    result = spaces.checked_run("store_failure", parameters)
    servers, users, minutes = parameters["servers"], parameters["users"], parameters["minutes"]
    restart_minutes = parameters["store_restart_minutes"]
    designs = result["designs"]
    down, end = parameters["store_down_at"] * 60, minutes * 60
    held_at_failure = logins_before(down, parameters)
    outages = {
        "no_replica": range(down, min(end, down + restart_minutes * 60)),
        "replica_failover": range(down, min(end, down + parameters["failover_seconds"])),
        "signed_tokens": range(down, down),
    }
    requests = {design["totals"]["requests"] for design in designs.values()}
    assert len(requests) == 1  # every user sends one request a minute, whatever answers it
    for name, design in designs.items():
        totals = design["totals"]
        assert 0 <= totals["requests_failed"] <= totals["requests"]
        assert 0 <= totals["users_logged_out"] <= totals["sessions_lost"] <= users
        assert totals["seconds_unavailable"] == len(outages[name])
        if outages[name].stop + 60 <= end:  # everyone has had a request answered since
            assert totals["users_logged_out"] == totals["sessions_lost"]
            assert totals["logged_in_at_end"] == users
        assert [snap["minute"] for snap in design["timeline"]] == list(range(minutes))
        for snap in design["timeline"]:
            assert all(snap["nodes"][f"web-{s}"]["status"] == "up" for s in range(1, servers + 1))
        failed = [0] + [snap["counters"]["Requests failed"] for snap in design["timeline"]]
        for minute in range(minutes):
            if failed[minute + 1] > failed[minute]:  # only while no store serves
                assert outages[name].start < minute * 60 + 60
                assert minute * 60 < outages[name].stop
    def moments(design: str, kind: str) -> list[int]:
        return [e["minute"] for e in sf.lab.events(designs[design]) if e["kind"] == kind]

    for name in designs:
        assert moments(name, "store_down") == [parameters["store_down_at"]]
    promoted = down + parameters["failover_seconds"]
    assert moments("replica_failover", "store_failover") == ([promoted // 60] if promoted < end else [])
    restarted = down + restart_minutes * 60
    for name in ("no_replica", "replica_failover"):
        assert moments(name, "store_up") == ([restarted // 60] if restarted < end else [])
    assert designs["no_replica"]["totals"]["sessions_lost"] == held_at_failure
    in_lag_window = held_at_failure - logins_before(down - parameters["replication_lag_seconds"], parameters)
    assert designs["replica_failover"]["totals"]["sessions_lost"] == in_lag_window
    if parameters["replication_lag_seconds"] == 0:
        assert in_lag_window == 0
    tokens = designs["signed_tokens"]["totals"]
    assert tokens["sessions_lost"] == tokens["requests_failed"] == 0
