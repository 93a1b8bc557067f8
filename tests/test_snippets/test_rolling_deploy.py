"""snippets/rolling_deploy.py: who is logged out when every server restarts in turn."""

from __future__ import annotations

import pytest
import rolling_deploy
import sessionlab as lab
from hypothesis import given, settings

from tests.test_snippets import spaces

DESIGNS = ("stateful", "stateful_drained", "stateless")


@pytest.fixture(scope="module")
def default_run() -> dict:
    return rolling_deploy.simulate()


def sessions_in(note: str) -> int:
    """"1,124 sessions" -> 1124."""
    return int(note.split(maxsplit=1)[0].replace(",", ""))


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
        assert totals["sessions_lost"] == totals["logouts"] == totals["users_logged_out_at_least_once"] == 0
        assert not [e for e in lab.events(default_run["designs"][name]) if e["kind"] == "sessions_lost"]


def test_a_restart_without_draining_loses_every_session_the_server_held(default_run: dict) -> None:
    stateful = default_run["designs"]["stateful"]
    losses = losses_at_restarts(stateful)
    assert len(losses) == rolling_deploy.SERVERS
    for held, lost in losses:
        assert lost == held > 0
    assert stateful["totals"]["sessions_lost"] == sum(lost for _, lost in losses)
    # Users sent to a server that has not restarted yet are logged out again when it does.
    totals = stateful["totals"]
    assert totals["logouts"] == totals["sessions_lost"] > rolling_deploy.SESSIONS
    assert 0 < totals["users_logged_out_at_least_twice"] < totals["users_logged_out_at_least_once"]
    assert 2 <= totals["most_logouts_for_one_user"] <= rolling_deploy.SERVERS
    # Every logout is some user's first, second, ...: more than the users, fewer than each twice.
    assert totals["logouts"] >= totals["users_logged_out_at_least_once"] + totals["users_logged_out_at_least_twice"]
    assert totals["logouts"] <= totals["users_logged_out_at_least_once"] * totals["most_logouts_for_one_user"]


def test_with_two_servers_the_first_ones_users_are_logged_out_again_by_the_second() -> None:
    # web-1 restarts first: its users can only go to web-2, which restarts next and sends
    # them back. Sessions of an hour on average: few end during the two minutes.
    totals = rolling_deploy.simulate(servers=2, sessions=1_000, session_minutes=60, deploy_at=0,
                                     restart_minutes=1)["designs"]["stateful"]["totals"]
    assert 0.9 * 500 < totals["users_logged_out_at_least_twice"] <= 500
    assert totals["most_logouts_for_one_user"] == 2
    assert 1_000 <= totals["users_logged_out_at_least_once"] < 1_100  # with the few who logged in meanwhile
    assert totals["logouts"] == totals["users_logged_out_at_least_once"] + totals["users_logged_out_at_least_twice"]


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
        restarting = [snap for snap in design["timeline"]
                      if any(node["status"] == "restarting" for node in snap["nodes"].values())]
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


def test_each_design_runs_until_shortly_after_its_deploy_and_keeps_the_same_users(default_run: dict) -> None:
    designs = [default_run["designs"][name] for name in DESIGNS]
    for design in designs:
        done = rolling_deploy.DEPLOY_AT + design["totals"]["deploy_minutes"]
        assert len(design["timeline"]) == done + rolling_deploy.AFTER_DEPLOY + 1
        last = lab.events(design)[-1]
        assert (last["kind"], last["node"], last["minute"]) == ("deploy_done", None, done)
    for snapshots in zip(*(design["timeline"] for design in designs), strict=False):  # the shortest
        logged_in = {snap["counters"]["Logged in"] for snap in snapshots}
        assert len(logged_in) == 1  # users logged out log straight in again elsewhere
        assert abs(logged_in.pop() - rolling_deploy.SESSIONS) < 0.05 * rolling_deploy.SESSIONS
        store = snapshots[2]["nodes"]["session-store"]["note"]
        assert store == f"{snapshots[2]['counters']['Logged in']:,} sessions"
    drained = [snap["counters"]["Logged in"] for snap in designs[1]["timeline"]]
    assert max(abs(logged_in - rolling_deploy.SESSIONS) for logged_in in drained) < 0.05 * rolling_deploy.SESSIONS


@settings(max_examples=25, deadline=None)
@given(parameters=spaces.accepted("rolling_deploy"))
def test_what_must_hold_for_any_parameters(parameters: dict) -> None:
    result = spaces.checked_run("rolling_deploy", parameters)
    servers, sessions = parameters["servers"], parameters["sessions"]
    names = [f"web-{n}" for n in range(1, servers + 1)]
    designs = result["designs"]
    for name in DESIGNS:
        design, totals = designs[name], designs[name]["totals"]
        assert restarted(design) == names
        assert totals["servers_restarted"] == servers
        assert totals["deploy_minutes"] >= servers * parameters["restart_minutes"]
        done = parameters["deploy_at"] + totals["deploy_minutes"]
        assert len(design["timeline"]) == done + parameters["after_deploy"] + 1
        assert totals["logouts"] == totals["sessions_lost"]
        assert 0 <= totals["users_logged_out_at_least_twice"] <= totals["users_logged_out_at_least_once"]
        assert totals["users_logged_out_at_least_once"] <= totals["logouts"]
        assert totals["most_logouts_for_one_user"] <= servers
        spaces.never_fewer(design, "Sessions lost", "Users logged out", "Logged out twice or more",
                           "Servers restarted")
    for name in ("stateful_drained", "stateless"):
        assert designs[name]["totals"]["sessions_lost"] == 0
    assert designs["stateful"]["totals"]["deploy_minutes"] == designs["stateless"]["totals"]["deploy_minutes"]
    assert designs["stateful_drained"]["totals"]["deploy_minutes"] >= designs["stateful"]["totals"]["deploy_minutes"]
    losses = losses_at_restarts(designs["stateful"])
    assert designs["stateful"]["totals"]["sessions_lost"] == sum(lost for _, lost in losses)
    assert all(lost == held for held, lost in losses if held is not None)
    if sessions >= 100 * servers:  # the first server is sure to hold sessions, so it must wait
        assert designs["stateful_drained"]["totals"]["deploy_minutes"] > designs["stateful"]["totals"]["deploy_minutes"]
        assert designs["stateful"]["totals"]["sessions_lost"] > 0
