"""Token-based sessions: log in once, then any server checks the token by itself.

The login service signs a token that holds the session's facts; the client
sends it with every request, and whichever web server gets the request checks
the signature with the key it already has: no session store, no lookup.

Ids in the SVG (class after Graphviz's own `node`/`edge`/`cluster`):

    client-1                    the client (a browser)                node client
    auth                        login service that issues tokens      node server auth
    lb                          load balancer                         node lb
    web-tier                    box around the load balancer
                                and the web servers                   cluster tier
    web-1 .. web-N              web servers that verify tokens        node server
    signing-key                 key shared by login and web servers   node key
    edge-client-1-auth          1. log in with a password, and
                                2. get a signed token back            edge request token
    edge-client-1-lb            3. every request carries the token    edge request token
    edge-lb-web-K               4. any server may get it              edge request
    edge-auth-signing-key       login signs with the key              edge key
    edge-web-tier-signing-key   every server verifies with it         edge key
"""

import _style as s

CAPTION = (
    "Signed tokens: the login service signs a token once; afterwards any web server "
    "verifies it with the shared key, without looking anything up."
)
ALT = (
    "A client logs in to a login service, which signs a token with a signing key and gives it "
    "to the client. The client sends the token with every request through a load balancer to "
    "any of {servers} web servers. Each web server verifies the token's signature with the same "
    "key on its own, with no session store or database lookup."
)


def draw(servers: int = 3) -> s.Canvas:
    with s.canvas("token_flow") as diagram:
        browser = s.client(1, label="Client")
        login = s.login_service()
        with s.group("Web tier: each server verifies alone", "web-tier", "tier") as tier:
            balancer = s.load_balancer()
            webs = [s.web_server(number) for number in range(1, servers + 1)]
            tier.rack(webs)
        s.row(login, balancer)
        key = s.signing_key("Signing key\n(same on every server)")
        # Steps 1 and 2 go back and forth between the same two nodes: one line, both ways.
        s.link(browser, login, kind="request token", label="1. log in\n2. signed token", arrows="both", color=s.ACCENT)
        s.link(browser, balancer, kind="request token", label="3. request + token")
        s.spread(balancer, webs, [{"kind": "request"}] * len(webs))
        s.link(login, key, kind="key", style="dashed", arrows="none", label="signs")
        s.link(tier, key, kind="key", style="dashed", arrows="none", label="verify")
    return diagram
