"""What every fence (and the inline figures) shares: the error policy, the page, the templates.

The error policy: a mistake in a fence, a diagram script, a snippet or a figure never
raises out of the build. It is logged as one warning that names the page, the fence and
the file and line, and the page shows the same message in an error box. So
`mkdocs build --strict` fails on it (strict turns warnings into a failed build), while
`mkdocs serve` keeps answering every URL: an exception would leave it stuck until fixed.

Each fence's HTML is a Jinja template beside its Python (machinery/<fence>/*.html), the
way Material renders its partials; the DOM that the fence's JavaScript reads is defined
there and nowhere else.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

log = logging.getLogger("mkdocs.plugins.machinery")

MACHINERY = Path(__file__).resolve().parent
templates = Environment(
    loader=FileSystemLoader(MACHINERY),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)


class FenceError(Exception):
    """A mistake the author must fix; the message says where (file and line) and what."""


class Build:
    """What is being built: the project (the folder of mkdocs.yml, set by the on_config
    hook) and the page being rendered (set by on_page_markdown), for messages."""

    root = Path.cwd()
    page = "a page"


def start_page(source: str) -> None:
    Build.page = f"docs/{source}"


def render(template: str, **context: object) -> str:
    """Render machinery/<template>, e.g. render("diagram/figure.html", ...)."""
    return templates.get_template(template).render(**context)


def report(what: str, problem: object) -> str:
    """Log the mistake as a warning and return the error box that takes the fence's place."""
    warn(f"{what}: {problem}")
    return render("fence_error.html", what=what, message=str(problem))


def warn(message: str) -> None:
    log.warning(f"{Build.page}: {message}")


def accept_options(language, inputs, options, attrs, md) -> bool:  # noqa: ANN001, ARG001 - SuperFences' signature
    """Every fence's validator: keep the header's options for the formatter to check.

    A validator that returns False makes SuperFences show the block as plain code,
    silently, and one that raises stops the build; the formatter can report instead.
    """
    options.update(inputs)
    return True


def guarded(name: str) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """Make a fence's formatter report a FenceError instead of raising it."""

    def decorate(format_fence: Callable[..., str]) -> Callable[..., str]:
        @functools.wraps(format_fence)
        def formatter(*args: object, **kwargs: object) -> str:
            try:
                return format_fence(*args, **kwargs)
            except FenceError as problem:
                return report(f"{name} fence", problem)

        return formatter

    return decorate
