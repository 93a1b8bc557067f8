"""snippets/rolling_deploy.py: who is logged out when every server restarts in turn."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rolling_deploy
import sessionlab as lab

DESIGNS = ("stateful", "stateful_drained", "stateless")


@pytest.fixture(scope="module")
def default_run() -> dict:
    return rolling_deploy.simulate()


def sessions_in(note: str) -> int:
    """"1,124 sessions" -> 1124."""
    return int(note.split()[0].replace(",", ""))


def losses_at_restarts(design: dict) -> list[tuple[int, int]]:
    """For each restart: (sessions the server held just before, sessions lost at that minute)."""
    timeline, pairs = design["timeline"], []
    for event in lab.events(design):
        if event["kind"] == "restarting":
            minute = event["minute"]
            held = sessions_in(timeline[minute - 1]["nodes"][event["node"]]["note"]) if minute else None
            lost_before = timeline[minute - 1]["counters"]["Sessions lost"] if minute else 0
            pairs.append((held, timeline[minute]["counters"]["Sessions lost"] - lost_before))
    return pairs


def restarted(design: dict) -> list[str]:
    return [event["node"] for event in lab.events(design) if event["kind"] == "restarting"]


def test_draining_and_stateless_servers_lose_no_session(default_run: dict) -> None:
    for name in ("stateful_drained", "stateless"):
        totals = default_run["designs"][name]["totals"]
        assert totals["sessions_lost"] == totals["users_logged_out_more_than_once"] == 0
        assert not [e for e in lab.events(default_run["designs"][name]) if e["kind"] == "sessions_lost"]


def test_a_restart_without_draining_loses_every_session_the_server_held(default_run: dict) -> None:
    stateful = default_run["designs"]["stateful"]
    losses = losses_at_restarts(stateful)
    assert len(losses) == rolling_deploy.SERVERS
    for held, lost in losses:
        assert lost == held > 0
    assert stateful["totals"]["sessions_lost"] == sum(lost for _, lost in losses)
    # Users sent to a server that has not restarted yet are logged out again when it does.
    assert stateful["totals"]["sessions_lost"] > rolling_deploy.SESSIONS
    assert 0 < stateful["totals"]["users_logged_out_more_than_once"] < rolling_deploy.SESSIONS
    assert 2 <= stateful["totals"]["most_logouts_for_one_user"] <= rolling_deploy.SERVERS


def test_draining_makes_the_deploy_far_longer(default_run: dict) -> None:
    totals = {name: design["totals"] for name, design in default_run["designs"].items()}
    quick = rolling_deploy.SERVERS * rolling_deploy.RESTART_MINUTES
    assert totals["stateful"]["deploy_minutes"] == totals["stateless"]["deploy_minutes"] == quick
    # Each server waits for its last session, up to the longest (2 x the mean, minus 1).
    longest = 2 * rolling_deploy.SESSION_MINUTES - 1
    assert quick < totals["stateful_drained"]["deploy_minutes"] <= quick + rolling_deploy.SERVERS * (longest + 1)
    assert longest - 5 <= totals["stateful_drained"]["longest_drain_minutes"] <= longest + 1


def test_every_server_restarts_exactly_once_in_turn(default_run: dict) -> None:
    servers = [f"web-{n}" for n in range(1, rolling_deploy.SERVERS + 1)]
    for design in default_run["designs"].values():
        assert restarted(design) == servers
        assert design["totals"]["servers_restarted"] == rolling_deploy.SERVERS
        ups = [e["node"] for e in lab.events(design) if e["kind"] == "server_up"]
        assert ups == servers
        restarting = [snap for snap in design["timeline"] if any(n["status"] == "restarting" for n in snap["nodes"].values())]
        assert len(restarting) == rolling_deploy.SERVERS * rolling_deploy.RESTART_MINUTES


def test_a_draining_server_takes_no_new_users(default_run: dict) -> None:
    drained = default_run["designs"]["stateful_drained"]
    for name in ("web-1", "web-2"):
        held = [sessions_in(snap["nodes"][name]["note"]) for snap in drained["timeline"]
                if snap["nodes"][name]["status"] == "draining"]
        assert len(held) > 10
        assert held == sorted(held, reverse=True)
    drains = [(e["minute"], e["node"]) for e in lab.events(drained) if e["kind"] == "draining"]
    assert drains[0] == (rolling_deploy.DEPLOY_AT, "web-1")


def test_all_designs_run_as_long_and_keep_the_same_users_logged_in(default_run: dict) -> None:
    designs = [default_run["designs"][name] for name in DESIGNS]
    minutes = len(designs[0]["timeline"])
    drained_done = rolling_deploy.DEPLOY_AT + designs[1]["totals"]["deploy_minutes"]
    assert minutes == drained_done + rolling_deploy.AFTER_DEPLOY + 1
    for snapshots in zip(*(design["timeline"] for design in designs), strict=True):
        logged_in = {snap["counters"]["Logged in"] for snap in snapshots}
        assert len(logged_in) == 1  # users logged out log straight in again elsewhere
        assert abs(logged_in.pop() - rolling_deploy.SESSIONS) < 0.05 * rolling_deploy.SESSIONS
        store = snapshots[2]["nodes"]["session-store"]["note"]
        assert store == f"{snapshots[2]['counters']['Logged in']:,} sessions"
    for design in designs:
        last = lab.events(design)[-1]
        assert (last["kind"], last["node"]) == ("deploy_done", None)
        assert last["minute"] == rolling_deploy.DEPLOY_AT + design["totals"]["deploy_minutes"]


@settings(max_examples=60, deadline=None)
@given(
    servers=st.integers(2, 6),
    sessions=st.integers(0, 2000),
    session_minutes=st.integers(1, 30),
    deploy_at=st.integers(0, 10),
    restart_minutes=st.integers(1, 4),
    after_deploy=st.integers(0, 5),
    seed=st.integers(0, 2**32),
)
def test_what_must_hold_for_any_parameters(servers: int, sessions: int, session_minutes: int, deploy_at: int,
                                           restart_minutes: int, after_deploy: int, seed: int) -> None:
    parameters = dict(servers=servers, sessions=sessions, session_minutes=session_minutes, deploy_at=deploy_at,
                      restart_minutes=restart_minutes, after_deploy=after_deploy, seed=seed)
    result = rolling_deploy.simulate(**parameters)
    assert result == rolling_deploy.simulate(**parameters)  # seeded: the same numbers every time
    assert json.loads(json.dumps(result)) == result
    names = [f"web-{n}" for n in range(1, servers + 1)]
    designs = result["designs"]
    for name in DESIGNS:
        design, totals = designs[name], designs[name]["totals"]
        assert restarted(design) == names
        assert totals["servers_restarted"] == servers
        assert totals["deploy_minutes"] >= servers * restart_minutes
        assert 0 <= totals["users_logged_out_more_than_once"] <= totals["sessions_lost"]
        assert totals["most_logouts_for_one_user"] <= servers
        for earlier, later in zip(design["timeline"], design["timeline"][1:]):
            for counter in ("Sessions lost", "Logged out twice or more", "Servers restarted"):
                assert earlier["counters"][counter] <= later["counters"][counter]
    assert designs["stateful_drained"]["totals"]["sessions_lost"] == designs["stateless"]["totals"]["sessions_lost"] == 0
    assert designs["stateful"]["totals"]["deploy_minutes"] == designs["stateless"]["totals"]["deploy_minutes"]
    assert designs["stateful_drained"]["totals"]["deploy_minutes"] >= designs["stateful"]["totals"]["deploy_minutes"]
    losses = losses_at_restarts(designs["stateful"])
    assert designs["stateful"]["totals"]["sessions_lost"] == sum(lost for _, lost in losses)
    assert all(lost == held for held, lost in losses if held is not None)
    if sessions >= 100 * servers:  # the first server is sure to hold sessions, so it must wait
        assert designs["stateful_drained"]["totals"]["deploy_minutes"] > designs["stateful"]["totals"]["deploy_minutes"]
        assert designs["stateful"]["totals"]["sessions_lost"] > 0
