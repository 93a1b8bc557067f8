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
# Group titles go below: the replication arcs curve over the top of each group.
BELOW = {"labelloc": "b", "margin": "16"}


def draw(servers: int = 3) -> s.Canvas:
    owners = SESSION_NAMES[:servers]
    with s.canvas("replication", splines="spline", ranksep="0.6", nodesep="0.5") as diagram:
        with s.group("All-to-all: every server holds everything", "all-to-all", "scheme", **BELOW):
            everyone = [
                s.web_server(number, label=f"web-{number}\nholds {' '.join(owners)}", node_id=f"all-to-all-web-{number}")
                for number in range(1, servers + 1)
            ]
            s.row(*everyone)
        with s.group("One backup: each server copies to the next", "one-backup", "scheme", **BELOW):
            ring = [
                s.web_server(
                    number,
                    label=f"web-{number}\nholds {owners[number - 1]} + {owners[number - 2]}",
                    node_id=f"one-backup-web-{number}",
                )
                for number in range(1, servers + 1)
            ]
            s.row(*ring)
        for index, left in enumerate(everyone):
            for right in everyone[index + 1:]:
                s.link(left, right, kind="replication", arrows="both", constraint="false")
        for index, source in enumerate(ring):
            target = ring[(index + 1) % servers]
            s.link(source, target, kind="replication", constraint="false")
        # Stack the two groups (an invisible edge), keeping the picture narrow for phones.
        diagram.dot.edge(everyone[0].nodeid, ring[0].nodeid, style="invis")
    return diagram
