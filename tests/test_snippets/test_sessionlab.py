"""The plumbing every simulation shares: options, checks, the load balancer, tables."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sessionlab as lab


def demo_simulate(servers=4, crash_at=30, sticky=True, name="x") -> dict:
    return {"servers": servers, "crash_at": crash_at, "sticky": sticky, "name": name}


def test_every_parameter_of_simulate_becomes_an_option_of_its_type(capsys: pytest.CaptureFixture[str]) -> None:
    result = lab.main("Demo.", demo_simulate, lambda r: f"report of {r['servers']} servers",
                      ["--servers", "6", "--crash-at", "12", "--no-sticky"])
    assert result == {"servers": 6, "crash_at": 12, "sticky": False, "name": "x"}
    assert capsys.readouterr().out == "report of 6 servers\n"
    assert lab.main("Demo.", demo_simulate, str, ["--json"]) == demo_simulate()
    assert json.loads(capsys.readouterr().out) == demo_simulate()


def test_a_bad_value_names_the_parameter_and_its_option() -> None:
    with pytest.raises(ValueError, match=r"^SERVERS \(--servers\) must be at least 1, got 0$"):
        lab.count("servers", 0, minimum=1)
    with pytest.raises(ValueError, match=r"CRASH_AT \(--crash-at\) must be at most 59, got 60"):
        lab.count("crash_at", 60, maximum=59)
    with pytest.raises(ValueError, match="USERS .* must be a whole number, got 2.5"):
        lab.count("users", 2.5)
    with pytest.raises(ValueError, match="must be a number from 0 to 1"):
        lab.number("share", 1.5, 0, 1)


@given(servers=st.integers(1, 12), turn=st.integers(0, 50), requests=st.integers(0, 500),
       removed=st.sets(st.integers(0, 11), max_size=11))
def test_spread_hands_out_exactly_what_next_would(servers: int, turn: int, requests: int, removed: set[int]) -> None:
    one_by_one, at_once = lab.RoundRobin(servers), lab.RoundRobin(servers)
    for balancer in (one_by_one, at_once):
        for server in removed:
            balancer.remove(server % servers)
        if not balancer.rotation:
            return
        balancer.turn = turn
    expected = [0] * servers
    for _ in range(requests):
        expected[one_by_one.next()] += 1
    assert at_once.spread(requests, servers) == expected
    assert at_once.turn == one_by_one.turn


def test_table_aligns_numbers_right_with_separators() -> None:
    assert lab.table(["Design", "Lost"], [["stateful", 1500], ["stateless", 0]]).splitlines() == [
        "Design      Lost",
        "---------  -----",
        "stateful   1,500",
        "stateless      0",
    ]


def test_a_snapshot_node_must_have_a_known_status() -> None:
    assert lab.node("draining", "12 sessions", 0.25) == {"status": "draining", "note": "12 sessions", "traffic": 0.25}
    with pytest.raises(ValueError):
        lab.node("sleeping", "")


def test_steady_sessions_keep_the_number_logged_in_level() -> None:
    remaining, starting = lab.steady_sessions(active=4_000, session_minutes=20, minutes=120, seed=3)
    ends = [0] * 200
    for left in remaining:
        ends[left] += 1
    for minute, lengths in enumerate(starting):
        assert len(lengths) == 200  # 4,000 sessions / 20 minutes
        for length in lengths:
            ends[minute + 1 + length] += 1
    logged_in = len(remaining)
    for minute in range(120):
        logged_in += len(starting[minute]) - ends[minute + 1]
        assert abs(logged_in - 4_000) < 4_000 * 0.06, minute


def test_share_and_megabytes() -> None:
    assert lab.share(1, [1, 3]) == 0.25 and lab.share(0, [0, 0]) == 0.0
    assert lab.megabytes(12_345_678) == "12.3 MB"


def test_simulations_allow_as_many_servers_as_the_pictures_are_drawn_for() -> None:
    from machinery.diagram import figure

    assert lab.DIAGRAM_SERVERS == figure.MAX_SERVERS
