"""The ids each diagram script must emit: what page CSS and simulations may rely on."""

from __future__ import annotations

from tests.conftest import ROOT

DIAGRAMS = ROOT / "diagrams"
# The server counts live blocks draw pictures for: 2-6 on most pages, 5-8 on the sticky-sessions page.
SERVER_COUNTS = range(2, 9)


def numbered(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{number}" for number in range(1, count + 1)]


def pinned_ids(servers: int) -> set[str]:
    ids = {"lb", "clients", *numbered("client-", servers), *numbered("web-", servers), *numbered("sessions-web-", servers)}
    for number in range(1, servers + 1):
        ids |= {f"edge-client-{number}-lb", f"edge-lb-web-{number}"}
    return ids


def stateless_ids(servers: int) -> set[str]:
    ids = {"lb", "clients", "web-tier", "session-store", "db", *numbered("client-", 3), *numbered("web-", servers),
           "edge-web-tier-session-store", "edge-web-tier-db"}
    ids |= {f"edge-client-{number}-lb" for number in range(1, 4)}
    ids |= {f"edge-lb-{web}" for web in numbered("web-", servers)}
    return ids


def replication_ids(servers: int) -> set[str]:
    everyone = numbered("all-to-all-web-", servers)
    ring = numbered("one-backup-web-", servers)
    ids = {"all-to-all", "one-backup", *everyone, *ring}
    ids |= {f"edge-{a}-{b}" for index, a in enumerate(everyone) for b in everyone[index + 1:]}
    ids |= {f"edge-{a}-{ring[(index + 1) % servers]}" for index, a in enumerate(ring)}
    return ids


def token_flow_ids(servers: int) -> set[str]:
    ids = {"client-1", "auth", "lb", "web-tier", "signing-key", *numbered("web-", servers),
           "edge-client-1-auth", "edge-client-1-lb", "edge-auth-signing-key", "edge-web-tier-signing-key"}
    ids |= {f"edge-lb-{web}" for web in numbered("web-", servers)}
    return ids


def practice_ids(servers: int) -> set[str]:
    ids = {"client-1", "dns", "cdn", "lb", "web-tier", "state", "session-store", "session-store-replica",
           "cache", "db", "db-replica-1", "db-replica-2", *numbered("web-", servers),
           "edge-client-1-dns", "edge-client-1-cdn", "edge-cdn-lb",
           "edge-web-tier-session-store", "edge-web-tier-cache", "edge-web-tier-db",
           "edge-session-store-session-store-replica", "edge-db-db-replica-1", "edge-db-db-replica-2"}
    ids |= {f"edge-lb-{web}" for web in numbered("web-", servers)}
    return ids


def lab_setup_ids(servers: int) -> set[str]:
    ids = {"client-1", "lb", "web-tier", "session-store", *numbered("web-", servers),
           "edge-client-1-lb", "edge-web-tier-session-store"}
    ids |= {f"edge-lb-{web}" for web in numbered("web-", servers)}
    return ids


def balanced(servers: int) -> set[str]:
    """The load balancer, web-1..N and its edge to each: what most pictures share."""
    return {"lb", *numbered("web-", servers), *(f"edge-lb-{web}" for web in numbered("web-", servers))}


def tier(servers: int) -> set[str]:
    """`balanced` in a box titled `web-tier` (diagrams/_style.py `web_tier`)."""
    return balanced(servers) | {"web-tier"}


def three_clients(target: str = "lb") -> set[str]:
    """The box of three clients, each with its edge to `target`."""
    return {"clients", *numbered("client-", 3), *(f"edge-client-{number}-{target}" for number in range(1, 4))}


def parts(prefix: str, servers: int) -> set[str]:
    """What each web-K holds, drawn inside it: `<prefix>-web-K`."""
    return set(numbered(f"{prefix}-web-", servers))


def compact_stateful_ids(servers: int) -> set[str]:
    return balanced(servers) | set(numbered("sessions-web-", servers))


def compact_stateless_ids(servers: int) -> set[str]:
    return balanced(servers) | {"web-tier", "session-store", "edge-web-tier-session-store"}


# The pictures of the long pages (when-stateful, tokens-vs-sessions, operating).
LONG_PAGES = {
    "in_process_state.py": lambda n: tier(n) | parts("memory", n) | {"checkpoints", "edge-web-tier-checkpoints"},
    "websocket_gateways.py": lambda n: tier(n) | three_clients() | parts("sockets", n) | {
        "pubsub", "registry", "api", "edge-api-pubsub", "edge-web-tier-pubsub", "edge-web-tier-registry"},
    "game_rooms.py": lambda n: tier(n) | three_clients() | parts("room", n) | {"room-log", "edge-web-tier-room-log"},
    "local_cache.py": lambda n: tier(n) | parts("cache", n) | {
        "cache", "db", "invalidations", "edge-web-tier-cache", "edge-cache-db", "edge-invalidations-web-tier"},
    "route_by_key.py": lambda n: tier(n) | parts("partition", n) | {"checkpoints", "edge-web-tier-checkpoints"},
    "contained_state.py": lambda n: tier(n) | three_clients("gateway") | {
        "gateway", "rooms", "db", "edge-gateway-lb", "edge-web-tier-rooms", "edge-web-tier-db", "edge-rooms-db"},
    "state_decision.py": lambda n: tier(n) | {"session-store", "edge-web-tier-session-store", "edge-question-4-lb"} | {
        f"{kind}-{number}" for kind in ("question", "answer") for number in range(1, 5)} | {
        f"edge-question-{number}-answer-{number}" for number in range(1, 5)} | {
        f"edge-question-{number}-question-{number + 1}" for number in range(1, 4)},
    "jwt_anatomy.py": lambda n: tier(n) | {"client-1", "auth", "signing-key", "edge-auth-client-1", "edge-client-1-lb",
                                           "edge-signing-key-web-tier"},
    "signed_cookie.py": lambda n: tier(n) | {"client-1", "client-2", "signing-key", "edge-client-1-lb", "edge-client-2-lb",
                                             "edge-web-tier-signing-key"},
    "db_sessions.py": lambda n: tier(n) | three_clients() | {
        "db", "sessions-table", "cache", "cleanup", "edge-web-tier-cache", "edge-web-tier-db", "edge-cleanup-db"},
    "revocation.py": lambda n: tier(n) | {"client-1", "auth", "revocations", "edge-client-1-auth", "edge-client-1-lb",
                                          "edge-auth-revocations", "edge-revocations-web-tier"},
    "cookie_size.py": lambda n: tier(n) | {"client-1", "cookie", "cdn", "edge-client-1-cookie", "edge-cookie-lb",
                                           "edge-client-1-cdn"},
    "clock_skew.py": lambda n: tier(n) | {"client-1", "auth", "ntp", "edge-auth-client-1", "edge-client-1-lb",
                                          "edge-ntp-auth", "edge-ntp-web-tier"},
    "key_rotation.py": lambda n: tier(n) | {"client-1", "auth", "signing-key", "steps", "edge-auth-client-1",
                                            "edge-auth-signing-key", "edge-client-1-lb", "edge-signing-key-web-tier"},
    "oauth_roles.py": lambda n: tier(n) | {"client-1", "auth", "edge-auth-client-1", "edge-client-1-lb", "edge-web-tier-auth"},
    "cookie_bff.py": lambda n: tier(n) | {"client-1", "attacker", "script", "session-store", "api", "edge-client-1-lb",
                                          "edge-attacker-lb", "edge-script-client-1", "edge-web-tier-session-store",
                                          "edge-web-tier-api"},
    "ending_sessions.py": lambda n: tier(n) | {"client-1", "client-2", "session-store", "user-index", "edge-client-1-lb",
                                               "edge-client-2-lb", "edge-web-tier-session-store"},
    "health_checks.py": lambda n: tier(n) | three_clients() | {"detection", "idempotency-keys",
                                                               "edge-web-tier-idempotency-keys"},
    "kubernetes.py": lambda n: tier(n) | {"kubelet", "state", "session-store", "edge-kubelet-web-tier",
                                          "edge-web-tier-session-store"},
    "session_timeouts.py": lambda n: tier(n) | {"client-1", "timeline", "session-store", "session-clocks",
                                                "edge-client-1-lb", "edge-web-tier-session-store"},
    "capacity.py": lambda n: tier(n) | {"state", "shard-1", "shard-2", "shard-1-replica", "shard-2-replica",
                                        "edge-web-tier-shard-1", "edge-web-tier-shard-2", "edge-shard-1-shard-1-replica",
                                        "edge-shard-2-shard-2-replica"},
    "monitoring.py": lambda n: tier(n) | three_clients() | {"session-store", "dashboard", "edge-web-tier-session-store",
                                                            "edge-web-tier-dashboard", "edge-session-store-dashboard"},
}


# The ids a simulation may rely on, per script, as a function of the server count.
EXPECTED_IDS = {
    "stateful.py": pinned_ids,
    "sticky_failure.py": pinned_ids,
    "stateless.py": stateless_ids,
    "replication.py": replication_ids,
    "token_flow.py": token_flow_ids,
    "practice.py": practice_ids,
    "lab_setup.py": lab_setup_ids,
    "compact_stateful.py": compact_stateful_ids,
    "compact_stateless.py": compact_stateless_ids,
    **LONG_PAGES,
}
