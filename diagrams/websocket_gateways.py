"""Long-lived connections: thin WebSocket gateways, and a pub/sub layer that finds each user's socket.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    clients                     box around the clients                cluster clients
    client-1 .. client-3        clients, each with one open socket    node client
    web-tier                    box around the load balancer
                                and the gateways                      cluster tier
    lb                          load balancer: places each socket
                                once, for hours                       node lb
    web-1 .. web-N              WebSocket gateways                    node server
    sockets-web-1 .. -N         the sockets and subscriptions web-K
                                holds, drawn inside it                node sockets
    pubsub                      publish/subscribe layer               node pubsub
    registry                    which gateway holds which user        node registry
    api                         stateless service that sends a
                                notification                          node server api
    edge-client-K-lb            client K's socket                     edge socket
    edge-lb-web-K               to the gateway that holds it          edge request
    edge-api-pubsub             "notify user 1042"                    edge message
    edge-web-tier-pubsub        gateways subscribe, and receive
                                their users' messages                 edge message
    edge-web-tier-registry      each gateway records its users        edge registry
"""

import _style as s

CAPTION = (
    "Long-lived connections: each socket lives in one gateway for hours, so a notification made anywhere "
    "reaches it through a pub/sub layer that every gateway subscribes to."
)
ALT = (
    "Three clients each keep a WebSocket open through a load balancer to one of {servers} gateways, which "
    "hold only sockets and subscriptions. A stateless service publishes a notification for a user to a "
    "pub/sub layer such as Redis, NATS or Kafka, which delivers it to the gateways; a registry records "
    "which gateway holds which user."
)
CLIENTS = 3


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("websocket_gateways") as diagram:
        # Left of the clients: the notification comes from anywhere, not from a socket, and
        # its line runs down the left, into the side of the pub/sub icon that has no text.
        api = s.node("server", "Stateless API:\nnotify\nuser 1042", "api", "server api")
        clients = s.clients(CLIENTS)
        s.row(api, clients[0])
        tier, balancer, _ = s.web_tier(
            "Gateways: open sockets\nonly, each placed once,\nfor hours", servers,
            memory=lambda number: s.Part("open sockets", f"sockets-web-{number}", "sockets", note=False),
        )
        pubsub = s.node("broadcast", "Pub/sub (Redis,\nNATS, Kafka): every\ngateway subscribes", "pubsub", "pubsub")
        registry = s.node("database", "Registry: which\ngateway holds\neach user", "registry", "registry")
        s.row(pubsub, registry)
        for client in clients:
            s.link(client, balancer, kind="socket", arrows="both")
        # Unlabelled: a label would take a rank of its own, and open a gap between two gateways.
        s.link(api, pubsub, kind="message", headport="icon:w")
        s.link(tier, pubsub, kind="message", arrows="both")
        s.link(tier, registry, kind="registry", style="dashed", arrows="none", headport="icon:w")
    return diagram
