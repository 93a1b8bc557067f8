"""The plumbing every simulation shares: checks, options, load balancing, tables."""

from __future__ import annotations

import json
import math
import re

import pytest
import sessionlab as lab
from hypothesis import given
from hypothesis import strategies as st

BOUNDS = {"servers": (1, 12), "share": (0.0, 1.0)}


def demo_simulate(servers=4, share=0.5, *, sticky=True) -> dict:
    parameters = lab.checked(BOUNDS, servers=servers, share=share, sticky=sticky)
    lab.at_most("servers", servers, 6, "the demo says so")
    return parameters


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int | None, str, str]:
    """(exit status or None, stdout, stderr) of lab.main on the demo."""
    try:
        lab.main("Demo.\n\nMore.", demo_simulate, lambda r: f"report of {r['servers']} servers", BOUNDS, list(argv))
        status = None
    except SystemExit as stop:
        status = stop.code
    out, err = capsys.readouterr()
    return status, out, err


def test_every_parameter_of_simulate_becomes_an_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_main(capsys, "--servers", "6", "--share", "0.25", "--no-sticky") == (None, "report of 6 servers\n", "")
    status, out, _ = run_main(capsys, "--json")
    assert status is None
    assert json.loads(out) == demo_simulate()


def test_help_shows_each_range_and_default(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(capsys, "--help")
    assert status == 0
    assert "--servers N" in out
    assert "1 to 12 (default: 4)" in out
    assert "0.0 to 1.0 (default: 0.5)" in out
    assert "--sticky, --no-sticky" in out
    assert "(default: on)" in out


@pytest.mark.parametrize(("argv", "line"), [
    (["--servers", "0"], "--servers must be between 1 and 12 (got 0)"),
    (["--servers", "13"], "--servers must be between 1 and 12 (got 13)"),
    (["--share", "nan"], "--share must be between 0.0 and 1.0 (got nan)"),
    (["--servers", "7"], "--servers must be at most 6, as the demo says so (got 7)"),
])
def test_a_bad_value_is_one_usage_error_naming_the_option(capsys: pytest.CaptureFixture[str], argv: list[str],
                                                          line: str) -> None:
    status, out, err = run_main(capsys, *argv)
    assert (status, out) == (2, "")
    usage, error = err.splitlines()  # no traceback
    assert usage.startswith("usage: ")
    assert usage.endswith(" [options]")
    assert error.endswith(f": error: {line}")


@pytest.mark.parametrize(("servers", "line"), [
    (40, "error: SERVERS must be between 1 and 12 (got 40)"),
    ("four", "error: SERVERS must be a whole number (got 'four')"),
])
def test_an_edited_constant_is_named_as_the_constant(capsys: pytest.CaptureFixture[str], servers: object,
                                                     line: str) -> None:
    def edited(servers=servers, share=0.5, *, sticky=True) -> dict:
        return demo_simulate(servers, share, sticky=sticky)

    with pytest.raises(SystemExit):
        lab.main("Demo.", edited, str, BOUNDS, [])
    assert capsys.readouterr().err.splitlines()[-1].endswith(line)


@pytest.mark.parametrize(("value", "message"), [
    (0, "SERVERS (--servers) must be between 1 and 12 (got 0)"),
    (2.5, "SERVERS (--servers) must be a whole number (got 2.5)"),
    (True, "SERVERS (--servers) must be a whole number (got True)"),
    ("4", "SERVERS (--servers) must be a whole number (got '4')"),
])
def test_a_bad_value_in_python_is_a_value_error_naming_the_parameter(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as raised:
        demo_simulate(servers=value)
    assert str(raised.value) == message


@pytest.mark.parametrize("value", [math.nan, math.inf, -0.5, "0.5", None])
def test_a_number_must_be_a_real_one_within_range(value: object) -> None:
    with pytest.raises(ValueError, match=r"^SHARE \(--share\) must be"):
        demo_simulate(share=value)


def test_a_switch_must_be_true_or_false() -> None:
    with pytest.raises(ValueError, match=r"STICKY \(--sticky\) must be True or False \(got 1\)"):
        demo_simulate(sticky=1)


def test_ranges_are_what_a_result_carries() -> None:
    assert lab.ranges(BOUNDS) == {"servers": [1, 12], "share": [0.0, 1.0]}


@given(servers=st.integers(1, 12), turn=st.integers(0, 50), requests=st.integers(0, 500),
       removed=st.sets(st.integers(0, 11), max_size=11))
def test_spread_and_deal_hand_out_exactly_what_next_would(servers: int, turn: int, requests: int,
                                                          removed: set[int]) -> None:
    one_by_one, at_once, dealt = lab.RoundRobin(servers), lab.RoundRobin(servers), lab.RoundRobin(servers)
    for balancer in (one_by_one, at_once, dealt):
        for server in removed:
            balancer.remove(server % servers)
        balancer.turn = turn
    if not one_by_one.rotation:
        assert at_once.spread(requests, servers) == [0] * servers
        return
    expected = [0] * servers
    for _ in range(requests):
        expected[one_by_one.next()] += 1
    assert at_once.spread(requests, servers) == expected
    assert dealt.deal(requests) == {server: count for server, count in enumerate(expected) if count}
    assert at_once.turn == dealt.turn == one_by_one.turn


@given(loads=st.lists(st.integers(0, 60), min_size=1, max_size=12), amount=st.integers(0, 300), data=st.data())
def test_filling_the_least_loaded_is_handing_out_one_at_a_time(loads: list[int], amount: int,
                                                                data: st.DataObject) -> None:
    servers = sorted(data.draw(st.sets(st.integers(0, len(loads) - 1), min_size=1)))
    expected, given_one_by_one = list(loads), {}
    for _ in range(amount):
        server = min(servers, key=lambda s: (expected[s], s))
        expected[server] += 1
        given_one_by_one[server] = given_one_by_one.get(server, 0) + 1
    filled = list(loads)
    given = lab.fill_least_loaded(filled, servers, amount)
    assert filled == expected
    assert {server: count for server, count in given.items() if count} == given_one_by_one


@given(active=st.integers(0, 5_000), session_minutes=st.integers(1, 60), seed=st.integers(0, 2**32 - 1))
def test_steady_sessions_keep_the_number_logged_in_level(active: int, session_minutes: int, seed: int) -> None:
    minutes = 3 * session_minutes
    remaining, starting = lab.steady_sessions(active, session_minutes, minutes, seed)
    longest = 2 * session_minutes - 1
    assert sum(remaining.values()) == active
    assert set(remaining) <= set(range(1, longest + 1))
    ends = [0] * (minutes + 2 * longest + 2)
    for left, count in remaining.items():
        ends[left] += count
    logged_in = active
    for minute, lengths in enumerate(starting):
        assert sum(lengths.values()) == (minute + 1) * active // session_minutes - minute * active // session_minutes
        assert max(lengths.values(), default=0) - min(lengths.values(), default=0) <= 1  # spread evenly
        for length, count in lengths.items():
            ends[minute + 1 + length] += count
        logged_in += sum(lengths.values()) - ends[minute + 1]
        if active >= 1_000 and session_minutes >= 5:
            assert abs(logged_in - active) < 0.1 * active, minute


def test_a_table_aligns_names_left_and_numbers_right_under_two_line_headers() -> None:
    assert lab.table(["Design", "Sessions\nlost"], [["stateful", 1500], ["stateless", 0]]).splitlines() == [
        "           Sessions",
        "Design         lost",
        "---------  --------",
        "stateful      1,500",
        "stateless         0",
    ]


def test_text_fits_a_phone_column() -> None:
    words = " ".join(["session"] * 60)
    assert max(map(len, lab.paragraph(words).splitlines())) <= lab.WIDTH
    design = {"timeline": [{"minute": 7, "events": [lab.event("x", words)]}]}
    lines = lab.event_lines(design).splitlines()
    assert lines[0].startswith("  minute   7: session")
    assert max(map(len, lines)) <= lab.WIDTH
    assert all(line.startswith(" " * 15) for line in lines[1:])


def test_a_snapshot_node_must_have_a_known_status() -> None:
    assert lab.node("draining", "12 sessions", 0.25) == {"status": "draining", "note": "12 sessions", "traffic": 0.25}
    with pytest.raises(ValueError, match="unknown status 'sleeping'"):
        lab.node("sleeping", "")


def test_small_pieces_of_reports() -> None:
    assert lab.shares([1, 3]) == [0.25, 0.75]
    assert lab.shares([0, 0]) == [0.0, 0.0]
    assert lab.megabytes(12_345_678) == "12.3 MB"
    assert lab.plural(1, "entry", "entries") == "1 entry"
    assert lab.plural(2_500, "session") == "2,500 sessions"


def test_simulations_allow_as_many_servers_as_the_pictures_are_drawn_for() -> None:
    from machinery.diagram import figure

    assert lab.DIAGRAM_SERVERS == figure.MAX_SERVERS
