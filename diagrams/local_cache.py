"""In-process caches: a small cache in each server's memory, in front of the shared cache.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    web-tier                    box around the load balancer
                                and the web servers                 cluster tier
    lb                          load balancer                       node lb
    web-1 .. web-N              web servers                         node server
    cache-web-1 .. -N           web-K's local cache, in its memory  node cache
    cache                       the shared cache                    node cache
    db                          the database, the one true copy     node database
    invalidations               changes, broadcast to every server  node pubsub
    edge-lb-web-K               load balancer to web-K              edge request
    edge-web-tier-cache         a local miss reads the shared cache edge cache
    edge-cache-db               its miss reads the database         edge data
    edge-invalidations-web-tier every server drops its copy         edge message
"""

import _style as s

CAPTION = (
    "An in-process cache is benign state: never the only copy, since a miss falls through to the shared "
    "cache and the database, and never stale for long, thanks to a short TTL or a broadcast invalidation."
)
ALT = (
    "A load balancer spreads requests over {servers} web servers, each with a small local cache in its "
    "memory whose entries live 30 seconds. A local miss reads the shared cache, and a miss there reads "
    "the database. Whoever changes the data broadcasts the change to every server, which drops its copy."
)


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("local_cache") as diagram:
        tier, _, _ = s.web_tier(
            "Web tier: a local\nread takes about 100 ns", servers,
            memory=lambda number: s.Part("local cache,\nTTL 30 s", f"cache-web-{number}", "cache", note=False),
        )
        shared = s.cache("Shared cache:\nabout 0.5 ms")
        invalidations = s.node("broadcast", "Changes, from\nwhoever writes", "invalidations", "pubsub")
        s.row(shared, invalidations)
        database = s.database("Database:\nthe true copy")
        s.link(tier, shared, kind="cache", label="miss")
        s.link(shared, database, kind="data", label="miss")
        # Upwards, against the flow of the picture: it must not pull the nodes' ranks.
        s.link(invalidations, tier, kind="message", style="dashed", label="invalidate", tailport="icon:n", constraint="false")
    return diagram
