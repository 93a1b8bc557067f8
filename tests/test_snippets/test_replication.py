"""snippets/replication.py: what copying sessions between servers saves in a crash, and costs."""

from __future__ import annotations

import pytest
import replication
import sessionlab as lab
from hypothesis import given, settings

from tests.test_snippets import spaces

SERVERS, SESSIONS = replication.SERVERS, replication.SESSIONS


@pytest.fixture(scope="module")
def default_run() -> dict:
    return replication.simulate()


def shares(sessions: int, servers: int) -> list[int]:
    """Sessions handed out in turn: the first `extra` servers get one more."""
    whole, extra = divmod(sessions, servers)
    return [whole + (server < extra) for server in range(servers)]


def crashed(crashes: int, servers: int) -> list[int]:
    """web-2 and its next neighbours, numbered from 0."""
    return [(1 + k) % servers for k in range(crashes)]


def expected_losses(sessions: int, servers: int, crashes: int) -> dict[str, int]:
    share, dead = shares(sessions, servers), crashed(crashes, servers)
    return {
        "none": sum(share[s] for s in dead),
        # A session survives while its server's next neighbour in the ring does.
        "one_backup": sum(share[s] for s in dead if (s + 1) % servers in dead),
        "all_to_all": sessions if crashes == servers else 0,
    }


@pytest.mark.parametrize("crashes", [1, 2, 3, 4])
def test_sessions_are_lost_only_when_every_copy_crashes(crashes: int) -> None:
    sessions = 10_003  # not a multiple of the servers: the shares differ by one
    result = replication.simulate(sessions=sessions, crashes=crashes)
    lost = {key: design["totals"]["sessions_lost"] for key, design in result["designs"].items()}
    assert lost == expected_losses(sessions, SERVERS, crashes)


