"""snippets/memory.py: the bytes each design spends on sessions, kept or carried."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random

import memory
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_snippets import spaces

SESSION_COOKIE_BYTES = len("sid=") + 32
MB = 1_000_000


@pytest.fixture(scope="module")
def default_run() -> dict:
    return memory.simulate()


def real_sessions(users: int = memory.USERS, seed: int = memory.SEED) -> list[dict]:
    """Every user's session, built and kept whole, in login order."""
    rng = random.Random(0)
    return [memory.new_session(user_id, items, minute, rng, staff=staff)
            for minute, arriving in enumerate(memory.population(users, memory.LOGIN_MINUTES, memory.CART_MAX, seed))
            for user_id, staff, items in arriving]


def decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_the_stateful_servers_together_hold_every_session_once(default_run: dict) -> None:
    # Users are handed out in turn, in login order: user i lands on server i mod SERVERS.
    per_server = [0] * memory.SERVERS
    for index, session in enumerate(real_sessions()):
        per_server[index % memory.SERVERS] += len(memory.compact(session)) + memory.ENTRY_OVERHEAD_BYTES
    design = default_run["designs"]["stateful"]
    totals = design["totals"]
    assert sum(per_server) == totals["session_bytes"] == totals["fleet_bytes"]
    assert max(per_server) == totals["busiest_server_bytes"]
    assert totals["busiest_server_sessions"] == memory.USERS // memory.SERVERS
    assert totals["busiest_server_heap_bytes"] == round(max(per_server) * memory.RUNTIME_FACTOR)
    assert totals["fleet_heap_bytes"] == round(sum(per_server) * memory.RUNTIME_FACTOR)
    assert totals["average_session_bytes"] == sum(per_server) // memory.USERS
    notes = [node["note"] for node in design["timeline"][-1]["nodes"].values()]
    assert notes == [f"{size / MB:,.1f} MB" for size in per_server]


def test_a_fleet_holds_what_its_users_bring_however_many_servers_share_it() -> None:
    """Adding servers splits the same total: a rush of sessions is counted per fleet."""
    fleets = [memory.simulate(servers=servers)["designs"]["stateful"]["totals"] for servers in (2, 4, 8)]
    assert len({fleet["fleet_bytes"] for fleet in fleets}) == 1
    for servers, fleet in zip((2, 4, 8), fleets, strict=True):
        assert fleet["fleet_bytes"] / servers <= fleet["busiest_server_bytes"] < 1.1 * fleet["fleet_bytes"] / servers


@pytest.mark.parametrize("replicas", [0, 1, 3])
def test_the_shared_store_holds_every_session_once_per_copy(replicas: int) -> None:
    result = memory.simulate(users=2_000, store_replicas=replicas)
    totals = result["designs"]["shared_store"]["totals"]
    assert totals["store_bytes"] == totals["session_bytes"] * (1 + replicas)
    assert totals["busiest_server_bytes"] == totals["fleet_bytes"] == 0
    assert totals["session_bytes"] == result["designs"]["stateful"]["totals"]["session_bytes"]
    last = result["designs"]["shared_store"]["timeline"][-1]
    assert last["counters"]["Store (MB)"] == round(totals["store_bytes"] / MB, 1)
    assert ("session-store-replica" in last["nodes"]) == (replicas > 0)
    assert all(last["nodes"][f"web-{s}"]["note"] == "no sessions" for s in range(1, memory.SERVERS + 1))


def test_an_ids_only_token_is_small_and_the_cart_goes_to_the_database(default_run: dict) -> None:
    tokens = default_run["designs"]["signed_tokens"]["totals"]
    sid = default_run["designs"]["shared_store"]["totals"]
    assert sid["cookie_bytes_per_request"] == SESSION_COOKIE_BYTES
    assert SESSION_COOKIE_BYTES < tokens["cookie_bytes_smallest"] <= tokens["cookie_bytes_largest"] < 300
    assert tokens["cookies_over_limit"] == 0
    assert tokens["store_bytes"] == tokens["busiest_server_bytes"] == tokens["fleet_bytes"] == 0
    assert tokens["extra_upload_bytes_per_minute"] == tokens["upload_bytes_per_minute"] - sid["upload_bytes_per_minute"]
    carts = [session["cart"] for session in real_sessions() if session["cart"]]
    assert tokens["database_bytes"] == sum(len(memory.compact(cart)) for cart in carts) > 0


