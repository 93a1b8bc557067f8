"""OAuth 2.0 and OpenID Connect: the client, the authorization server and the resource servers.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    client-1                    the client (web app, mobile app)      node client
    auth                        authorization server                  node server auth
    web-tier                    box around the load balancer and the
                                resource servers                      cluster tier
    lb                          load balancer                         node lb
    web-1 .. web-N              resource servers (the APIs)           node server
    edge-auth-client-1          after login: an ID token for the
                                client, an access token for the APIs  edge token
    edge-client-1-lb            API calls with the access token       edge request token
    edge-lb-web-K               load balancer to web-K                edge request
    edge-web-tier-auth          introspection of opaque tokens        edge token
"""

import _style as s

CAPTION = (
    "OAuth 2.0 roles: the authorization server logs the user in and issues tokens; the client keeps the "
    "ID token and sends the access token; the resource servers verify a JWT themselves or ask the "
    "authorization server about an opaque token."
)
ALT = (
    "A client app sends the user to log in at an authorization server, which returns an ID token, for the "
    "client itself, and an access token. The client calls the APIs with the access token, through a load "
    "balancer to {servers} resource servers. Each verifies a JWT access token locally, or asks the "
    "authorization server's introspection endpoint whether an opaque token is active."
)


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("oauth_roles") as diagram:
        client = s.client(1, label="Client app:\nkeeps the ID token")
        # Its text above it: lines meet its icon from the side and from below.
        auth = s.node("server-security", "Authorization server:\nlogin, ID token,\naccess token", "auth", "server auth",
                      s.Card(side="above"))
        s.row(client, auth)
        tier, balancer, _ = s.web_tier("Resource servers (APIs):\nverify a JWT locally", servers)
        # Sideways, between icons; unlabelled, as an edge in a `row` bends round a label.
        s.link(auth, client, kind="token", tailport="icon:w", headport="icon:e")
        s.link(client, balancer, kind="request token", label="access token")
        # Up to the authorization server, against the flow: it must not pull the ranks.
        s.link(tier, auth, kind="token", style="dashed", label="or introspect\nan opaque token", headport="icon:s",
               constraint="false")
    return diagram
