"""Key rotation: a key set that holds the old and the new key while tokens of both are alive.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    auth                        the issuer, signing with K2 from
                                step 3                                node server auth
    signing-key                 the published key set (JWKS): K1, K2  node key
    client-1                    the client                            node client
    web-tier                    box around the load balancer and the
                                verifiers                             cluster tier
    lb                          load balancer                         node lb
    web-1 .. web-N              verifiers, each with a cached copy
                                of the key set                        node server
    steps                       the five steps of a planned rotation  node steps
    edge-auth-signing-key       publishes K2 (step 1)                 edge key
    edge-auth-client-1          tokens whose kid names their key      edge token
    edge-client-1-lb            the token, with every request         edge request token
    edge-lb-web-K               load balancer to web-K                edge request
    edge-signing-key-web-tier   fetched every hour                    edge key
"""

import _style as s

CAPTION = (
    "A planned rotation: publish the new key, wait until every verifier has fetched it, sign with it, "
    "wait until the last token of the old key has expired, then retire the old key."
)
ALT = (
    "An issuer publishes a key set holding two keys, K1 and K2, and signs tokens whose kid names the key. "
    "A client sends its token through a load balancer to {servers} web servers, which fetch the key set "
    "every hour and pick the key the token names. The steps: publish K2; wait one hour, until every "
    "verifier has it; sign with K2; wait 16 minutes, until the last K1 token has expired; retire K1."
)
STEPS = (
    "1. Publish K2; sign with K1\n2. Wait 1 h: every verifier has K2\n3. Sign with K2\n"
    "4. Wait 16 min: K1 tokens expire\n5. Retire K1"
)


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("key_rotation") as diagram:
        client = s.client(1, label="Client")
        issuer = s.login_service("Issuer")
        s.row(client, issuer)
        key_set = s.signing_key("Published key set\n(JWKS): K1 and K2")
        tier, balancer, _ = s.web_tier("Verifiers: key set\ncached for an hour", servers)
        steps = s.node("format-list-numbered", STEPS, "steps", "steps")
        s.stack(tier.anchor(leaving=True), steps)
        # Sideways into the client's icon, under its label; unlabelled, as an edge in a `row` bends round a label.
        s.link(issuer, client, kind="token", tailport="icon:w", headport="icon:e")
        s.link(issuer, key_set, kind="key", label="publish")
        s.link(client, balancer, kind="request token", label="token,\nkid = K2")
        s.link(key_set, tier, kind="key", style="dashed", label="fetch\nhourly")
    return diagram
