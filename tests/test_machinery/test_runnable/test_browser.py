"""The runnable widget in Chromium, against the built site served from 127.0.0.1.

Most tests share one page (`reader`) so Pyodide loads once; each starts by putting its
block back to the file's code. Stop is tested both ways: without cross-origin isolation
(GitHub Pages: the worker is replaced) and with it (COOP/COEP: KeyboardInterrupt).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from mkdocs.config import load_config

from machinery import snippet_runs
from tests.conftest import ROOT, RequestLog
from tests.test_machinery.conftest import navigate_instantly

FINISHED = ("done", "error", "stopped")
ENDLESS_LOOP_TYPED = "while True:\npass"  # Enter after the colon indents the next line
ENDLESS_LOOP = "while True:\n    pass"

# Runs in the page: the editor's text, through CodeMirror's public API.
EDITOR_TEXT = """async (block) => {
  const url = new URL("editor.js", document.querySelector("script[src$='site.js']").src);
  const { EditorView } = await import(url.href);
  return EditorView.findFromDOM(block.querySelector(".cm-editor")).state.doc.toString();
}"""
# Runs in the page: click a button and measure how long until the block reaches `state`.
CLICK_AND_TIME = """([block, selector, states]) => new Promise((resolve) => {
  const start = performance.now();
  const observer = new MutationObserver(() => {
    if (states.includes(block.dataset.state)) { observer.disconnect(); resolve(performance.now() - start); }
  });
  observer.observe(block, { attributes: true, attributeFilter: ["data-state"] });
  block.querySelector(selector).click();
})"""
# Runs in the page: the colour of each token on the editor's first line, and the colour
# Material gives each kind of token in static code (--md-code-hl-*-color).
SYNTAX_COLOURS = """(block) => {
  const tokens = {};
  const walker = document.createTreeWalker(block.querySelector(".cm-line"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.textContent.trim()) tokens[node.textContent.trim()] = getComputedStyle(node.parentElement).color;
  }
  const material = {};
  for (const kind of ["name", "operator", "function", "punctuation", "comment"]) {
    const probe = block.appendChild(document.createElement("span"));
    probe.style.color = `var(--md-code-hl-${kind}-color)`;
    material[kind] = getComputedStyle(probe).color;
    probe.remove();
  }
  return [tokens, material];
}"""
# Runs in the page: how long a zero-delay timer waits, i.e. whether the main thread is free.
TIMER_DELAY = "() => new Promise((resolve) => { const t = performance.now(); setTimeout(() => resolve(performance.now() - t), 0); })"


@dataclass
class Widget:
    """One block on a Playwright page, driven like a reader does."""

    page: object
    index: int

    @property
    def element(self):
        return self.page.locator(".runnable").nth(self.index)

    @property
    def file(self) -> str:
        return self.element.get_attribute("data-runnable-file")

    @property
    def state(self) -> str:
        return self.element.get_attribute("data-state")

    @property
    def status(self) -> str:
        return self.element.locator(".runnable__status").text_content()

    @property
    def output(self) -> str:
        return self.element.locator(".runnable__live code").text_content()

    def button(self, name: str):
        return self.element.get_by_role("button", name=name, exact=True)

    def reveal(self) -> None:
        """Unfold the block if a live block folds it behind "Show the code", and scroll to it."""
        self.element.evaluate("(block) => { const details = block.closest('details'); if (details) details.open = true; }")
        self.element.scroll_into_view_if_needed()

    def wait_until_editable(self) -> None:
        """Reach for the block as a reader does (the pointer on it), which loads the editor."""
        self.reveal()
        self.element.hover()
        self.element.locator(".cm-content").wait_for()

    def code(self) -> str:
        return self.page.evaluate(EDITOR_TEXT, self.element.element_handle())

    def replace_code(self, text: str, *, type_it: bool = False) -> None:
        """Select everything in the editor and type (or paste) `text` over it."""
        self.element.locator(".cm-content").click()
        self.page.keyboard.press("ControlOrMeta+a")
        if type_it:
            self.page.keyboard.type(text)
        else:
            self.page.keyboard.insert_text(text)

    def wait_for(self, *states: str, timeout: float = 30) -> None:
        self.page.wait_for_function(
            "([block, states]) => states.includes(block.dataset.state)",
            arg=[self.element.element_handle(), list(states)],
            timeout=timeout * 1000,
        )

    def run(self, timeout: float = 40) -> str:
        self.reveal()
        self.button("Run").click()
        self.wait_for(*FINISHED, timeout=timeout)
        return self.state

    def click_and_time(self, button_class: str, *states: str) -> float:
        """Milliseconds from clicking the button to the block reaching one of `states`."""
        return self.page.evaluate(CLICK_AND_TIME, [self.element.element_handle(), f".runnable__{button_class}", list(states)])

    def reset(self) -> None:
        self.button("Reset").click()


def file_text(name: str) -> str:
    return (ROOT / "snippets" / name).read_text(encoding="utf-8")


def default_time_limit() -> float:
    configured = load_config(str(ROOT / "mkdocs.yml")).extra["runnable"].get("time_limit")
    return float(configured or snippet_runs.DEFAULT_TIME_LIMIT)


def open_page(browser, url: str, **context_options) -> object:
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.request_log = RequestLog()
    context.on("request", page.request_log.record)
    page.goto(url)
    return page


@pytest.fixture(scope="module")
def first_block(runnable_blocks):
    return runnable_blocks[0]


@pytest.fixture(scope="module")
def reader(browser, instant_site_url: str, first_block) -> Iterator[object]:
    """One page with runnable code, shared by the tests below, as a reader would keep it open."""
    page = open_page(browser, instant_site_url + first_block.page)
    yield page
    page.context.close()


@pytest.fixture
def widget(reader, instant_site_url: str, first_block) -> Widget:
    """The first block of the shared page, showing the file's code and idle."""
    if reader.url != instant_site_url + first_block.page:
        reader.goto(instant_site_url + first_block.page)
    block = Widget(reader, 0)
    block.wait_until_editable()
    if block.state in ("loading", "running"):
        block.button("Stop").click()
        block.wait_for(*FINISHED)
    block.reset()
    return block