def test_the_whole_session_in_a_token_is_the_anti_pattern_big_cookies_show(default_run: dict) -> None:
    anti = default_run["designs"]["session_in_token"]
    ids_only = default_run["designs"]["signed_tokens"]["totals"]
    assert "anti-pattern" in anti["label"]
    totals = anti["totals"]
    assert totals["cookie_bytes_per_request"] > 2 * ids_only["cookie_bytes_per_request"]
    assert 0 < totals["cookies_over_limit"] < memory.USERS // 50  # a few, not many
    assert totals["cookie_bytes_largest"] > memory.COOKIE_LIMIT
    assert [(e["minute"], e["kind"]) for e in memory.lab.events(anti)] == [(0, "cookie_too_big")]
    assert anti["timeline"][-1]["counters"]["Cookies over 4,096 bytes"] == totals["cookies_over_limit"]
    small_carts = memory.simulate(users=2_000, cart_max=40)["designs"]["session_in_token"]["totals"]
    assert small_carts["cookies_over_limit"] == 0
    assert small_carts["cookie_bytes_largest"] < memory.COOKIE_LIMIT


def test_each_token_verifies_with_the_key_and_carries_its_claims() -> None:
    session = max(real_sessions(users=500), key=lambda s: len(s["cart"]))
    assert len(session["cart"]) > 10
    ids = memory.id_claims(session["user_id"], minute=3, staff="support" in session["roles"])
    for claims in (session, ids):
        token = memory.sign(memory.compact(claims))
        header, body, signature = token.split(".")
        expected = hmac.new(memory.SIGNING_KEY, f"{header}.{body}".encode(), hashlib.sha256).digest()
        assert hmac.compare_digest(decode(signature), expected)
        assert json.loads(decode(header)) == {"alg": "HS256", "typ": "JWT"}
        assert json.loads(decode(body)) == claims
        # Another key, or other claims, give another signature: the server would refuse the token.
        assert memory.sign(memory.compact(claims), b"another key").split(".")[2] != signature
    assert set(ids) == {"sub", "roles", "exp"}
    emptied = memory.sign(memory.compact({**session, "cart": []}))
    assert emptied.split(".")[2] != memory.sign(memory.compact(session)).split(".")[2]


@settings(max_examples=40, deadline=None)
@given(user_id=st.integers(1, 100_000), staff=st.booleans(), items=st.integers(0, 500),
       minute=st.integers(0, 59), seed=st.integers(0, 2**32 - 1))
def test_one_session_of_each_shape_measures_them_all(user_id: int, staff: bool, items: int, minute: int,
                                                     seed: int) -> None:
    session = memory.new_session(user_id, items, minute, random.Random(seed), staff=staff)
    claims = memory.compact(session)
    sizes = memory.measured(user_id, items, staff=staff)
    assert sizes.session == len(claims)
    assert sizes.session_cookie == len("token=" + memory.sign(claims))
    assert sizes.id_cookie == len("token=" + memory.sign(memory.compact(memory.id_claims(user_id, minute, staff=staff))))
    assert sizes.cart == (len(memory.compact(session["cart"])) if items else 0)


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


@settings(max_examples=25, deadline=None)
@given(parameters=spaces.accepted("memory"))
def test_what_must_hold_for_any_parameters(parameters: dict) -> None:
    result = spaces.checked_run("memory", parameters)
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
        assert logged_in == sorted(logged_in)
        assert logged_in[-1] == users
        if name != "session_in_token":
            assert totals["cookies_over_limit"] == 0
    stateful = designs["stateful"]["totals"]
    assert raw / servers <= stateful["busiest_server_bytes"] <= stateful["fleet_bytes"] == raw
    assert stateful["busiest_server_sessions"] == -(-users // servers)
    assert designs["shared_store"]["totals"]["store_bytes"] == raw * (1 + parameters["store_replicas"])
    anti, ids_only = designs["session_in_token"]["totals"], designs["signed_tokens"]["totals"]
    if users:
        assert SESSION_COOKIE_BYTES < ids_only["cookie_bytes_smallest"] < anti["cookie_bytes_smallest"]
        # The token carries the session's JSON in base64 (4 characters for 3 bytes), and more.
        assert anti["cookie_bytes_per_request"] * users > (raw - users * parameters["entry_overhead_bytes"]) * 4 / 3
