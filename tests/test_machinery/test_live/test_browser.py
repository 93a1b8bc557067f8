"""Live diagrams in Chromium: the crash simulation replayed on its pictures.

One page (the crash experiment on the stateful page) is shared by the tests, as a reader
keeps it open, so Pyodide loads once. Expected numbers come from CPython running the
same snippet with the same options.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.conftest import RequestLog
from tests.test_machinery.conftest import cpython_output, live_blocks, navigate_instantly

PAGE = "stateful/"
SNIPPET = "crash.py"
FINISHED = ("done", "error", "stopped")
# In the page, with the block as `b`: no result is waiting to be drawn (live.js, whileBusy).
RESULT_DRAWN = "!b.closest('.live').querySelector('.live__readout').hasAttribute('aria-busy')"


# Runs in the page: the editor's text, through CodeMirror's public API.
EDITOR_TEXT = """async (block) => {
  const url = new URL("editor.js", document.querySelector("script[src$='site.js']").src);
  const { EditorView } = await import(url.href);
  return EditorView.findFromDOM(block.querySelector(".cm-editor")).state.doc.toString();
}"""


def expected(*args: str) -> dict:
    return json.loads(cpython_output(SNIPPET, (*args, "--json")))


def last_event_minute(design: dict) -> int:
    return max(snapshot["minute"] for snapshot in design["timeline"] if snapshot["events"])


class Live:
    """The live block of the crash experiment, driven like a reader does."""

    def __init__(self, page) -> None:
        self.page = page
        self.root = page.locator(f'.live[data-live-snippet="{SNIPPET}"]')
        self.block = self.root.locator(".runnable")

    def reach(self) -> None:
        """Scroll to the block, as a reader does, and wait for it to draw the build's result."""
        self.root.scroll_into_view_if_needed()
        self.root.locator(".live__counters dt").first.wait_for()

    def node(self, node_id: str):
        return self.root.locator(f'.live__view:not([hidden]) .diagram-variant:not([hidden]) [id="{node_id}"]')

    def status(self, node_id: str) -> str | None:
        return self.node(node_id).get_attribute("data-live-status")

    def note(self, node_id: str) -> str:
        return self.node(node_id).locator(":scope > .live-note text").text_content()

    def counters(self) -> dict[str, str]:
        terms = self.root.locator(".live__counters dt").all_text_contents()
        values = self.root.locator(".live__counters dd").all_text_contents()
        return dict(zip(terms, values, strict=True))

    def visible_servers(self) -> int:
        return int(self.root.locator(".live__view:not([hidden]) .diagram-variant:not([hidden])").get_attribute("data-servers"))

    def minute(self) -> int:
        return int(self.root.get_attribute("data-live-minute"))

    def runs(self) -> int:
        """How many runs have ended (counted by `count_runs`)."""
        return int(self.block.get_attribute("data-test-runs") or 0)

    def count_runs(self) -> None:
        self.block.evaluate("b => b.addEventListener('runnable:end', () => (b.dataset.testRuns = Number(b.dataset.testRuns || 0) + 1))")

    def wait_for_runs_after(self, ended: int) -> None:
        """Until a run that started after `ended` runs had ended is over, none is under way,
        and the pictures show its result (which may first wait for them to be fetched)."""
        self.page.wait_for_function(
            f"([b, ended, finished]) => Number(b.dataset.testRuns || 0) > ended && finished.includes(b.dataset.state) && {RESULT_DRAWN}",
            arg=[self.block.element_handle(), ended, list(FINISHED)],
            timeout=60_000,
        )

    def watch_results(self, parameter: str) -> None:
        """Note each run's value of this parameter in data-test-last (see wait_for_a_result_with)."""
        self.block.evaluate(
            "(b, name) => b.addEventListener('runnable:result', (e) => (b.dataset.testLast = String(e.detail.result.parameters[name])))",
            parameter,
        )

    def wait_for_a_result_with(self, value: int) -> None:
        """Until the last run's result has this value of the watched parameter, and no run is under way.

        Each slider step asks for a run; a step taken while one runs waits, and a later step
        replaces it, so how many runs a burst of steps makes depends on the machine's speed.
        """
        self.page.wait_for_function(
            f"([b, value, finished]) => b.dataset.testLast === String(value) && finished.includes(b.dataset.state) && {RESULT_DRAWN}",
            arg=[self.block.element_handle(), value, list(FINISHED)],
            timeout=60_000,
        )

    def open_code(self) -> None:
        """Unfold "Show the code" and reach for the editor, which loads it."""
        self.root.locator("details.live__code").evaluate("details => (details.open = true)")
        self.block.hover()
        self.block.locator(".cm-content").wait_for()

    def editor_text(self) -> str:
        return self.page.evaluate(EDITOR_TEXT, self.block.element_handle())

    def run(self) -> None:
        ended = self.runs()
        self.block.get_by_role("button", name="Run", exact=True).click()
        self.wait_for_runs_after(ended)

    def choose_view(self, label: str) -> None:
        """Pick a design, and wait until it is shown: its picture may have to be fetched first."""
        choice = self.root.get_by_role("radio", name=label)
        choice.check()
        self.root.locator(f'.live__view[data-live-view="{choice.get_attribute("value")}"]:not([hidden])').wait_for()

    def to_the_end(self) -> None:
        self.root.get_by_role("slider", name="Time").press("End")


