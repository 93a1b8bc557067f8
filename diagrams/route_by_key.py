"""Routing by key: model servers and stream processors send each key to the worker that holds its state.

Requests (a conversation's next turn) or events (a partition of a stream) go by key to one
worker, which keeps that key's state in memory: a conversation's cache, or a partition's
counts and windows. The state comes from durable storage and goes back to it: model
weights are loaded at start, and stream state is saved as checkpoints.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    web-tier                    box around the router and the workers cluster tier
    lb                          requests or events, routed by key     node lb
    web-1 .. web-N              workers                               node server
    partition-web-1 .. -N       the state of the keys web-K owns      node partition
    checkpoints                 durable storage: weights, checkpoints node store
    edge-lb-web-K               partition K (or its keys) to one
                                worker                                edge request
    edge-web-tier-checkpoints   loaded at start, saved as checkpoints edge checkpoint
"""

import _style as s

CAPTION = (
    "Routing by key: each key's requests or events go to the one worker that holds its state in memory, "
    "loaded from durable storage at start (model weights) and saved to it as it changes (checkpoints)."
)
ALT = (
    "Requests or events are routed by key to {servers} workers: partition 1 to web-1, partition 2 to web-2, "
    "and so on. Each worker holds the state of its own keys in memory, such as a conversation's cached "
    "prompt or a stream partition's counts and windows. Durable storage holds model weights, loaded when a "
    "worker starts, and the checkpoints the workers save, from which a partition can move to another worker."
)


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("route_by_key") as diagram:
        tier, _, _ = s.web_tier(
            "Workers: each key's\nstate in one of them", servers, balancer="Requests or events,\nrouted by key",
            memory=lambda number: s.Part(f"partition {number}:\nits keys' state", f"partition-web-{number}", "partition", note=False),
        )
        storage = s.node("database", "Durable storage:\nweights, checkpoints", "checkpoints", "store")
        s.link(tier, storage, kind="checkpoint", style="dashed", arrows="both", label="load at start,\nsave every 60 s")
    return diagram
