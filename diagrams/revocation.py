"""Revoking tokens: short access tokens renewed with a refresh token, and a deny list pushed to every server.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    client-1                    the client                            node client
    auth                        authorization server                  node server auth
    revocations                 pub/sub channel of revoked token ids  node pubsub
    web-tier                    box around the load balancer
                                and the web servers                   cluster tier
    lb                          load balancer                         node lb
    web-1 .. web-N              web servers                           node server
    edge-client-1-auth          a refresh token for a new access
                                token, every few minutes              edge token
    edge-client-1-lb            each request, with the access token   edge request token
    edge-lb-web-K               load balancer to web-K                edge request
    edge-auth-revocations       a logout or a ban publishes the jti   edge message
    edge-revocations-web-tier   pushed to every server's copy         edge message
"""

import _style as s

CAPTION = (
    "Revocation: short access tokens bound the window to their lifetime, since a revoked refresh token gets "
    "no new one; a deny list of revoked token ids, pushed to every server, closes it as soon as the push arrives."
)
ALT = (
    "A client sends each request with a 15-minute access token through a load balancer to {servers} web "
    "servers, and every few minutes trades its refresh token at the authorization server for a new access "
    "token. The authorization server records refresh tokens, rotates them on every use and can revoke them. "
    "When a user logs out or is banned, it publishes the token's id to a pub/sub channel, which pushes it to "
    "the deny list each web server keeps in memory."
)

# What the client trades at the authorization server, said in its label: the edge to it
# lies in a `row`, where a label would bend it.
AUTHORIZATION = "Authorization server:\nrefresh token in, new\naccess token out;\nrotated, revocable"


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("revocation") as diagram:
        client = s.client(1, label="Client")
        auth = s.node("server-security", AUTHORIZATION, "auth", "server auth")
        s.row(client, auth)
        tier, balancer, _ = s.web_tier("Web tier: each server\nchecks its own copy\nof the deny list", servers)
        revocations = s.node("broadcast", "Revoked\ntoken ids\n(pub/sub)", "revocations", "pubsub")
        # One way, and unlabelled: an edge between two nodes of a `row` draws one arrowhead.
        s.link(client, auth, kind="token", tailport="icon:e", headport="icon:w")
        s.link(client, balancer, kind="request token", label="access token,\n15 minutes")
        s.link(auth, revocations, kind="message", label="logout,\nban")
        # Up into the servers' box from below: against the flow, so it must not pull the ranks.
        s.link(revocations, tier, kind="message", style="dashed", label="push", tailport="icon:n", constraint="false")
    return diagram
