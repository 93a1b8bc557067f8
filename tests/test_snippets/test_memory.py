"""snippets/memory.py: the bytes each design spends on sessions, kept or carried."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import memory

SESSION_COOKIE_BYTES = len("sid=") + 32


@pytest.fixture(scope="module")
def default_run() -> dict:
    return memory.simulate()


def every_session(users: int = memory.USERS, seed: int = memory.SEED) -> list[dict]:
    minutes = memory.sessions(users, memory.LOGIN_MINUTES, memory.CART_MAX, seed)
    return [session for minute in minutes for session in minute]


def decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_the_stateful_servers_together_hold_every_session_once(default_run: dict) -> None:
    # Users are handed out in turn, in login order: user i lands on server i mod SERVERS.
    per_server = [0] * memory.SERVERS
    for index, session in enumerate(every_session()):
        per_server[index % memory.SERVERS] += len(memory.compact(session)) + memory.ENTRY_OVERHEAD_BYTES
    design = default_run["designs"]["stateful"]
    totals = design["totals"]
    assert sum(per_server) == totals["session_bytes"]
    assert max(per_server) == totals["busiest_server_bytes"]
    assert totals["busiest_server_sessions"] == memory.USERS // memory.SERVERS
    assert totals["busiest_server_heap_bytes"] == round(max(per_server) * memory.RUNTIME_FACTOR)
    notes = [node["note"] for node in design["timeline"][-1]["nodes"].values()]
    assert notes == [f"{size / 1_000_000:,.1f} MB" for size in per_server]


@pytest.mark.parametrize("replicas", [0, 1, 3])
def test_the_shared_store_holds_every_session_once_per_copy(replicas: int) -> None:
    result = memory.simulate(users=2_000, store_replicas=replicas)
    totals = result["designs"]["shared_store"]["totals"]
    assert totals["store_bytes"] == totals["session_bytes"] * (1 + replicas)
    assert totals["busiest_server_bytes"] == 0
    assert totals["session_bytes"] == result["designs"]["stateful"]["totals"]["session_bytes"]
    assert result["designs"]["shared_store"]["timeline"][-1]["counters"]["Store (MB)"] == round(
        totals["store_bytes"] / 1_000_000, 1)
    last = result["designs"]["shared_store"]["timeline"][-1]["nodes"]
    assert ("session-store-replica" in last) == (replicas > 0)
    assert all(last[f"web-{s}"]["note"] == "no sessions" for s in range(1, memory.SERVERS + 1))


def test_every_token_cookie_weighs_more_than_a_session_id_cookie(default_run: dict) -> None:
    tokens = default_run["designs"]["signed_tokens"]["totals"]
    sid = default_run["designs"]["shared_store"]["totals"]
    assert sid["cookie_bytes_per_request"] == SESSION_COOKIE_BYTES
    assert tokens["cookie_bytes_smallest"] > SESSION_COOKIE_BYTES
    assert tokens["cookie_bytes_smallest"] < tokens["cookie_bytes_per_request"] < tokens["cookie_bytes_largest"]
    assert tokens["store_bytes"] == tokens["busiest_server_bytes"] == 0
    extra = tokens["upload_bytes_per_minute"] - sid["upload_bytes_per_minute"]
    assert tokens["extra_upload_bytes_per_minute"] == extra > 0


def test_a_token_verifies_with_the_key_and_carries_its_users_session() -> None:
    sessions = every_session(users=500)
    session = max(sessions, key=lambda s: len(s["cart"]))
    token = memory.sign(memory.compact(session))
    header, claims, signature = token.split(".")
    expected = hmac.new(memory.SIGNING_KEY, f"{header}.{claims}".encode(), hashlib.sha256).digest()
    assert hmac.compare_digest(decode(signature), expected)
    assert json.loads(decode(header)) == {"alg": "HS256", "typ": "JWT"}
    assert json.loads(decode(claims)) == session
    assert len(session["cart"]) > 10
    # Another key, or another cart, gives another signature: the server would refuse the token.
    assert memory.sign(memory.compact(session), b"another key").split(".")[2] != signature
    tampered = {**session, "cart": []}
    assert memory.sign(memory.compact(tampered)).split(".")[2] != signature


def test_only_big_carts_make_token_cookies_too_big(default_run: dict) -> None:
    tokens = default_run["designs"]["signed_tokens"]
    over = tokens["totals"]["cookies_over_limit"]
    assert 0 < over < memory.USERS // 50  # a few, not many
    assert tokens["totals"]["cookie_bytes_largest"] > memory.COOKIE_LIMIT
    events = [(snap["minute"], event["kind"]) for snap in tokens["timeline"] for event in snap["events"]]
    assert events == [(0, "cookie_too_big")]
    assert tokens["timeline"][-1]["counters"]["Cookies over 4,096 bytes"] == over
    small_carts = memory.simulate(users=2_000, cart_max=40)["designs"]["signed_tokens"]["totals"]
    assert small_carts["cookies_over_limit"] == 0
    assert small_carts["cookie_bytes_largest"] < memory.COOKIE_LIMIT


def test_memory_grows_linearly_with_users() -> None:
    half = memory.simulate(users=memory.USERS // 2)["designs"]
    full = memory.simulate(users=memory.USERS)["designs"]
    for design, key in [("stateful", "busiest_server_bytes"), ("shared_store", "store_bytes"),
                        ("signed_tokens", "upload_bytes_per_minute")]:
        ratio = full[design]["totals"][key] / half[design]["totals"][key]
        assert 1.9 < ratio < 2.1, (design, ratio)
    store = [snap["counters"]["Store (MB)"] for snap in full["shared_store"]["timeline"]]
    assert store == sorted(store)
    assert 1.9 < store[-1] / store[len(store) // 2 - 1] < 2.1


@settings(max_examples=40, deadline=None)
@given(
    servers=st.integers(1, 8),
    users=st.integers(0, 1_200),
    login_minutes=st.integers(1, 15),
    cart_max=st.integers(0, 150),
    entry_overhead_bytes=st.integers(0, 300),
    runtime_factor=st.floats(1, 10),
    store_replicas=st.integers(0, 3),
    requests_per_minute=st.integers(0, 5),
    seed=st.integers(0, 2**32),
)
def test_what_must_hold_for_any_parameters(**parameters: object) -> None:
    result = memory.simulate(**parameters)
    assert result == memory.simulate(**parameters)  # seeded: the same numbers every time
    users, servers = parameters["users"], parameters["servers"]
    designs = result["designs"]
    raw = designs["stateful"]["totals"]["session_bytes"]
    # Even an empty-cart session has JSON of more than 100 bytes.
    assert raw >= users * (100 + parameters["entry_overhead_bytes"])
    for name, design in designs.items():
        totals = design["totals"]
        assert totals["sessions"] == users
        assert totals["session_bytes"] == raw
        upload = round(totals["cookie_bytes_per_request"] * users) * parameters["requests_per_minute"]
        assert abs(totals["upload_bytes_per_minute"] - upload) <= parameters["requests_per_minute"] * users / 1000
        assert len(design["timeline"]) == parameters["login_minutes"]
        logged_in = [snap["counters"]["Sessions"] for snap in design["timeline"]]
        assert logged_in == sorted(logged_in) and logged_in[-1] == users
        if name != "signed_tokens":
            assert totals["cookies_over_limit"] == 0
    stateful = designs["stateful"]["totals"]
    assert raw / servers <= stateful["busiest_server_bytes"] <= raw
    assert stateful["busiest_server_sessions"] == -(-users // servers)
    assert designs["shared_store"]["totals"]["store_bytes"] == raw * (1 + parameters["store_replicas"])
    tokens = designs["signed_tokens"]["totals"]
    if users:
        assert tokens["cookie_bytes_smallest"] > SESSION_COOKIE_BYTES
        # The token carries the session's JSON in base64 (4 characters for 3 bytes), and more.
        assert tokens["cookie_bytes_per_request"] * users > (raw - users * parameters["entry_overhead_bytes"]) * 4 / 3