def test_one_crash_loses_a_share_without_copies_and_nothing_with_them(default_run: dict) -> None:
    lost = {key: design["totals"]["sessions_lost"] for key, design in default_run["designs"].items()}
    assert lost == {"none": SESSIONS // SERVERS, "one_backup": 0, "all_to_all": 0}


def test_copies_cost_memory_and_network(default_run: dict) -> None:
    owned = replication.logins(SERVERS, SESSIONS, replication.SESSION_BYTES, replication.SEED)
    every_byte = sum(sum(sizes) for sizes in owned)
    expected = {"none": (0, SESSIONS // SERVERS), "one_backup": (1, 2 * SESSIONS // SERVERS),
                "all_to_all": (SERVERS - 1, SESSIONS)}
    for key, (copies, held) in expected.items():
        totals = default_run["designs"][key]["totals"]
        assert totals["copies_per_write"] == copies
        assert totals["sessions_held_max"] == held
        assert totals["replication_bytes_per_minute"] == every_byte * replication.WRITES_PER_MINUTE * copies
        # Sessions are of random sizes, so a server's bytes are close to, not exactly, its share.
        assert 0.97 < totals["bytes_held_max"] / (every_byte * held / SESSIONS) < 1.03
    assert default_run["designs"]["all_to_all"]["totals"]["bytes_held_max"] == every_byte


def test_sent_to_its_backup_only_the_backups_load_doubles(default_run: dict) -> None:
    one_backup = default_run["designs"]["one_backup"]["totals"]
    share = SESSIONS // SERVERS
    assert one_backup["load_by_server_before"] == {f"web-{n}": share for n in range(1, SERVERS + 1)}
    # web-2's users all go to web-3, its backup; web-1 and web-4 carry what they carried.
    assert one_backup["load_by_server_after"] == {"web-1": share, "web-3": 2 * share, "web-4": share}
    assert one_backup["busiest_load_before"] == share
    assert one_backup["busiest_load_after"] == 2 * share
    assert one_backup["load_increase"] == 2.0
    assert one_backup["sessions_failed_over"] == share
    assert one_backup["sessions_fetched"] == one_backup["fetch_bytes"] == 0
    # Without a single designated backup the users are spread over every survivor.
    spread = shares(SESSIONS, SERVERS - 1)
    for key in ("none", "all_to_all"):
        assert list(default_run["designs"][key]["totals"]["load_by_server_after"].values()) == spread
    assert default_run["designs"]["none"]["totals"]["sessions_failed_over"] == 0


def test_when_any_server_fetches_the_copies_every_survivor_takes_a_share() -> None:
    result = replication.simulate(any_node_fetches=True)
    one_backup = result["designs"]["one_backup"]["totals"]
    owned = replication.logins(SERVERS, SESSIONS, replication.SESSION_BYTES, replication.SEED)
    assert list(one_backup["load_by_server_after"].values()) == shares(SESSIONS, SERVERS - 1)
    assert one_backup["sessions_lost"] == 0
    assert one_backup["sessions_fetched"] == one_backup["sessions_failed_over"] == len(owned[1])
    assert one_backup["fetch_bytes"] == sum(owned[1])  # each session read once from the backup
    assert one_backup["load_increase"] == pytest.approx(4 / 3, abs=0.01)
    # The option only changes where one backup's users go.
    for key in ("none", "all_to_all"):
        assert result["designs"][key] == replication.simulate()["designs"][key]


def test_the_timeline_shows_the_crash_and_the_failover(default_run: dict) -> None:
    crash_at = replication.CRASH_AT
    designs = default_run["designs"]
    for design in designs.values():
        timeline = design["timeline"]
        assert [snap["minute"] for snap in timeline] == list(range(replication.MINUTES))
        assert timeline[crash_at - 1]["nodes"]["web-2"]["status"] == "up"
        assert timeline[crash_at]["nodes"]["web-2"] == {"status": "down", "note": "crashed", "traffic": 0.25}
        assert timeline[crash_at + 1]["nodes"]["web-2"]["traffic"] == 0.0
    events = {key: [(e["minute"], e["kind"], e["node"]) for e in lab.events(design)]
              for key, design in designs.items()}
    assert events == {
        "none": [(crash_at, "server_down", "web-2"), (crash_at, "sessions_lost", "web-2"),
                 (crash_at + 1, "failover", "lb")],
        "one_backup": [(crash_at, "server_down", "web-2"), (crash_at + 1, "failover", "web-3")],
        "all_to_all": [(crash_at, "server_down", "web-2"), (crash_at + 1, "failover", "lb")],
    }
    one_backup = designs["one_backup"]["timeline"]
    assert one_backup[crash_at - 1]["nodes"]["web-3"]["note"] == "2,500 + 2,500 copies"
    # After the failover web-3 serves web-2's users too, and the ring closes: web-1 copies to web-3.
    assert one_backup[crash_at + 1]["nodes"]["web-3"] == {"status": "up", "note": "5,000 + 2,500 copies",
                                                          "traffic": 0.5}
    assert designs["none"]["timeline"][crash_at - 1]["nodes"]["web-1"]["note"] == "2,500 sessions"
    lost = [snap["counters"]["Sessions lost"] for snap in designs["none"]["timeline"]]
    assert lost[crash_at - 1] == 0
    assert lost[crash_at] == lost[-1] == 2_500
    load = [snap["counters"]["Busiest server load"] for snap in one_backup]
    assert load[crash_at] == 2_500
    assert load[crash_at + 1] == 5_000


def test_writes_to_a_crashed_server_are_not_copied(default_run: dict) -> None:
    # During the crash minute web-2's users write nothing, and the copies meant for web-2 go nowhere.
    def network(key: str, minute: int) -> float:
        return default_run["designs"][key]["timeline"][minute]["counters"]["Replication (MB/min)"]

    before, during = replication.CRASH_AT - 1, replication.CRASH_AT
    # One backup: web-2 and web-1 (whose backup is web-2) copy nothing; web-3 and web-4 go on.
    assert network("one_backup", during) == pytest.approx(network("one_backup", before) / 2, rel=0.03)
    # All to all: three servers of four write, each to two live servers of three.
    assert network("all_to_all", during) == pytest.approx(network("all_to_all", before) / 2, rel=0.03)


@settings(max_examples=25, deadline=None)
@given(parameters=spaces.accepted("replication"))
def test_what_must_hold_for_any_parameters(parameters: dict) -> None:
    result = spaces.checked_run("replication", parameters)
    servers, sessions, crashes = parameters["servers"], parameters["sessions"], parameters["crashes"]
    designs = result["designs"]
    lost = {key: design["totals"]["sessions_lost"] for key, design in designs.items()}
    assert lost == expected_losses(sessions, servers, crashes)
    share = shares(sessions, servers)
    on_crashed = sum(share[s] for s in crashed(crashes, servers))
    survivors = servers - crashes
    held = {key: design["totals"]["sessions_held_max"] for key, design in designs.items()}
    assert held["none"] == max(share)
    assert held["all_to_all"] == sessions
    assert held["none"] <= held["one_backup"] <= 2 * held["none"]
    for key, copies in {"none": 0, "one_backup": 1, "all_to_all": servers - 1}.items():
        totals = designs[key]["totals"]
        assert totals["copies_per_write"] == copies
        assert totals["busiest_load_before"] == max(share)
        if survivors:  # every user who did not lose a session was moved with it
            assert totals["sessions_failed_over"] == on_crashed - totals["sessions_lost"]
            assert totals["busiest_load_after"] >= -(-sessions // survivors)
            assert sum(totals["load_by_server_after"].values()) == sessions  # the lost log in again
        else:
            assert totals["busiest_load_after"] == totals["sessions_failed_over"] == 0
        assert len(totals["load_by_server_after"]) == survivors
        assert totals["sessions_fetched"] <= totals["sessions_failed_over"]
        assert len(designs[key]["timeline"]) == parameters["minutes"]
        counted = [snap["counters"]["Sessions lost"] for snap in designs[key]["timeline"]]
        assert counted == sorted(counted)
        assert counted[-1] == totals["sessions_lost"]
    network = [design["totals"]["replication_bytes_per_minute"] for design in designs.values()]
    assert network[0] == 0
    assert network[2] == network[1] * (servers - 1)
