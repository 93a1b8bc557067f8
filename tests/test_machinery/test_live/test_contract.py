"""The names the simulations, the diagrams and live.js/live.css share, checked in one place.

A snapshot's status words come from snippets/sessionlab.py (STATUSES) and live.css paints
them; a snapshot names diagram nodes by id (web-2), and live.js weighs the load balancer's
edge to each, which the diagram scripts name `edge-lb-<node id>`.
"""

from __future__ import annotations

import re
import runpy
from pathlib import Path

from tests.conftest import ROOT
from tests.test_machinery.conftest import live_blocks

LIVE = ROOT / "machinery" / "live"
STATUSES = runpy.run_path(str(ROOT / "snippets" / "sessionlab.py"))["STATUSES"]


def test_live_css_paints_exactly_the_statuses_a_simulation_may_report() -> None:
    painted = set(re.findall(r'data-live-status="([^"]+)"', (LIVE / "live.css").read_text(encoding="utf-8")))
    # "up" is how every node looks anyway: it needs no rule of its own.
    assert painted == set(STATUSES) - {"up"}


def test_live_js_weighs_the_edge_the_diagrams_name_edge_lb_node() -> None:
    assert "edge-lb-${CSS.escape(id)}" in (LIVE / "live.js").read_text(encoding="utf-8")


def test_every_web_server_a_result_mentions_has_an_edge_from_the_load_balancer(built_site: Path) -> None:
    for page, snippet, markup, result in live_blocks(built_site):
        for key, design in result["designs"].items():
            figure = markup.split(f'data-live-view="{key}"', 1)
            if len(figure) == 1:
                continue  # a design the block does not picture
            picture = figure[1].split(f'data-servers="{design["diagram_servers"]}"', 1)[1].split("</svg>", 1)[0]
            ids = set(re.findall(r'id="([^"]+)"', picture))
            for snapshot in design["timeline"]:
                for node in snapshot["nodes"]:
                    assert node in ids, (page, snippet, key, node)
                    if node.startswith("web-"):
                        assert f"edge-lb-{node}" in ids, (page, snippet, key, node)
