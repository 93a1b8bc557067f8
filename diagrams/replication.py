"""Two ways to replicate in-memory sessions between servers.

All-to-all: every server copies every session to every other server, so any
server can take any client, at the price of N copies of everything. One backup:
each server copies its sessions to exactly one other server (the next one in a
ring), so a failure loses nothing and each session lives on only two servers.

Both groups sit in one SVG, so their node ids carry the group's id as prefix.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    all-to-all                          the all-to-all group           cluster scheme
    all-to-all-web-1 .. -N              its web servers                node server
    edge-all-to-all-web-J-all-to-all-web-K
                                        copies both ways (J < K)       edge replication
    one-backup                          the one-backup group           cluster scheme
    one-backup-web-1 .. -N              its web servers                node server
    edge-one-backup-web-K-one-backup-web-(K+1)
                                        web-K copies to the next; the
                                        last one copies to web-1       edge replication
"""

import _style as s

CAPTION = (
    "Replicating sessions: all-to-all keeps a copy of every session on every server; "
    "one backup keeps each session on its own server and one other."
)
ALT = (
    "Two groups of {servers} web servers. In the all-to-all group every server is connected to "
    "every other by two-way replication, and each holds every session. In the one-backup group "
    "each server copies its own sessions to the next server in a ring, so each holds its own "
    "sessions plus one neighbour's."
)
SESSION_NAMES = "ABCDEFGHIJKL"
# The copies run as arcs down the right of the servers' column, so the servers' text goes on the left.
SIDE = {"tailport": "icon:e", "headport": "icon:e"}
# Beyond this many servers, "holds A B C D E" becomes "holds A-E" (with an en dash).
SPELLED_OUT = 4


def draw(servers: int = 3) -> s.Canvas:
    owners = SESSION_NAMES[:servers]
    everything = " ".join(owners) if servers <= SPELLED_OUT else f"{owners[0]}\u2013{owners[-1]}"
    # Curves read better than corners for arcs.
    with s.canvas("replication", splines="spline") as diagram:
        with s.group("All-to-all: every server holds everything", "all-to-all", "scheme"):
            everyone = [
                s.web_server(number, label=f"web-{number}\nholds {everything}", node_id=f"all-to-all-web-{number}")
                for number in range(1, servers + 1)
            ]
            s.column(everyone)
            s.mirror(everyone)
        with s.group("One backup: each server copies to the next", "one-backup", "scheme"):
            ring = [
                s.web_server(
                    number,
                    label=f"web-{number}\nholds {owners[number - 1]} + {owners[number - 2]}",
                    node_id=f"one-backup-web-{number}",
                )
                for number in range(1, servers + 1)
            ]
            s.column(ring)
            s.mirror(ring)
        for index, left in enumerate(everyone):
            for right in everyone[index + 1:]:
                s.link(left, right, kind="replication", arrows="both", constraint="false", **SIDE)
        for index, source in enumerate(ring):
            target = ring[(index + 1) % servers]
            s.link(source, target, kind="replication", constraint="false", **SIDE)
        # Stack the two groups, keeping the picture narrow for phones.
        s.stack(everyone[-1], ring[0])
    return diagram