def test_run_prints_what_cpython_prints_for_every_embedded_snippet(browser, site_url: str, runnable_blocks, expected_output) -> None:
    pages = sorted({block.page for block in runnable_blocks})
    for path in pages:
        page = open_page(browser, site_url + path)
        on_page = [block for block in runnable_blocks if block.page == path]
        for index, block in enumerate(on_page):
            widget = Widget(page, index)
            assert widget.file == block.file
            assert widget.run() == "done", (block, widget.status, widget.output)
            assert widget.output == expected_output(block.file, block.args), block
            assert widget.status.startswith("Done in ")
        page.context.close()


def test_stop_ends_an_endless_loop_typed_in_the_editor_within_a_second(widget: Widget, expected_output, first_block) -> None:
    widget.replace_code(ENDLESS_LOOP_TYPED, type_it=True)
    assert widget.code() == ENDLESS_LOOP
    widget.button("Run").click()
    widget.wait_for("running")
    widget.page.wait_for_timeout(300)
    assert widget.page.evaluate(TIMER_DELAY) < 100  # Python runs in the worker: the page is free
    assert widget.click_and_time("stop", "stopped") < 1000
    assert widget.status.startswith("Stopped after ")
    widget.reset()
    assert widget.run() == "done"
    assert widget.output == expected_output(first_block.file, first_block.args)


def test_the_time_limit_stops_a_run_nobody_stops(browser, instant_site_url: str, runnable_blocks) -> None:
    limit = default_time_limit()
    block = next((b for b in runnable_blocks if b.time_limit == limit), min(runnable_blocks, key=lambda b: b.time_limit))
    page = open_page(browser, instant_site_url + block.page)
    widget = Widget(page, [b for b in runnable_blocks if b.page == block.page].index(block))
    widget.wait_until_editable()
    widget.replace_code("import time\ntime.sleep(600)\n")
    widget.button("Run").click()
    widget.wait_for("running")
    took = widget.page.evaluate(
        """(block) => new Promise((resolve) => {
             const start = performance.now();
             new MutationObserver((_, observer) => {
               if (block.dataset.state === "stopped") { observer.disconnect(); resolve(performance.now() - start); }
             }).observe(block, { attributes: true });
           })""",
        widget.element.element_handle(),
    )
    assert block.time_limit * 1000 - 100 < took < block.time_limit * 1000 + 1000
    assert widget.status == f"Stopped: the run exceeded the {block.time_limit:g} s time limit"
    widget.reset()
    assert widget.run() == "done"
    page.context.close()


