"""Anatomy of a JWT: three parts, signed over the first two, verified in a fixed order.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    client-1                    the client, labelled with the token's
                                three parts                           node client
    auth                        login service that signs tokens       node server auth
    signing-key                 the trusted keys, by kid              node key
    web-tier                    box around the load balancer and the
                                web servers, titled with the checks   cluster tier
    lb                          load balancer                         node lb
    web-1 .. web-N              web servers that verify               node server
    edge-auth-client-1          a token, signed over header.payload   edge token
    edge-client-1-lb            sent with every request               edge request token
    edge-lb-web-K               load balancer to web-K                edge request
    edge-signing-key-web-tier   each server picks the key by kid      edge key
"""

import _style as s

CAPTION = (
    "A JWT is three base64url parts: a header saying how it is signed, a payload of claims, and a signature "
    "over both. A server trusts the payload only after checking the algorithm, the key and the signature."
)
ALT = (
    "A login service signs a token with the key named by its kid. The token has three parts: a header with "
    "alg, typ and kid; a payload with iss, sub, aud, exp and jti; and a signature over the header and payload. "
    "It is sent with every request through a load balancer to {servers} web servers, which each check, in "
    "order: the algorithm is the one expected, the key is one of their own named by kid, the signature "
    "matches, and then the time claims, audience and issuer."
)
ANATOMY = "Client, holding a JWT:\nheader: alg, typ, kid\npayload: iss, sub, aud,\nexp, jti\nsignature over both"
CHECKS = "Each server checks, in order:\n1. alg is the one expected\n2. its own key named by kid\n3. the signature\n4. exp, nbf, aud, iss"


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("jwt_anatomy") as diagram:
        # The token is the client's label, above its icon, clear of every line.
        client = s.client(1, label=ANATOMY)
        # Its text above it: the token leaves its icon sideways, to the client.
        login = s.node("server-security", "Login\nservice", "auth", "server auth", s.Card(side="above"))
        keys = s.signing_key("Keys by kid:\nlogin signs,\nservers verify")
        s.row(client, login, keys)
        tier, balancer, _ = s.web_tier(CHECKS, servers)
        # Sideways, between icons; unlabelled, as an edge in a `row` bends round a label.
        s.link(login, client, kind="token", tailport="icon:w", headport="icon:e")
        s.link(client, balancer, kind="request token", label="every\nrequest")
        s.link(keys, tier, kind="key", style="dashed", arrows="none", label="verify")
    return diagram
