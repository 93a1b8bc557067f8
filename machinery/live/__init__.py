"""The ```live fence: a simulation from snippets/ that drives its architecture diagrams.

    ```live
    snippet: crash.py
    servers: 2-8
    views:
      stateful: stateful.py
      shared_store: stateless.py
    controls:
      servers: {label: Web servers, min: 2, max: 8}
      users: {label: Users, min: 100, max: 10000, step: 100}
    ```

- snippet: a file of snippets/, shown as a ```runnable block (editor, Run, Stop, Reset);
  `args` and `time_limit` work as in that fence.
- views: which script of diagrams/ pictures which of the snippet's designs (the keys of
  `designs` in its result). The reader switches between them.
- servers: the server counts every picture is drawn for; a run shows the picture drawn
  for its design's `diagram_servers`.
- controls: parameters of the snippet (its --options) that the reader sets with sliders.
  Changing one re-runs the snippet, with the editor's code, on those values.

The build runs the snippet once with --json; that result, and the pictures not shown at
first, go into files the page fetches when the block comes near (deferred.py), so the
pictures can be replayed before anything runs in the browser. live.js replays a
result's timeline on the pictures and takes the result of every later run. It draws what
the snippet says and computes nothing: the result's shape is described in
snippets/sessionlab.py. spec.py checks the block against that result.
"""

from __future__ import annotations

import itertools
import json

from machinery import deferred, fence
from machinery.diagram import figure, scripts, svg
from machinery.live.spec import LiveBlock


class BlockNumbers:
    """Numbers the live blocks of one page, so two blocks never share an input's id."""

    counter = itertools.count(1)


def start_page() -> None:
    """Called for every page (on_page_markdown hook): numbers restart at 1."""
    BlockNumbers.counter = itertools.count(1)


@fence.guarded("live")
def fence_format(source, language, css_class, options, md, **kwargs) -> str:  # noqa: ANN001, ANN003, ARG001 - SuperFences' signature
    if options:
        raise fence.FenceError(f"options go in the body, not the header ({', '.join(options)})")
    live = LiveBlock.from_source(source)
    if live.compare:
        return compare_html(live)
    designs = live.result["designs"]
    first_view = next(iter(live.views))
    return fence.render(
        "live/live.html",
        snippet=live.block.run.file,
        result=deferred_result(live),
        prefix=f"live-{live.block.run.file.removesuffix('.py')}-{next(BlockNumbers.counter)}",
        views=[
            (key, designs[key].get("label", key), *shown_later(view_figure(live, key, script), hidden=key != first_view))
            for key, script in live.views.items()
        ],
        controls=live.controls,
        parameters=live.result["parameters"],
        runnable=live.block.html(),
    )


def compare_html(live: LiveBlock) -> str:
    """The designs side by side (compare.html): no editor, no Python, one button."""
    designs = live.result["designs"]
    return fence.render(
        "live/compare.html",
        snippet=live.block.run.file,
        # A comparison opens a page (the home page's demo) and is drawn at once: its small
        # result stays in the page rather than wait for a fetch and move the text below.
        result=json.dumps(live.result, separators=(",", ":")),
        compare=live.compare,
        views=[(key, designs[key].get("label", key), view_figure(live, key, script)) for key, script in live.views.items()],
    )


def view_figure(live: LiveBlock, key: str, script: str) -> str:
    shown_first = live.result["designs"][key]["diagram_servers"]
    return figure.cached_figure(scripts.script_path(script), live.servers, shown_first)


def deferred_result(live: LiveBlock) -> str:
    """The build's result, in a file the page fetches when the block comes near (deferred.py)."""
    return deferred.defer(json.dumps(live.result, separators=(",", ":")), ".json")


def shown_later(view: str, *, hidden: bool) -> tuple[bool, str, str]:
    """(hidden, icons, figure) for a design: a hidden figure is a file fetched when the block
    comes near, its icons left in the page for the page's one sprite (svg.share_icons); a
    shown one defers only its pictures for other server counts."""
    if not hidden:
        return False, "", deferred.defer_inert(view)
    return True, "".join(svg.SPRITE.findall(view)), deferred.defer(svg.SPRITE.sub("", view), ".html")