def test_stop_interrupts_python_when_the_page_is_cross_origin_isolated(
    browser, isolated_site_url: str, first_block, expected_output
) -> None:
    page = open_page(browser, isolated_site_url + first_block.page)
    assert page.evaluate("crossOriginIsolated")
    widget = Widget(page, 0)
    widget.wait_until_editable()
    widget.replace_code("try:\n    print('looping')\n    while True:\n        pass\nfinally:\n    print('interrupted')\n")
    widget.button("Run").click()
    # Stop once Python is inside the loop: earlier, it would land in the runner's own start.
    page.wait_for_function("(block) => block.querySelector('.runnable__live code').textContent === 'looping\\n'",
                           arg=widget.element.element_handle())
    assert widget.click_and_time("stop", "stopped") < 1000
    # Only a KeyboardInterrupt raised inside Python runs the finally clause.
    assert widget.output == "looping\ninterrupted\n"
    widget.reset()
    assert widget.run() == "done"
    assert widget.output == expected_output(first_block.file, first_block.args)
    page.context.close()


def test_reset_restores_the_files_code(widget: Widget) -> None:
    original = widget.code()
    assert original == file_text(widget.file)
    widget.replace_code("print('edited')\n")
    assert widget.code() == "print('edited')\n"
    widget.reset()
    assert widget.code() == original


@pytest.mark.parametrize(
    ("code", "expected_lines"),
    [
        ("print('before')\ndef broken(:\n    pass\n", ['  File "{file}", line 2', "SyntaxError: "]),
        (
            "def fail():\n    raise ValueError('no session here')\n\nfail()\n",
            [
                "Traceback (most recent call last):",
                '  File "{file}", line 4, in <module>',
                '  File "{file}", line 2, in fail',
                "ValueError: no session here",
            ],
        ),
    ],
)
def test_broken_code_shows_a_readable_traceback_and_the_widget_stays_usable(widget: Widget, code: str, expected_lines: list[str]) -> None:
    widget.replace_code(code)
    assert widget.run() == "error"
    assert widget.status.startswith("Error after ")
    traceback = widget.element.locator(".runnable__stderr").last.text_content()
    for line in expected_lines:
        assert line.format(file=widget.file) in traceback, traceback
    assert "python_runner" not in traceback and "pyodide" not in traceback.lower()
    widget.reset()
    assert widget.run() == "done"


def test_huge_output_is_capped_with_a_notice(widget: Widget) -> None:
    widget.replace_code("for i in range(200_000):\n    print(i)\n")
    assert widget.run() == "done"
    assert widget.output.count("\n") == 2000 and widget.output.startswith("0\n1\n")
    assert "output cut here" in widget.element.locator(".runnable__notice").text_content()


def test_result_and_run_events(widget: Widget) -> None:
    widget.replace_code("import sys\nresult = {'argv': sys.argv[1:]}\nprint('ran', *sys.argv[1:])\n")
    detail = widget.page.evaluate(
        """(block) => new Promise((resolve) => {
             block.addEventListener("runnable:result", (event) => resolve(event.detail), { once: true });
             block.dispatchEvent(new CustomEvent("runnable:run", { detail: { args: ["--servers", "5"] } }));
           })""",
        widget.element.element_handle(),
    )
    assert detail == {"result": {"argv": ["--servers", "5"]}}
    assert widget.output == "ran --servers 5\n"


