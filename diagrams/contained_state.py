"""Containing state: a chat system whose only stateful parts are at its edges.

A stateful connection gateway and a stateful room service, each saying what its death
costs; between them, a stateless API tier, and a database that holds what must last.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    clients                     box around the clients            cluster clients
    client-1 .. client-3        clients                           node client
    gateway                     connection gateway (stateful)     node gateway
    web-tier                    box around the load balancer
                                and the API servers               cluster tier
    lb                          load balancer                     node lb
    web-1 .. web-N              stateless API servers             node server
    rooms                       room service (stateful)           node rooms
    db                          database                          node database
    edge-client-K-gateway       client K's socket                 edge socket
    edge-gateway-lb             messages to the API               edge request
    edge-lb-web-K               load balancer to web-K            edge request
    edge-web-tier-rooms         the narrow job rooms do           edge request
    edge-web-tier-db            data                              edge data
    edge-rooms-db               checkpoints and a log of edits    edge checkpoint
"""

import _style as s

CAPTION = (
    "State kept at the edges: only the connection gateway and the room service hold state, each able to say "
    "what its death costs; the API tier between them is stateless, and the database keeps what must last."
)
ALT = (
    "Three clients keep sockets open to a connection gateway, which holds them and forwards messages through a "
    "load balancer to {servers} stateless API servers. The API servers use a room service, which holds the live "
    "rooms in memory, and the database. The room service writes checkpoints and a log of edits to the database. "
    "If the gateway dies, clients reconnect; if the room service dies, its rooms are rebuilt from the log."
)
CLIENTS = 3


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("contained_state") as diagram:
        clients = s.clients(CLIENTS)
        gateway = s.node("lan-connect", "Gateway, stateful:\nholds the sockets;\nif it dies, clients\nreconnect", "gateway", "gateway")
        tier, balancer, _ = s.web_tier("Stateless API tier", servers)
        # Its text on the left: its log goes out to the right, to the database.
        rooms = s.node("server", "Room service,\nstateful: holds\nlive rooms; if it\ndies, rebuilt\nfrom the log",
                       "rooms", "rooms", s.Card(side="left"))
        database = s.database()
        s.row(rooms, database)
        # Into the gateway's icon from the left: its text, on the right, is four lines tall.
        for client in clients:
            s.link(client, gateway, kind="socket", arrows="both", headport="icon:w")
        s.link(gateway, balancer, kind="request")
        s.link(tier, rooms, kind="request")
        s.link(tier, database, kind="data", arrows="none")
        s.link(rooms, database, kind="checkpoint", style="dashed", tailport="icon:e", headport="icon:w")
    return diagram
