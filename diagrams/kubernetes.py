"""Kubernetes: a Deployment of interchangeable pods behind a Service, probes, and a pod shutting down.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    web-tier                    the Deployment: the Service and its
                                pods                                  cluster tier
    lb                          the Service: ready pods only          node lb
    web-1 .. web-N              pods; the last one is terminating     node server (+ draining)
    kubelet                     the kubelet, probing every pod        node kubelet
    state                       the StatefulSet of the store          cluster state
    session-store               the store's pods                      node store
    edge-lb-web-K               the Service to web-K; none to the
                                terminating pod                       edge request (+ broken)
    edge-kubelet-web-tier       readiness and liveness probes         edge probe
    edge-web-tier-session-store sessions                              edge session
"""

import _style as s

CAPTION = (
    "In Kubernetes the web tier is a Deployment of interchangeable pods, the store a StatefulSet. "
    "A deleted pod leaves the Service's endpoints as it starts shutting down, so preStop waits a few seconds first."
)
ALT = (
    "A Service sends requests to the ready pods of a Deployment of {servers} web servers. The kubelet probes "
    "every pod: a failed readiness probe takes a pod out of the Service, a failed liveness probe restarts it. "
    "The last pod is terminating: it gets no new requests, its preStop hook waits a few seconds, then it "
    "receives SIGTERM and drains, all within terminationGracePeriodSeconds, 30 seconds by default. The "
    "session store runs as a StatefulSet."
)

SHUTDOWN = "Deployment. The last pod is\nterminating: out of the Service,\npreStop sleep, then SIGTERM"


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("kubernetes") as diagram:
        # The terminating pod is told apart by its class and its edge, not by a longer label,
        # which would shift its icon out of the column.
        with s.group(SHUTDOWN, "web-tier", "tier") as tier:
            service = s.load_balancer("Service:\nready pods only")
            pods = [s.web_server(number, kind="server draining" if number == servers else "server")
                    for number in range(1, servers + 1)]
            tier.rack(pods)
        kubelet = s.node("heart-pulse", "kubelet: readiness\ntakes a pod out,\nliveness restarts it", "kubelet", "kubelet")
        with s.group("StatefulSet: stable names\nand volumes, not memory", "state", "state"):
            store = s.session_store("Session store\npods")
        looks = [{"kind": "request broken", "style": "dashed"} if number == servers else {"kind": "request"}
                 for number in range(1, servers + 1)]
        s.spread(service, pods, looks)
        s.link(kubelet, tier, kind="probe", style="dashed", label="probes")
        s.link(tier, store, kind="session", arrows="none")
    return diagram
