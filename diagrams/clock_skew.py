"""Clock skew: the issuer's clock runs ahead, and the verifiers accept tokens with a small leeway.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    auth                        the issuer, its clock 45 s fast       node server auth
    client-1                    the client                            node client
    ntp                         the time source every host syncs to   node clock
    web-tier                    box around the load balancer and the
                                verifiers, titled with the rule       cluster tier
    lb                          load balancer                         node lb
    web-1 .. web-N              web servers that verify tokens        node server
    edge-auth-client-1          a fresh token, nbf 45 s ahead of the
                                verifiers' clocks                     edge token
    edge-client-1-lb            the token, with every request         edge request token
    edge-lb-web-K               load balancer to web-K                edge request
    edge-ntp-auth, edge-ntp-web-tier
                                clock synchronisation, and the
                                offset to monitor                     edge clock
"""

import _style as s

CAPTION = (
    "Clocks disagree: a token from an issuer 45 seconds fast is not yet valid on a verifier with no leeway. "
    "A leeway of 60 seconds accepts it, and every token then gets those 60 seconds on top of its lifetime."
)
ALT = (
    "An issuer whose clock runs 45 seconds fast gives a client a token whose not-before time lies 45 seconds "
    "in the future for the verifiers. The client sends it through a load balancer to {servers} web servers, "
    "which accept a token if now is at least nbf minus the leeway and before exp plus the leeway. Every "
    "host synchronises its clock with NTP, and the offset is monitored."
)


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("clock_skew") as diagram:
        client = s.client(1, label="Client")
        # Its text above it: lines meet its icon from both sides.
        issuer = s.node("server-security", "Issuer: clock\n45 s fast", "auth", "server auth", s.Card(side="above"))
        ntp = s.node("clock-outline", "NTP: sync, and\nmonitor the offset", "ntp", "clock")
        s.row(client, issuer, ntp)
        tier, balancer, _ = s.web_tier("Accept if nbf - leeway\n<= now < exp + leeway", servers)
        # Sideways, between icons; unlabelled, as an edge in a `row` bends round a label.
        s.link(issuer, client, kind="token", tailport="icon:w", headport="icon:e")
        s.link(ntp, issuer, kind="clock", style="dashed", tailport="icon:w", headport="icon:e")
        s.link(client, balancer, kind="request token", label="token: nbf\n45 s ahead")
        s.link(ntp, tier, kind="clock", style="dashed")
    return diagram
