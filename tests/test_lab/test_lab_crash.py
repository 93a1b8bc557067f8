"""The crash scenario on real HAProxy, Redis and uvicorn: what each design loses, and the
retries that hide the crash. One short run without HAProxy retries and one with them."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

import pytest

from lab import cluster, ports, runner
from lab.processes import Process, Supervisor
from lab.scenario import Settings

from .helpers import QUICK_CRASH, is_running

USERS, SERVERS = QUICK_CRASH["users"], QUICK_CRASH["servers"]
STATELESS = ("shared_store", "signed_tokens")
# HAProxy notices between 0.8 and 1.2 detection windows after the crash (lab/scenario.py),
# plus the lab's own polling of its runtime API.
WINDOW = (0.7, 1.3)
# Requests the dead server had taken when it died: about its request rate x RESPONSE_MS.
MOST_IN_FLIGHT = 3


@dataclass
class Runs:
    without_retries: dict
    with_retries: dict
    processes: list[Process]
    ports: list[int]
    folder: Path


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    folder = tmp_path_factory.mktemp("lab")
    taken: list[int] = []

    def recorded_free_ports(count: int) -> list[int]:
        chosen = ports.free_ports(count)
        taken.extend(chosen)
        return chosen

    with pytest.MonkeyPatch.context() as patch, Supervisor(folder) as supervisor:
        patch.setattr(cluster, "free_ports", recorded_free_ports)
        without = runner.run("crash", QUICK_CRASH, Settings(retry=False), supervisor)
        with_retries = runner.run("crash", QUICK_CRASH, Settings(retry=True), supervisor)
        processes = list(supervisor.processes)
    return Runs(without, with_retries, processes, taken, folder)


def measured(result: dict, design: str) -> dict:
    return result["designs"][design]["measured"]


def test_stateful_loses_the_sessions_of_one_server_in_m(runs: Runs) -> None:
    for result in (runs.without_retries, runs.with_retries):
        figures = measured(result, "stateful")
        assert figures["sessions_lost"] == pytest.approx(USERS / SERVERS, rel=0.1)
        assert figures["users_logged_out"] == pytest.approx(USERS / SERVERS, rel=0.1)
        assert 0 < figures["carts_lost"] < figures["users_logged_out"]
        assert figures["logged_in_at_end"] == USERS  # they all logged in again


def test_shared_store_and_signed_tokens_lose_nothing(runs: Runs) -> None:
    for result in (runs.without_retries, runs.with_retries):
        for design in STATELESS:
            figures = measured(result, design)
            assert figures["sessions_lost"] == figures["users_logged_out"] == figures["carts_lost"] == 0
            assert figures["logged_in_at_end"] == USERS


def test_without_retries_requests_fail_until_haproxy_notices(runs: Runs) -> None:
    # The simulation's failures last exactly DETECT_MINUTES; HAProxy's as long as it took.
    for design in runs.without_retries["designs"].values():
        window = design["details"]["detection_minutes"] / QUICK_CRASH["detect_minutes"]
        assert WINDOW[0] < window < WINDOW[1]
        expected = design["predicted"]["requests_failed"] * window
        assert design["measured"]["requests_failed"] == pytest.approx(expected, rel=0.3)


def test_with_retries_only_the_requests_in_flight_fail(runs: Runs) -> None:
    for design in runs.with_retries["designs"].values():
        figures = design["measured"]
        assert figures["requests_retried"] > 0
        assert figures["requests_failed"] == figures["requests_in_flight"] <= MOST_IN_FLIGHT


def test_the_timeline_has_the_counters_at_the_end_of_every_minute(runs: Runs) -> None:
    minutes = list(range(QUICK_CRASH["minutes"]))
    for result in (runs.without_retries, runs.with_retries):
        for design in result["designs"].values():
            timeline = design["timeline"]
            assert timeline["minute"] == minutes
            # Nothing goes wrong before the crash; the counters only ever grow.
            before_crash = QUICK_CRASH["crash_at"] - 1
            assert timeline["Logouts"][before_crash] == timeline["Requests failed"][before_crash] == 0
            for counter in ("Logouts", "Requests failed"):
                assert timeline[counter] == sorted(timeline[counter])
            assert timeline["Logged in"][before_crash] == USERS


def test_every_process_is_gone_after_the_runs(runs: Runs) -> None:
    names = {process.name for process in runs.processes}
    assert {"haproxy", "redis", "web-1", "web-2", "web-3"} <= names
    assert not [process.name for process in runs.processes if is_running(process.pid)]


def test_ports_were_free_and_are_free_again(runs: Runs) -> None:
    assert len(runs.ports) == len(set(runs.ports))
    assert all(ports.LOWEST <= port < ports.ephemeral_start() for port in runs.ports)
    for port in runs.ports:
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, f"something still listens on {port}"
