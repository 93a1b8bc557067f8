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


# The ids a simulation may rely on, per script, as a function of the server count.
EXPECTED_IDS = {
    "stateful.py": pinned_ids,
    "sticky_failure.py": pinned_ids,
    "stateless.py": stateless_ids,
    "replication.py": replication_ids,
    "token_flow.py": token_flow_ids,
    "practice.py": practice_ids,
    "lab_setup.py": lab_setup_ids,
}
