"""Capacity arithmetic: 2 million sessions of 4 KB, sized per shard, with a replica in another zone.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    web-tier                    box around the load balancer
                                and the web servers                   cluster tier
    lb                          load balancer                         node lb
    web-1 .. web-N              web servers                           node server
    state                       the session store's shards, titled
                                with the arithmetic                   cluster state
    shard-1, shard-2            the primaries, 16 GB each             node store
    shard-1-replica, shard-2-replica
                                their replicas, in another zone       node store replica
    edge-web-tier-shard-1, edge-web-tier-shard-2
                                each session read from its shard      edge session
    edge-shard-K-shard-K-replica
                                replication                           edge replication
"""

import _style as s

CAPTION = (
    "Sizing the store: 2 million live sessions of 4 KB need about 14.4 GB per copy once overhead, "
    "fragmentation and headroom are counted; two 16 GB shards, each with a replica in another zone, hold them."
)
ALT = (
    "{servers} web servers read sessions from a store of two shards. Each shard is a 16 GB primary holding "
    "about a million sessions, replicated to a 16 GB replica in another zone. The arithmetic: 2 million "
    "sessions of 4 KB are 8.2 GB raw, about 10 GB with per-key overhead and fragmentation, and 14.4 GB "
    "per copy with 30% headroom. At 20,000 requests a second the servers read 82 MB of sessions a second."
)
SHARDS = 2
# The worked example, as the store's title.
SIZING = "Session store: 2 million sessions\n\u00d7 4 KB = 8.2 GB; 14.4 GB per copy\nwith overhead and 30% headroom"


def shard(number: int) -> s.Node:
    """A primary and, beside it, its replica in another zone. Returns the primary."""
    primary = s.node("database-clock", f"Shard {number}:\n16 GB, 1M\nsessions", f"shard-{number}", "store")
    replica = s.node("database-clock", "Replica,\nother zone", f"shard-{number}-replica", "store replica")
    s.stack(primary, replica)
    s.link(primary, replica, kind="replication", style="dashed")
    return primary


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("capacity") as diagram:
        tier, _, _ = s.web_tier("Web tier: 20,000 requests/s\nread 82 MB/s of sessions", servers)
        with s.group(SIZING, "state", "state"):
            primaries = [shard(number) for number in range(1, SHARDS + 1)]
            s.row(*primaries)
        for primary in primaries:
            s.link(tier, primary, kind="session", arrows="none")
    return diagram