def test_keyboard_only_tab_in_type_escape_tab_to_run_enter(widget: Widget) -> None:
    page = widget.page
    page.evaluate("window.scrollTo(0, 0); document.activeElement?.blur()")
    for _ in range(400):
        page.keyboard.press("Tab")
        if page.evaluate("(block) => block.querySelector('.cm-content') === document.activeElement", widget.element.element_handle()):
            break
    else:
        pytest.fail("Tab never reached the editor")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("if True:\nprint('typed with the keyboard')")
    page.keyboard.press("Home")
    page.keyboard.press("Tab")  # indents; does not leave the editor
    assert widget.code() == "if True:\n        print('typed with the keyboard')"
    page.keyboard.press("Shift+Tab")  # leaves, backwards
    assert page.evaluate("(block) => !block.querySelector('.cm-editor').contains(document.activeElement)", widget.element.element_handle())
    widget.element.locator(".cm-content").focus()
    page.keyboard.press("Escape")  # leaves, to Run
    assert page.evaluate("document.activeElement.textContent") == "Run"
    page.keyboard.press("Enter")
    widget.wait_for(*FINISHED)
    assert widget.output == "typed with the keyboard\n"


def test_run_works_after_instant_navigation_away_and_back(
    widget: Widget, instant_site_url: str, plain_page: str, first_block, runnable_blocks
) -> None:
    page = widget.page
    page.evaluate("window.notReloaded = true")
    for target in (plain_page, first_block.page):
        navigate_instantly(page, instant_site_url + target)
    assert page.evaluate("window.notReloaded") is True, "the nav link reloaded the page: instant navigation is off"
    back = Widget(page, 0)
    back.wait_until_editable()
    blocks_here = len([block for block in runnable_blocks if block.page == first_block.page])
    assert page.locator(".runnable .cm-editor").count() == blocks_here  # none left over, none doubled
    assert back.run() == "done"


def test_a_runtime_that_fails_to_load_is_reported_and_retried(browser, site_url: str, first_block) -> None:
    context = browser.new_context()
    context.route("**/assets/pyodide/pyodide.asm.wasm", lambda route: route.fulfill(status=404))
    page = context.new_page()
    page.goto(site_url + first_block.page)
    widget = Widget(page, 0)
    assert widget.run() == "error"
    assert widget.status.startswith("Error: the Python runtime failed")
    context.unroute("**/assets/pyodide/pyodide.asm.wasm")
    assert widget.run() == "done"
    context.close()


def test_no_request_leaves_127_0_0_1_on_pages_with_runnable_code(page, site_url: str, runnable_blocks) -> None:
    for path in sorted({block.page for block in runnable_blocks}):
        page.goto(site_url + path)
        assert Widget(page, 0).run() == "done"
    assert any(url.endswith("/assets/pyodide/pyodide.asm.wasm") for url in page.request_log.urls)
    assert page.request_log.external() == []


def test_a_page_without_runnable_code_fetches_no_runtime(page, site_url: str, plain_page: str) -> None:
    page.goto(site_url + plain_page, wait_until="networkidle")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(500)
    runtime_parts = ("pyodide", "python-worker", "python_runner", "site/editor.js", "runnable.json", "/snippets/")
    fetched = [url for url in page.request_log.urls if any(part in url for part in runtime_parts)]
    assert fetched == []


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_the_widget_follows_the_colour_scheme_and_fits_a_phone(browser, site_url: str, first_block, color_scheme: str) -> None:
    page = open_page(browser, site_url + first_block.page, color_scheme=color_scheme, viewport={"width": 390, "height": 844})
    widget = Widget(page, 0)
    widget.wait_until_editable()
    widget.element.scroll_into_view_if_needed()
    expected_scheme = "slate" if color_scheme == "dark" else "default"
    assert page.get_attribute("body", "data-md-color-scheme") == expected_scheme
    colours = page.evaluate(
        """(block) => {
             const probe = document.createElement("div");
             probe.style.background = "var(--md-code-bg-color)";
             block.append(probe);
             const expected = getComputedStyle(probe).backgroundColor;
             probe.remove();
             return [getComputedStyle(block.querySelector(".cm-editor")).backgroundColor, expected];
           }""",
        widget.element.element_handle(),
    )
    assert colours[0] == colours[1]
    widget.replace_code("total = len(items)  # count\n")
    tokens, material = page.evaluate(SYNTAX_COLOURS, widget.element.element_handle())
    assert tokens == {"total": material["name"], "=": material["operator"], "len": material["function"], "(": material["punctuation"],
                      "items": material["name"], ")": material["punctuation"], "# count": material["comment"]}
    # Operators and punctuation take the editor's plain colour: only the other four tokens need a <span>.
    assert widget.element.locator(".cm-line").first.locator("span").count() == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert widget.button("Run").is_visible() and widget.element.locator(".runnable__hint").is_visible()
    page.context.close()