def shown(counters: dict) -> dict[str, str]:
    """Counters as the page writes them."""
    return {label: f"{value:,}" for label, value in counters.items()}


@pytest.fixture(scope="module")
def reader(browser, site_url: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.request_log = RequestLog()
    context.on("request", page.request_log.record)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(site_url + PAGE)
    Live(page).count_runs()
    yield page
    context.close()


@pytest.fixture
def live(reader) -> Live:
    live = Live(reader)
    live.reach()
    live.choose_view("Stateful (sticky)")
    return live


def test_before_any_run_the_build_result_shows_the_end_of_the_crash(live: Live) -> None:
    result = expected()
    final = result["designs"]["stateful"]["timeline"][-1]
    assert live.visible_servers() == result["parameters"]["servers"]
    assert live.status("web-2") == "down" and live.note("web-2") == "crashed"
    assert live.status("sessions-web-2") == "down"
    assert live.status("web-1") == "up" and live.note("web-1") == final["nodes"]["web-1"]["note"]
    assert live.counters() == shown(final["counters"])
    minute = last_event_minute(result["designs"]["stateful"])
    assert live.root.locator(".live__event").text_content().startswith(f"Minute {minute}: ")


def test_a_block_far_down_the_page_fetches_and_draws_only_when_the_reader_nears_it(browser, site_url: str) -> None:
    """Its result and its pictures not shown are files (machinery/deferred.py), not page weight;
    the pictures are fetched only when another design asks for them."""
    context = browser.new_context(viewport={"width": 1280, "height": 400})
    page = context.new_page()
    deferred = []
    page.on("request", lambda request: "/assets/site/deferred/" in request.url and deferred.append(request.url))
    page.goto(site_url + PAGE)
    live = Live(page)
    page.wait_for_selector(".live[data-mounted]", state="attached")
    page.wait_for_timeout(500)
    assert live.root.bounding_box()["y"] > 3 * 400, "the block should start well below the first screens"
    assert live.root.get_attribute("data-live-minute") is None and live.counters() == {}
    assert deferred == [], "nothing the block defers is fetched before the reader comes near"
    live.root.scroll_into_view_if_needed()
    page.wait_for_function("(root) => root.dataset.liveMinute !== undefined", arg=live.root.element_handle())
    assert live.status("web-2") == "down" and live.counters()
    assert any(url.endswith(".json") for url in deferred)
    assert not any(url.endswith(".html") for url in deferred), "the build's result is drawn on the picture in the page"
    live.choose_view("Shared store")
    assert any(url.endswith(".html") for url in deferred)
    assert live.root.locator(".live__view:not([hidden]) figure").get_attribute("data-diagram") == "stateless"
    assert live.status("web-2") == "down"
    context.close()


def open_with_a_file_missing(browser, site_url: str, pattern: str):
    """The crash page with the deferred files matching `pattern` answering 404, scrolled to
    its block; returns (context, live, notice, page errors)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route(f"**/assets/site/deferred/{pattern}", lambda route: route.fulfill(status=404, body="gone"))
    page.goto(site_url + PAGE)
    live = Live(page)
    live.root.scroll_into_view_if_needed()
    return context, live, live.root.locator(".live__notice"), errors


def says_it_cannot_replay(notice) -> None:
    notice.wait_for()
    assert "cannot be replayed" in notice.text_content() and "HTTP 404" in notice.text_content()


class Held:
    """The page's requests matching `pattern`, kept waiting until the test releases them."""

    def __init__(self, page, pattern: str) -> None:
        self.routes = []
        page.route(pattern, self.hold)

    def hold(self, route) -> None:
        self.routes.append(route)

    def release(self) -> None:
        for route in self.routes:
            route.continue_()


def test_a_result_that_cannot_be_fetched_leaves_the_pictures_as_drawn_and_says_so(browser, site_url: str) -> None:
    context, live, notice, errors = open_with_a_file_missing(browser, site_url, "*.json")
    says_it_cannot_replay(notice)
    assert live.visible_servers() == expected()["parameters"]["servers"], "the picture the page was built with stays"
    button = live.root.locator(".live__play")
    button.click()  # there is nothing to play: it must not stay stuck on "Pause"
    live.page.wait_for_function("(button) => button.textContent === 'Play'", arg=button.element_handle(), timeout=5000)
    assert live.root.get_attribute("data-live-minute") is None
    assert errors == []
    context.close()


def test_pictures_not_shown_cost_the_page_no_elements_until_shown(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site_url + PAGE)
    live = Live(page)
    live.reach()
    assert live.root.locator(".diagram-variant[hidden] svg, .live__view[hidden] figure").count() == 0
    assert live.root.locator(".diagram-variant[hidden] > template").count() > 0
    live.choose_view("Shared store")
    assert live.root.locator(".live__view:not([hidden]) .diagram-variant:not([hidden]) svg g.node").count() > 0
    assert errors == []
    context.close()


def test_pictures_that_cannot_be_fetched_leave_the_block_as_built_even_after_a_run(browser, site_url: str) -> None:
    context, live, notice, errors = open_with_a_file_missing(browser, site_url, "*.html")
    # The build's result needs only the picture in the page: it is drawn.
    live.root.locator(".live__counters dt").first.wait_for()
    built_minute = live.root.get_attribute("data-live-minute")
    assert built_minute is not None and notice.is_hidden()
    # Another design needs a picture the page cannot fetch: the block says so and stays as it is.
    live.root.get_by_role("radio", name="Shared store").click()
    says_it_cannot_replay(notice)
    assert live.root.locator(".live__view:not([hidden]) figure").get_attribute("data-diagram") == "stateful"
    assert live.root.get_by_role("radio", name="Stateful (sticky)").is_checked(), "the choice goes back to the design shown"
    # So does a run's result, as runnable.js hands it over.
    live.block.evaluate("(block, result) => block.dispatchEvent(new CustomEvent('runnable:result', { detail: { result } }))",
                        expected())
    live.page.wait_for_timeout(300)
    says_it_cannot_replay(notice)
    assert live.root.get_attribute("data-live-minute") == built_minute, "nothing new is drawn on pictures that are not there"
    assert live.visible_servers() == expected()["parameters"]["servers"]
    assert errors == []
    context.close()


def test_play_pressed_before_the_result_arrives_plays_it_once_and_pause_stops_it(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="no-preference")
    page = context.new_page()
    held = Held(page, "**/assets/site/deferred/*.json")
    page.goto(site_url + PAGE)
    live = Live(page)
    live.root.scroll_into_view_if_needed()
    for _ in range(100):
        if held.routes:
            break
        page.wait_for_timeout(50)
    button = live.root.locator(".live__play")
    for _ in range(3):  # Play, Pause, Play: all before the result is in
        button.click()
    assert button.text_content() == "Pause" and live.root.get_attribute("data-live-minute") is None
    held.release()
    page.wait_for_function("(root) => root.dataset.liveMinute !== undefined", arg=live.root.element_handle())
    page.wait_for_timeout(700)
    playing = live.minute()
    page.wait_for_timeout(700)
    assert live.minute() > playing, "it plays once the result is in"
    button.click()
    paused = live.minute()
    page.wait_for_timeout(1000)
    assert live.minute() == paused and button.text_content() == "Play", "one Pause stops it: no second timer runs on"
    context.close()


def test_a_run_result_waiting_for_its_pictures_marks_the_readout_busy_until_drawn(browser, site_url: str) -> None:
    """A run ends before its result is drawn when the pictures it may need are still on
    their way: until they are, the readout says it is busy, and then shows the run."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    held = Held(page, "**/assets/site/deferred/*.html")
    page.goto(site_url + PAGE)
    live = Live(page)
    live.reach()
    readout = live.root.locator(".live__readout")
    assert readout.get_attribute("aria-busy") is None, "the build's result needs only the picture in the page"
    live.block.evaluate("(block, result) => block.dispatchEvent(new CustomEvent('runnable:result', { detail: { result } }))",
                        expected("--crash-server", "3"))
    page.wait_for_function("(readout) => readout.getAttribute('aria-busy') === 'true'", arg=readout.element_handle())
    assert held.routes and live.status("web-3") == "up", "the build's result stays until the pictures are in"
    held.release()
    page.wait_for_function("(readout) => !readout.hasAttribute('aria-busy')", arg=readout.element_handle())
    live.to_the_end()
    assert live.status("web-3") == "down" and live.status("web-2") == "up"
    context.close()


def test_notes_fit_the_diagram_font_even_when_it_arrives_late(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    held = Held(page, "**/*.woff")  # the font waits until the block has drawn its notes
    page.goto(site_url + PAGE, wait_until="domcontentloaded")
    live = Live(page)
    live.reach()
    note = live.node("web-1").locator(":scope > .live-note")
    with_stand_in = note.locator("text").bounding_box()["width"]
    held.release()
    page.wait_for_function("() => document.fonts.check('12px \"Noto Sans\"')")
    page.wait_for_timeout(200)
    plate, text = note.locator("rect").bounding_box(), note.locator("text").bounding_box()
    assert held.routes and text["width"] != pytest.approx(with_stand_in, abs=1), "the stand-in font should differ"
    assert plate["width"] == pytest.approx(text["width"] + 6, abs=1)
    context.close()


def test_after_a_crash_run_the_crashed_node_looks_crashed_and_the_counters_are_pythons(live: Live) -> None:
    live.open_code()
    editor = live.block.locator(".cm-content")
    editor.click()
    live.page.keyboard.press("ControlOrMeta+a")
    code = live.page.evaluate("() => document.querySelector('.live .runnable__code pre code').textContent")
    live.page.keyboard.insert_text(code.replace("CRASH_SERVER = 2", "CRASH_SERVER = 3"))
    try:
        live.run()
        live.to_the_end()
        result = json.loads(cpython_output(SNIPPET, ("--crash-server", "3", "--json")))
        assert live.status("web-3") == "down" and live.status("web-2") == "up"
        # The crashed look: faded icon, label in the alert colour, no traffic on its edge.
        assert float(style_after_transitions(live.node("web-3").locator("use.icon"), "opacity")) < 0.5
        assert style_after_transitions(live.node("web-3").locator("text").first, "fill") != style_after_transitions(
            live.node("web-1").locator("text").first, "fill"
        )
        edge = live.root.locator('.live__view:not([hidden]) .diagram-variant:not([hidden]) [id="edge-lb-web-3"]')
        assert edge.get_attribute("data-live-traffic") == "none"
        assert live.counters() == shown(result["designs"]["stateful"]["timeline"][-1]["counters"])
    finally:
        live.block.get_by_role("button", name="Reset", exact=True).click()
        live.run()  # the file's own code again, for the other tests


def style_after_transitions(locator, property_name: str) -> str:
    return locator.evaluate(
        "(e, name) => { e.getAnimations().forEach((a) => a.finish()); return getComputedStyle(e)[name]; }", property_name
    )


def test_playback_steps_and_scrubs_change_the_picture(live: Live) -> None:
    timeline = expected()["designs"]["stateful"]["timeline"]
    slider = live.root.get_by_role("slider", name="Time")
    slider.press("End")
    crash_minute = next(snap["minute"] for snap in timeline if snap["events"])
    for _ in range(len(timeline) - 1 - crash_minute + 1):
        live.root.get_by_role("button", name="Step back").click()
    assert live.minute() == crash_minute - 1
    assert live.status("web-2") == "up" and live.note("web-2") == timeline[crash_minute - 1]["nodes"]["web-2"]["note"]
    assert live.counters() == shown(timeline[crash_minute - 1]["counters"])
    live.root.get_by_role("button", name="Step forward").click()
    assert live.status("web-2") == "down" and live.minute() == crash_minute
    slider.press("Home")
    assert live.minute() == 0 and live.counters() == shown(timeline[0]["counters"])
    play = live.root.get_by_role("button", name="Play")
    play.click()
    live.page.wait_for_function("(root) => Number(root.dataset.liveMinute) >= 3", arg=live.root.element_handle())
    live.root.get_by_role("button", name="Pause").click()
    paused_at = live.minute()
    live.page.wait_for_timeout(800)
    assert live.minute() == paused_at


def test_the_views_show_each_design_on_its_own_picture(live: Live) -> None:
    result = expected()
    live.choose_view("Shared store")
    live.to_the_end()
    assert live.root.locator(".live__view:not([hidden]) figure").get_attribute("data-diagram") == "stateless"
    final = result["designs"]["shared_store"]["timeline"][-1]
    assert live.note("session-store") == final["nodes"]["session-store"]["note"] == "2,000 sessions"
    assert live.status("web-2") == "down"
    assert live.counters() == shown(final["counters"])
    assert live.counters()["Sessions lost"] == "0"


def test_everything_works_from_the_keyboard_and_the_controls_rerun_with_new_values(live: Live) -> None:
    page = live.page
    slider = live.root.get_by_label("Web servers", exact=True)
    slider.focus()
    live.watch_results("users")
    page.keyboard.press("ArrowRight")  # 4 -> 5 servers: a run starts
    users = live.root.get_by_label("Users", exact=True)
    users.focus()
    for _ in range(5):
        page.keyboard.press("ArrowLeft")  # 2,000 -> 1,500 users, one step at a time
    live.wait_for_a_result_with(1500)
    result = expected("--servers", "5", "--users", "1500")
    live.root.get_by_role("slider", name="Time").press("End")
    assert live.block.get_attribute("data-state") == "done"
    assert live.visible_servers() == 5
    assert live.root.locator(".live__view:not([hidden]) .diagram-variant:not([hidden]) g.node.server").count() == 5
    assert live.counters() == shown(result["designs"]["stateful"]["timeline"][-1]["counters"])
    assert live.note("web-1") == result["designs"]["stateful"]["timeline"][-1]["nodes"]["web-1"]["note"]
    # The playback controls are reachable and work with Tab and Enter.
    live.root.get_by_role("button", name="Step back").focus()
    page.keyboard.press("Enter")
    assert live.minute() == result["parameters"]["minutes"] - 2
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Play"
    # Put the code back for the other tests.
    live.open_code()
    live.block.get_by_role("button", name="Reset", exact=True).click()
    live.run()


def test_a_run_that_fails_keeps_the_last_picture_and_says_so(live: Live) -> None:
    live.to_the_end()  # stops any playback
    before = live.counters()
    live.open_code()
    editor = live.block.locator(".cm-content")
    editor.click()
    live.page.keyboard.press("ControlOrMeta+a")
    live.page.keyboard.insert_text("import crash\ncrash.simulate(servers=0)\n")
    live.run()
    assert live.block.get_attribute("data-state") == "error"
    assert "SERVERS (--servers) must be between 2 and " in live.block.locator(".runnable__stderr").text_content()
    assert "failed" in live.root.locator(".live__notice").text_content()
    assert live.counters() == before
    live.block.get_by_role("button", name="Reset", exact=True).click()
    live.run()
    assert live.root.locator(".live__notice").is_hidden()


def test_no_error_and_no_request_leaves_127_0_0_1(reader) -> None:
    assert reader.errors == []
    assert reader.request_log.external() == []


def test_with_reduced_motion_a_run_shows_its_end_without_playing(browser, site_url: str) -> None:
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    page.goto(site_url + PAGE)
    live = Live(page)
    live.count_runs()
    live.reach()
    live.open_code()
    live.run()
    last_minute = expected()["parameters"]["minutes"] - 1
    assert live.minute() == last_minute
    page.wait_for_timeout(800)
    assert live.minute() == last_minute and live.root.get_by_role("button", name="Play").is_visible()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_live_block_fits_a_phone_in_both_schemes(browser, site_url: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_url + PAGE)
    live = Live(page)
    live.reach()
    for name in ("Step back", "Play", "Step forward"):
        assert live.root.get_by_role("button", name=name).is_visible()
    assert live.root.get_by_label("Web servers", exact=True).is_visible()
    # Only the picture may scroll sideways, inside its own box; the page does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    note_fill = live.node("web-1").locator(":scope > .live-note text").evaluate("e => getComputedStyle(e).fill")
    plate_fill = live.node("web-1").locator(":scope > .live-note rect").evaluate("e => getComputedStyle(e).fill")
    assert note_fill != plate_fill
    context.close()


def test_after_instant_navigation_away_and_back_the_live_block_works(browser, instant_site_url: str, plain_page: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(instant_site_url + plain_page)
    page.evaluate("window.notReloaded = true")
    for target in (PAGE, plain_page, PAGE):
        navigate_instantly(page, instant_site_url + target)
    assert page.evaluate("window.notReloaded") is True
    live = Live(page)
    live.count_runs()
    live.reach()
    assert page.locator(".live .live__playback:not([hidden])").count() == page.locator(".live").count()
    ended = live.runs()
    slider = live.root.get_by_label("Crash at minute", exact=True)
    slider.fill("8")
    slider.dispatch_event("input")
    slider.dispatch_event("change")
    live.wait_for_runs_after(ended)
    live.to_the_end()
    result = expected("--crash-at", "8")
    assert live.counters() == shown(result["designs"]["stateful"]["timeline"][-1]["counters"])
    minute = last_event_minute(result["designs"]["stateful"])
    assert live.root.locator(".live__event").text_content().startswith(f"Minute {minute}:")
    context.close()


# Runs in the page: what the visible picture shows for these node ids, [status, note] each.
DRAWN = """(picture, ids) => Object.fromEntries(ids.map((id) => {
  const node = picture.querySelector(`[id="${id}"]`);
  return [id, node && [node.dataset.liveStatus, node.querySelector(":scope > .live-note text")?.textContent ?? ""]];
}))"""


def test_every_live_block_draws_exactly_what_its_result_says(browser, site_url: str, built_site) -> None:
    context = browser.new_context()
    page = context.new_page()
    for path, snippet, _, result in live_blocks(built_site):
        page.goto(site_url + path)
        live = Live(page)
        live.root = page.locator(f'.live[data-live-snippet="{snippet}"]')
        live.reach()
        time = live.root.get_by_role("slider", name="Time")
        for view in live.root.locator(".live__views input").evaluate_all("inputs => inputs.map((i) => i.value)"):
            live.root.locator(f'.live__views input[value="{view}"]').check()
            timeline = result["designs"][view]["timeline"]
            moments = sorted({0, len(timeline) - 1, *(i for i, snapshot in enumerate(timeline) if snapshot["events"])})
            for index in moments:
                time.fill(str(index))
                snapshot = timeline[index]
                assert live.visible_servers() == result["designs"][view]["diagram_servers"]
                picture = live.root.locator(".live__view:not([hidden]) .diagram-variant:not([hidden]) svg")
                drawn = picture.evaluate(DRAWN, list(snapshot["nodes"]))
                expected = {node: [state["status"], state["note"]] for node, state in snapshot["nodes"].items()}
                assert drawn == expected, (path, view, snapshot["minute"])
                # Compared as numbers: JSON cannot tell 1.0 from 1, so the page writes "1".
                shown_values = {label: float(text.replace(",", "")) for label, text in live.counters().items()}
                assert shown_values == snapshot["counters"], (path, view, snapshot["minute"])
    context.close()


def test_the_controls_and_the_code_are_one_truth(live: Live) -> None:
    """A slider rewrites its constant in the code; an edit of the constant moves the slider and drives the run."""
    page = live.page
    servers = live.root.get_by_label("Web servers", exact=True)
    servers.fill("5")
    servers.dispatch_event("input")
    live.open_code()
    assert "SERVERS = 5  " in live.editor_text()
    # The reader then edits the constant in the code, and runs it.
    editor = live.block.locator(".cm-content")
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(live.editor_text().replace("SERVERS = 5  ", "SERVERS = 3  "))
    page.wait_for_function("(input) => input.value === '3'", arg=servers.element_handle())
    assert live.root.locator(".live__control output").first.text_content() == "3"
    live.run()
    live.to_the_end()
    result = expected("--servers", "3")
    assert live.visible_servers() == 3
    assert live.counters() == shown(result["designs"]["stateful"]["timeline"][-1]["counters"])
    assert servers.input_value() == "3"
    live.block.get_by_role("button", name="Reset", exact=True).click()
    page.wait_for_function("(input) => input.value === '4'", arg=servers.element_handle())
    live.run()


def test_every_control_shows_a_focus_ring(live: Live) -> None:
    page = live.page
    controls = live.root.locator(".live__views input, .live__controls input, .live__playback :is(button, input), summary")
    assert controls.count() >= 6
    for index in range(controls.count()):
        control = controls.nth(index)
        if not control.is_visible():
            continue
        page.keyboard.press("Shift")  # the reader is on the keyboard, so focus shows (:focus-visible)
        control.focus()
        outline = control.evaluate("e => [getComputedStyle(e).outlineStyle, parseFloat(getComputedStyle(e).outlineWidth)]")
        assert outline[0] != "none" and outline[1] >= 1, control.evaluate("e => e.outerHTML.slice(0, 80)")
