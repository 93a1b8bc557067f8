"""Game and collaboration servers: every room has one owner, and every player of it is routed there.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    clients                     the players of room B                 cluster clients
    client-1 .. client-3        players                               node client
    web-tier                    box around the router and the
                                room servers                          cluster tier
    lb                          router: room id to its owner          node lb
    web-1 .. web-N              room servers                          node server
    room-web-1 .. -N            the room web-K owns (A, B, C...),
                                in its memory                         node room
    room-log                    checkpoints and input log             node store
    edge-client-K-lb            player K to the router                edge request
    edge-lb-web-K               the router to web-K; room B's
                                players all go to web-2               edge request / affinity
    edge-web-tier-room-log      checkpoints and inputs, to rebuild
                                a room elsewhere                      edge checkpoint
"""

import _style as s

CAPTION = (
    "A room (a match, a document) has exactly one owner: the router sends all its players there, "
    "and a log of checkpoints and inputs lets another server rebuild it."
)
ALT = (
    "Three players of room B send their inputs to a router, which sends every request for room B to "
    "web-2, the room's owner. Each of {servers} room servers owns one room in its memory: room A on "
    "web-1, room B on web-2, and so on. Every server writes checkpoints and inputs to a log, from which "
    "another server can rebuild a room whose owner died."
)
PLAYERS = 3
ROOMS = "ABCDEFGHIJKL"
SHOWN_ROOM = 2  # the players drawn are in web-2's room, B


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("game_rooms") as diagram:
        players = s.clients(PLAYERS, title=f"Players of room {ROOMS[SHOWN_ROOM - 1]}")
        with s.group("Room servers: one owner\nper room, state in memory", "web-tier", "tier") as tier:
            router = s.load_balancer("Router: each\nroom to its owner")
            owners = [
                s.web_server(number, memory=s.Part(f"room {ROOMS[number - 1]}", f"room-web-{number}", "room", note=False))
                for number in range(1, servers + 1)
            ]
            tier.rack(owners)
        log = s.node("database", "Checkpoints\nand input log", "room-log", "store")
        for player in players:
            s.link(player, router, kind="request")
        looks = [{"kind": "affinity", "color": s.ACCENT} if number == SHOWN_ROOM else {"kind": "request"}
                 for number in range(1, servers + 1)]
        s.spread(router, owners, looks)
        s.link(tier, log, kind="checkpoint", style="dashed", label="to rebuild a room\nelsewhere")
    return diagram