def test_nothing_loads_with_the_page_the_editor_comes_near_and_python_on_intent(browser, site_url: str, runnable_blocks) -> None:
    """The editor when a block comes near (and the browser is idle); Python when the reader reaches for a block."""
    plain_block = ".runnable:not(.live .runnable)"  # not folded inside a live block
    context = browser.new_context(viewport={"width": 1280, "height": 700})
    page = context.new_page()
    fetched: list[str] = []
    context.on("request", lambda request: fetched.append(request.url))
    far_below = None
    for path in sorted({block.page for block in runnable_blocks}):
        page.goto(site_url + path, wait_until="networkidle")
        top = page.evaluate("(selector) => document.querySelector(selector)?.getBoundingClientRect().top ?? 0", plain_block)
        if top > 700 + 600 + 200:
            far_below = path
            break
    assert far_below, "no page has a runnable block far enough down to test lazy loading"
    page.wait_for_timeout(500)
    assert not [url for url in fetched if url.endswith(("/site/editor.js", "/pyodide.asm.wasm"))]
    block = page.locator(plain_block).first
    block.evaluate("block => block.scrollIntoView({block: 'center'})")
    block.locator(".cm-content").wait_for()
    assert any(url.endswith("/site/editor.js") for url in fetched)
    assert not [url for url in fetched if url.endswith("/pyodide.asm.wasm")], "being near is no intent to run"
    block.hover()
    page.wait_for_timeout(1500)
    assert any(url.endswith("/pyodide.asm.wasm") for url in fetched), "the pointer on the block did not start Python"
    assert block.get_attribute("data-state") == "idle"  # nobody pressed Run
    context.close()


# Code a reader might type to see what breaks: (code, what the page must say). After each,
# the block's own code runs again as usual.
HOSTILE = [
    ("bytearray(3 * 10**9)\n", "more memory than Python in a web page can have"),
    ("chunks = []\nwhile True:\n    chunks.append(bytearray(10**7))\n", "more memory than Python in a web page can have"),
    ("def deeper(n):\n    return deeper(n + 1)\n\ndeeper(0)\n", "A function kept calling itself"),
    ("name = input('Your name? ')\n", "input() cannot read here"),
    ("import numpy\n", "numpy is not available here"),
]


@pytest.mark.parametrize(("code", "message"), HOSTILE, ids=["huge-object", "memory", "recursion", "input", "numpy"])
def test_hostile_code_gets_a_clear_message_and_the_next_run_works(
    widget: Widget, expected_output, first_block, code: str, message: str
) -> None:
    widget.replace_code(code)
    assert widget.run(timeout=60) == "error"
    assert message in widget.element.locator(".runnable__output").text_content()
    widget.reset()
    assert widget.run() == "done"
    assert widget.output == expected_output(first_block.file, first_block.args)


def test_sys_exit_says_how_the_program_ended(widget: Widget) -> None:
    widget.replace_code("import sys\nprint('bye')\nsys.exit(3)\n")
    assert widget.run() == "error"
    assert widget.status.startswith("Exited with code 3 after ")
    widget.replace_code("import sys\nsys.exit('no sessions to show')\n")
    assert widget.run() == "error"
    assert widget.element.locator(".runnable__stderr").last.text_content() == "no sessions to show\n"


