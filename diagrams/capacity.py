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

# The worked example of docs/operating.md ("Worked example: 2 million sessions of 4 KB"), computed.
SESSIONS = 2_000_000
SESSION_BYTES = 4096
KEY_OVERHEAD_BYTES = 100  # key name, TTL, store bookkeeping
FRAGMENTATION = 1.2
MAX_MEMORY_SHARE = 0.7  # headroom for growth and snapshot copy-on-write
PEAK_REQUESTS = 20_000  # a second, each reading one session
SHARDS = 2
SHARD_GB = 16

RAW_GB = SESSIONS * SESSION_BYTES / 1e9
PER_COPY_GB = SESSIONS * (SESSION_BYTES + KEY_OVERHEAD_BYTES) / 1e9 * FRAGMENTATION / MAX_MEMORY_SHARE
READ_MB_S = PEAK_REQUESTS * SESSION_BYTES / 1e6

CAPTION = (
    f"Sizing the store: {SESSIONS / 1e6:g} million live sessions of 4 KB need about {PER_COPY_GB:.1f} GB per copy once "
    f"overhead, fragmentation and headroom are counted; {SHARDS} shards of {SHARD_GB} GB, each with a replica in another "
    "zone, hold them."
)
ALT = (
    f"{{servers}} web servers read sessions from a store of {SHARDS} shards. Each shard is a {SHARD_GB} GB primary "
    f"holding about {SESSIONS / SHARDS / 1e6:g} million sessions, replicated to a {SHARD_GB} GB replica in another zone. "
    f"The arithmetic: {SESSIONS / 1e6:g} million sessions of 4 KB are {RAW_GB:.1f} GB raw, about "
    f"{PER_COPY_GB * MAX_MEMORY_SHARE:.0f} GB with per-key overhead and fragmentation, and {PER_COPY_GB:.1f} GB per "
    f"copy with {1 - MAX_MEMORY_SHARE:.0%} headroom. At {PEAK_REQUESTS:,} requests a second the servers read "
    f"{READ_MB_S:.0f} MB of sessions a second."
)
# The worked example, as the store's title.
SIZING = (f"Session store: {SESSIONS / 1e6:g} million sessions\n\u00d7 4 KB = {RAW_GB:.1f} GB; {PER_COPY_GB:.1f} GB per copy\n"
          f"with overhead and {1 - MAX_MEMORY_SHARE:.0%} headroom")


def shard(number: int) -> s.Node:
    """A primary and, beside it, its replica in another zone. Returns the primary."""
    label = f"Shard {number}:\n{SHARD_GB} GB, {SESSIONS // SHARDS // 1_000_000}M\nsessions"
    primary = s.node("database-clock", label, f"shard-{number}", "store")
    replica = s.node("database-clock", "Replica,\nother zone", f"shard-{number}-replica", "store replica")
    s.stack(primary, replica)
    s.link(primary, replica, kind="replication", style="dashed")
    return primary


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("capacity") as diagram:
        tier, _, _ = s.web_tier(f"Web tier: {PEAK_REQUESTS:,} requests/s\nread {READ_MB_S:.0f} MB/s of sessions", servers)
        with s.group(SIZING, "state", "state"):
            primaries = [shard(number) for number in range(1, SHARDS + 1)]
            s.row(*primaries)
        for primary in primaries:
            s.link(tier, primary, kind="session", arrows="none")
    return diagram
