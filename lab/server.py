"""One web server of the lab: the shop of app.py, served by uvicorn on 127.0.0.1.

    python -m lab.server --name web-1 --port 8001 --design memory --response-ms 3
    python -m lab.server --name web-2 --port 8002 --design store --redis-port 6390
    LAB_SIGNING_KEY=... python -m lab.server --name web-3 --port 8003 --design token

The signing key comes from the environment, not the command line, which `ps` shows to all.
"""

from __future__ import annotations

import argparse
import os

import uvicorn

from lab.app import DESIGNS, build_app, sessions_for

# uvicorn closes a connection idle for 5 s by default. HAProxy closes its idle connections to
# a server slowly (half of them every pool-purge-delay, 5 s) and may reuse one at the very
# moment the server closes it: that request fails, for no reason the lab set up. Longer than
# any lull in a lab run, this leaves closing idle connections to HAProxy.
KEEP_ALIVE_SECONDS = 65


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True, help="the server's name, e.g. web-1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--design", choices=DESIGNS, required=True)
    parser.add_argument("--redis-port", type=int, help="where the session store listens (design store)")
    parser.add_argument("--response-ms", type=float, default=0.0, help="how long each page takes to answer")
    options = parser.parse_args(argv)
    sessions = sessions_for(options.design, options.redis_port, os.environ.get("LAB_SIGNING_KEY"))
    app = build_app(options.name, sessions, options.response_ms)
    uvicorn.run(app, host="127.0.0.1", port=options.port, log_level="warning", access_log=False,
                timeout_keep_alive=KEEP_ALIVE_SECONDS, lifespan="off")


if __name__ == "__main__":
    main()