def test_after_stop_the_next_run_says_python_restarts_and_then_works(widget: Widget, expected_output, first_block) -> None:
    widget.replace_code(ENDLESS_LOOP)
    widget.button("Run").click()
    widget.wait_for("running")
    widget.page.wait_for_timeout(1500)  # long enough for a spare interpreter to start loading
    widget.button("Stop").click()
    widget.wait_for("stopped")
    widget.reset()
    widget.element.evaluate("""(block) => {
        block.dataset.testStatuses = "";
        new MutationObserver(() => (block.dataset.testStatuses += block.querySelector(".runnable__status").textContent + "|"))
          .observe(block.querySelector(".runnable__status"), { childList: true, characterData: true, subtree: true });
    }""")
    widget.button("Run").click()
    widget.wait_for(*FINISHED)
    assert widget.output == expected_output(first_block.file, first_block.args)
    statuses = widget.element.get_attribute("data-test-statuses").split("|")
    assert "Loading Python…" not in statuses, "a restart is not a first load"
    assert statuses[-2].startswith("Done in ")


# Runs in the page: where a block sits on the page, how tall it is, and whether its editor is drawn.
BLOCK_BOX = """(block) => {
  const box = block.getBoundingClientRect();
  return { top: box.top + scrollY, height: box.height, drawn: block.querySelector(".cm-editor") !== null };
}"""
EDITOR_SCROLL = "(block) => block.querySelector('.cm-scroller').scrollTop"
# Runs in the page: the index of the first block that a live block does not fold away.
FIRST_PLAIN_BLOCK = "() => [...document.querySelectorAll('.runnable')].findIndex((block) => !block.closest('.live'))"
# Runs in the page: resolves once the browser has drawn twice and then idled, so that
# intersection observers have reported and editors near the viewport have loaded.
SETTLED = """() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(
  () => requestIdleCallback(() => setTimeout(resolve, 50), { timeout: 2000 }))))"""


def busiest_page(runnable_blocks) -> str:
    """The page with the most runnable blocks."""
    return max({block.page for block in runnable_blocks}, key=lambda path: sum(block.page == path for block in runnable_blocks))


@pytest.fixture
def far_block(browser, site_url: str, runnable_blocks) -> Iterator[Widget]:
    """A block not folded into a live block, far down the page with the most blocks, its editor drawn."""
    page = open_page(browser, site_url + busiest_page(runnable_blocks), viewport={"width": 1280, "height": 700})
    widget = Widget(page, page.evaluate(FIRST_PLAIN_BLOCK))
    assert widget.element.evaluate(BLOCK_BOX)["top"] > 700 + 600, "the block must start far from the top of its page"
    widget.wait_until_editable()
    yield widget
    page.context.close()


def scroll_away_until_resting(widget: Widget) -> None:
    widget.page.evaluate("scrollTo(0, 0)")
    widget.page.wait_for_function("(block) => block.querySelector('.cm-editor') === null", arg=widget.element.element_handle())


def test_an_editor_far_from_the_reader_rests_and_comes_back_as_it_was(far_block: Widget) -> None:
    page = far_block.page
    far_block.element.locator(".runnable__unfold").click()  # the reader opens the docstring
    far_block.element.locator(".cm-content").click()
    page.keyboard.press("ControlOrMeta+End")
    page.keyboard.insert_text("# edited before scrolling away\n")
    edited = far_block.code()
    page.keyboard.press("Escape")  # on to the Run button: the reader has left the editor
    drawn = far_block.element.evaluate(BLOCK_BOX)
    scrolled_to = far_block.element.evaluate(EDITOR_SCROLL)
    assert scrolled_to > 0  # Ctrl+End took the editor to its last line

    scroll_away_until_resting(far_block)
    resting = far_block.element.evaluate(BLOCK_BOX)
    assert resting["top"] == pytest.approx(drawn["top"], abs=0.5) and resting["height"] == pytest.approx(drawn["height"], abs=0.5)
    assert far_block.element.locator(".runnable__code pre code").text_content() == edited

    far_block.reveal()
    far_block.element.locator(".cm-content").wait_for()
    page.evaluate(SETTLED)
    assert far_block.code() == edited
    assert far_block.element.evaluate(EDITOR_SCROLL) == pytest.approx(scrolled_to, abs=2)
    far_block.element.evaluate("(block) => { block.querySelector('.cm-scroller').scrollTop = 0; }")
    page.evaluate(SETTLED)
    docstring_second_line = file_text(far_block.file).splitlines()[1].strip()
    assert docstring_second_line in far_block.element.locator(".cm-content").inner_text(), "the docstring was folded again"
    assert far_block.element.locator(".runnable__unfold").count() == 0
    far_block.element.locator(".cm-content").click()
    page.keyboard.press("ControlOrMeta+z")
    assert far_block.code() == file_text(far_block.file), "the undo history did not come back"


