"""State that belongs in the server: the four signs, each a kind of state one process holds.

Each server holds one kind of state the page names, with the sign that keeps it in the
process: a live resource, a high rate of updates, a large size, or edits that need one
order. Operations on it stay in memory; a durable store only receives checkpoints.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    web-tier                    box around the load balancer
                                and the servers                   cluster tier
    lb                          load balancer: each key to the
                                server that owns it               node lb
    web-1 .. web-N              servers                           node server
    memory-web-1 .. -N          the state web-K holds, drawn
                                inside it                         node memory
    checkpoints                 durable store of checkpoints      node store
    edge-lb-web-K               to the owner of the state         edge request
    edge-web-tier-checkpoints   every few seconds, not per
                                operation                         edge checkpoint
"""

import _style as s

CAPTION = (
    "Signs that state belongs in the server: a live resource, updates too frequent for a store, "
    "state too large to fetch, edits that need one order. It stays in memory; the store gets checkpoints."
)
ALT = (
    "A load balancer sends each key to the one of {servers} servers that owns it. Each server holds one kind "
    "of state in its memory: open sockets, which are a live resource; a game world updated 60 times a "
    "second; gigabytes of model weights; a live document whose edits need one order. Only periodic "
    "checkpoints go to a durable store."
)
# The state each server holds, in turn, and the sign that keeps it in the process; the
# lines of about one width, so that the servers' icons stay in one column.
HELD = [
    "open sockets:\na live resource",
    "a game world:\n60 updates/s",
    "model weights:\ngigabytes",
    "a live document:\nedits in order",
]


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("in_process_state") as diagram:
        tier, _, _ = s.web_tier(
            "State in memory: about\n100 ns per operation", servers, balancer="Load balancer:\neach key to its owner",
            memory=lambda number: s.Part(HELD[(number - 1) % len(HELD)], f"memory-web-{number}", "memory", note=False),
        )
        checkpoints = s.node("database", "Durable store:\ncheckpoints only", "checkpoints", "store")
        s.link(tier, checkpoints, kind="checkpoint", style="dashed", label="every few seconds,\nnot per operation")
    return diagram
