"""Health checks and retries: a dead server keeps getting requests until the checks notice.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    clients                     box around the clients                cluster clients
    client-1 .. client-3        clients                               node client
    web-tier                    box around the load balancer
                                and the web servers                   cluster tier
    lb                          load balancer, probing every server   node lb
    detection                   the detection window, step by step    node timeline
    web-1 .. web-N              web servers; web-2 is dead            node server (+ down)
    idempotency-keys            shared store of idempotency keys      node store
    edge-client-K-lb            client K to the load balancer         edge request
    edge-lb-web-K               to web-K; to web-2 they fail until
                                it is marked down                     edge request (+ broken)
    edge-web-tier-idempotency-keys
                                a retried POST finds its first
                                outcome                               edge data
"""

import _style as s

CAPTION = (
    "Until three probes in a row fail, the load balancer keeps sending requests to a dead server; "
    "a retry on another server saves the ones it may safely resend, and idempotency keys make a POST one of them."
)
ALT = (
    "Three clients send requests through a load balancer to {servers} web servers. web-2 has died, but the "
    "balancer probes each server every 2 seconds and marks one down only after 3 failures in a row, about "
    "6 seconds, so until then requests sent to web-2 fail unless they are retried on another server. The "
    "servers record idempotency keys in a shared store, so that a retried POST returns its first outcome."
)
CLIENTS = 3
DEAD = 2
DETECTION = "0 s: web-2 dies\n2 s, 4 s: probes fail\n6 s: third failure,\nmarked down"


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("health_checks") as diagram:
        clients = s.clients(CLIENTS)
        with s.group("Requests to web-2 fail until\nit is marked down, unless retried", "web-tier", "tier") as tier:
            balancer = s.load_balancer("Load balancer:\nprobe every 2 s,\ndown after 3 fails")
            webs = [
                s.web_server(number, label="web-2 (dead)", kind="server down", fontcolor=s.ALERT) if number == DEAD
                else s.web_server(number)
                for number in range(1, servers + 1)
            ]
            tier.rack(webs)
        detection = s.node("clock-outline", DETECTION, "detection", "timeline")
        s.row(clients[-1], detection)
        keys = s.node("database-clock", "Idempotency keys\n(shared store)", "idempotency-keys", "store")
        for client in clients:
            s.link(client, balancer, kind="request")
        looks = [{"kind": "request broken", "style": "dashed", "color": s.ALERT} if number == DEAD else {"kind": "request"}
                 for number in range(1, servers + 1)]
        s.spread(balancer, webs, looks)
        s.link(tier, keys, kind="data", arrows="none")
    return diagram