def test_the_editor_the_reader_is_in_stays_drawn_however_far_the_page_scrolls(far_block: Widget) -> None:
    far_block.element.locator(".cm-content").click()
    far_block.page.evaluate("scrollTo(0, 0)")
    far_block.page.evaluate(SETTLED)
    assert far_block.element.evaluate(BLOCK_BOX)["drawn"]
    assert far_block.element.evaluate("(block) => block.querySelector('.cm-content') === document.activeElement")
    far_block.page.evaluate("document.activeElement.blur()")  # the reader clicks elsewhere, up here
    far_block.page.wait_for_function("(block) => block.querySelector('.cm-editor') === null", arg=far_block.element.element_handle())


def test_a_resting_editor_takes_a_constant_set_from_elsewhere_and_runs_it(far_block: Widget) -> None:
    name, value = re.search(r"^([A-Z][A-Z_]*) = (\d+)\b", file_text(far_block.file), re.MULTILINE).groups()
    changed_to = int(value) + 1
    scroll_away_until_resting(far_block)
    announced = far_block.element.evaluate(
        """(block, [name, value]) => new Promise((resolve) => {
             block.addEventListener("runnable:change", (event) => resolve(event.detail.constant(name)), { once: true });
             block.dispatchEvent(new CustomEvent("runnable:set", { detail: { name, value } }));
           })""",
        [name, changed_to],
    )
    assert announced == changed_to
    assert f"\n{name} = {changed_to}" in far_block.element.locator(".runnable__code pre code").text_content()
    built_output = far_block.element.locator(".runnable__output code").text_content()
    ended = far_block.element.evaluate(
        """(block) => new Promise((resolve) => {
             block.addEventListener("runnable:end", (event) => resolve(event.detail.status), { once: true });
             block.dispatchEvent(new CustomEvent("runnable:run"));
           })"""
    )
    assert ended == "done" and not far_block.element.evaluate(BLOCK_BOX)["drawn"], "the resting editor's code did not run as it is"
    assert far_block.output != built_output
    far_block.reveal()
    far_block.element.locator(".cm-content").wait_for()
    assert f"\n{name} = {changed_to}" in far_block.code()


def test_scrolling_through_a_page_only_the_editors_near_the_viewport_are_drawn(browser, site_url: str, runnable_blocks) -> None:
    page = open_page(browser, site_url + busiest_page(runnable_blocks), viewport={"width": 412, "height": 823})
    page.evaluate("for (const details of document.querySelectorAll('.live details')) details.open = true")
    most_drawn = 0
    for step in range(200):
        page.evaluate(f"scrollTo(0, {step * 823 // 2})")
        page.evaluate(SETTLED)
        boxes = [block.evaluate("(block) => [block.getBoundingClientRect().top, block.getBoundingClientRect().bottom, "
                                "block.querySelector('.cm-editor') !== null]") for block in page.locator(".runnable").all()]
        far = [(top, bottom) for top, bottom, drawn in boxes if drawn and (bottom < -600 or top > 823 + 600)]
        assert far == [], f"editors drawn far from the viewport at scrollY {step * 823 // 2}"
        most_drawn = max(most_drawn, sum(drawn for *_, drawn in boxes))
        if page.evaluate("scrollY + innerHeight >= document.body.scrollHeight - 1"):
            break
    assert 1 <= most_drawn < len(boxes), "no editor was drawn, or every one was drawn at once"
    page.context.close()
