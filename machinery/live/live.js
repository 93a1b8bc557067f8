/*
 * Live diagrams: every ```live block (div.live, live.html) replays a
 * simulation's timeline on its architecture pictures.
 *
 * A result (the build's, fetched when the block comes near, then that of every run) has,
 * for each design, the number of servers its picture needs and a list of snapshots: for each
 * diagram node its status and a short note, plus counters and the minute's events (see
 * snippets/sessionlab.py). This file only draws them: a node's status becomes its
 * data-live-status (styled in live.css), its note a label on the picture, its share of
 * the traffic the weight of the load balancer's edge to it. It computes nothing.
 *
 * The controls and the code are one truth. Each control stands for a constant at the top
 * of the snippet (data-live-constant, e.g. SERVERS): moving it rewrites that line in the
 * editor, and editing the line moves it. Everything goes through the block's runnable
 * widget, by its events (see runnable.js): "runnable:set" rewrites a constant,
 * "runnable:change" reports edits, "runnable:run" runs the code as it stands, and
 * "runnable:result" brings the new result. site.js mounts this component on every page.
 */

import { fetchDeferred, fillDeferred, mounter, unpack, whenNear } from "../mount.js";

// Playing a timeline takes about this long, whatever its length, at no more than this pace.
const PLAY_MS = 12_000;
const SLOWEST_STEP_MS = 300;
const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");
// Fetching the build's result (deferred.py) and drawing it wait until the block is this
// close to the viewport: a long page full of pictures then opens as fast as one without them.
const NEAR = "100% 0px";

class LiveDiagram {
  constructor(root) {
    this.root = root;
    this.runnable = root.querySelector(".runnable");
    this.views = new Map([...root.querySelectorAll(".live__view")].map((view) => [view.dataset.liveView, view]));
    this.view = this.views.keys().next().value;
    this.notice = root.querySelector(".live__notice");
    this.event = root.querySelector(".live__event");
    this.readout = root.querySelector(".live__readout");
    this.counters = root.querySelector(".live__counters");
    this.scrub = root.querySelector(".live__scrub");
    this.time = root.querySelector(".live__time");
    this.playButton = root.querySelector(".live__play");
    this.inputs = [...root.querySelectorAll(".live__controls input")];
    this.timer = null;
    this.waiting = 0;
    this.wire();
    for (const part of root.querySelectorAll(".live__readout, .live__playback, .live__controls")) part.hidden = false;
    root.querySelector(".live__views").hidden = this.views.size < 2;
    this.result = null;
    this.forgetNearness = whenNear(root, NEAR, () => this.showBuildResult());
  }

  /** The build's result, fetched once (deferred.py). */
  fetchBuildResult() {
    this.buildResult ??= fetchDeferred(this.root.dataset.liveResult).then(JSON.parse);
    return this.buildResult;
  }

  /**
   * The pictures not shown at load (deferred.py), fetched and put in the page once. Only
   * another design or another server count needs them, so a block that merely comes near
   * does not make the page parse them.
   */
  fillPictures() {
    this.pictures ??= fillDeferred(this.root);
    return this.pictures;
  }

  /** Whether the picture of `design` in view `key` is in the page already. */
  hasPicture(key, design) {
    const variant = this.views.get(key).querySelector(`.diagram-variant[data-servers="${design.diagram_servers}"]`);
    return variant !== null && !variant.querySelector("template[data-src]");
  }

  /** The build's result, at its end: shown when the block comes near, unless a run's came first. */
  async showBuildResult() {
    await this.whileBusy(async () => {
      const result = await this.fetchBuildResult();
      if (!this.hasPicture(this.view, result.designs[this.view])) await this.fillPictures();
      if (!this.result && !this.disposed) this.load(result, { play: false });
    });
  }

  /** A run's result, played once the pictures it may need are in the page. */
  async showRunResult(result) {
    await this.whileBusy(async () => {
      await this.fillPictures();
      if (!this.disposed) this.load(result, { play: true });
    });
  }

  /**
   * While a result waits for its files, the readout is marked aria-busy, which tells a
   * screen reader it is being updated (https://www.w3.org/TR/wai-aria-1.2/#aria-busy). A
   * test waits for it to go too: the run has ended by then, but its result is not drawn.
   */
  async whileBusy(draw) {
    this.waiting += 1;
    this.readout.setAttribute("aria-busy", "true");
    try {
      await draw();
    } catch (error) {
      this.cannotReplay(error);
    } finally {
      this.waiting -= 1;
      if (this.waiting === 0) this.readout.removeAttribute("aria-busy");
    }
  }

  cannotReplay(error) {
    if (!this.disposed) this.say(`The pictures cannot be replayed: ${error.message}. Reload the page to try again.`);
  }

  wire() {
    const on = (selector, type, handler) => this.root.querySelector(selector)?.addEventListener(type, handler);
    on(".live__back", "click", () => this.step(-1));
    on(".live__forward", "click", () => this.step(1));
    on(".live__play", "click", () => (this.timer || this.playWhenLoaded ? this.pause() : this.play()));
    on(".live__views", "change", (event) => this.showView(event.target.value));
    this.scrub.addEventListener("input", () => {
      this.pause();
      this.index = Number(this.scrub.value);
      this.render();
    });
    for (const input of this.inputs) {
      input.addEventListener("input", () => this.setConstant(input));
      input.addEventListener("change", () => this.runAgain());
    }
    // Touching a control is an intent to run: let Python start loading.
    for (const type of ["pointerenter", "focusin"]) {
      this.root.querySelector(".live__controls")?.addEventListener(type, () => this.ask("runnable:prepare"), { passive: true });
    }
    this.runnable.addEventListener("runnable:change", (event) => this.followCode(event.detail.constant));
    this.runnable.addEventListener("runnable:result", (event) => this.showRunResult(event.detail.result));
    this.runnable.addEventListener("runnable:end", (event) => this.afterRun(event.detail.status));
  }

  ask(type, detail) {
    this.runnable.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** A control moved: write its value into the code, where the run will read it. */
  setConstant(input) {
    showValue(input, input.value);
    this.ask("runnable:set", { name: input.dataset.liveConstant, value: Number(input.value) });
  }

  /** The code changed: each control shows the value its constant now has. */
  followCode(constant) {
    for (const input of this.inputs) {
      const value = constant(input.dataset.liveConstant);
      if (value === null) continue; // the line is being edited, or gone: the run will say
      if (value >= Number(input.min) && value <= Number(input.max)) input.value = String(value);
      showValue(input, value);
    }
  }

  /** Show a result: at its end, or played from its start after a run (unless motion is reduced). */
  load(result, { play }) {
    if (!this.canShow(result)) {
      this.say("This run's result has no timeline for these pictures, so they still show the previous run.");
      return;
    }
    this.stopTimer();
    this.result = result;
    this.say("");
    const animate = play && !reducedMotion.matches;
    this.index = animate ? 0 : Infinity;
    this.render();
    if (animate) this.play();
  }

  canShow(result) {
    return [...this.views.keys()].every((key) => Array.isArray(result?.designs?.[key]?.timeline) && result.designs[key].timeline.length > 0);
  }

  get timeline() {
    return this.result.designs[this.view].timeline;
  }

  /** Another design: shown once its picture is in the page. If it cannot be, the choice goes back. */
  async showView(key) {
    if (this.result && !this.hasPicture(key, this.result.designs[key])) {
      try {
        await this.fillPictures();
      } catch (error) {
        this.root.querySelector(`.live__views input[value="${this.view}"]`).checked = true;
        return this.cannotReplay(error);
      }
    }
    if (this.disposed) return;
    this.view = key;
    this.render();
  }

  render() {
    if (!this.result) return this.showBuildResult(); // a control used before the block came near
    const design = this.result.designs[this.view];
    const last = this.timeline.length - 1;
    this.index = Math.max(0, Math.min(this.index, last));
    const snapshot = this.timeline[this.index];
    for (const [key, view] of this.views) view.hidden = key !== this.view;
    const picture = this.showPicture(unpack(this.views.get(this.view)), design.diagram_servers);
    if (picture) paint(picture, snapshot);
    this.showCounters(snapshot.counters);
    this.showLatestEvent();
    this.scrub.max = String(last);
    this.scrub.value = String(this.index);
    this.scrub.setAttribute("aria-valuetext", `minute ${snapshot.minute}`);
    this.time.textContent = `Minute ${snapshot.minute} of ${this.timeline[last].minute}`;
    this.root.dataset.liveMinute = String(snapshot.minute);
  }

  /** Reveal the picture drawn for this many servers; say so if there is none. */
  showPicture(view, servers) {
    const variants = [...view.querySelectorAll(".diagram-variant")];
    for (const variant of variants) variant.hidden = Number(variant.dataset.servers) !== servers;
    for (const variant of variants.filter((shown) => !shown.hidden)) unpack(variant);
    const picture = view.querySelector(`.diagram-variant[data-servers="${servers}"] svg`);
    if (!picture) {
      const counts = variants.map((variant) => Number(variant.dataset.servers));
      this.say(`The pictures are drawn for ${counts[0]} to ${counts.at(-1)} servers; this run has ${servers}, so none is shown.`);
    }
    view.querySelector("figure").hidden = !picture;
    return picture;
  }

  showCounters(counters) {
    showCounters(this.counters, counters);
  }

  /** The last thing that happened up to the current minute (announced once, when it changes). */
  showLatestEvent() {
    const happened = this.timeline.slice(0, this.index + 1).findLast((snapshot) => snapshot.events.length > 0);
    const text = happened ? `Minute ${happened.minute}: ${happened.events.map((event) => event.text).join(" ")}` : "Nothing has happened yet.";
    if (this.event.textContent !== text) this.event.textContent = text;
  }

  step(by) {
    this.pause();
    this.index += by;
    this.render();
  }

  play() {
    if (!this.result) return this.playOnceLoaded();
    clearInterval(this.timer);
    if (this.index >= this.timeline.length - 1) this.index = 0;
    this.render();
    this.playButton.textContent = "Pause";
    const step = Math.min(SLOWEST_STEP_MS, PLAY_MS / this.timeline.length);
    this.timer = setInterval(() => {
      if (this.index >= this.timeline.length - 1) return this.pause();
      this.index += 1;
      this.render();
    }, step);
  }

  /** Play pressed before the block's data arrived: play when it has, unless Pause comes first. */
  async playOnceLoaded() {
    this.playWhenLoaded = true;
    this.playButton.textContent = "Pause";
    await this.showBuildResult();
    const wanted = this.playWhenLoaded; // false if Pause came meanwhile
    this.playWhenLoaded = false;
    if (wanted && this.result) this.play();
    else if (wanted) this.stopTimer(); // nothing came to play: the button says Play again
  }

  /** The reader's Pause (or the timeline's end): also cancels a Play waiting for the data. */
  pause() {
    this.playWhenLoaded = false;
    this.stopTimer();
  }

  stopTimer() {
    clearInterval(this.timer);
    this.timer = null;
    this.playButton.textContent = "Play";
  }

  say(text) {
    this.notice.textContent = text;
    this.notice.hidden = !text;
  }

  /** Run the code as it stands, with the block's own args (after the run under way, if any). */
  runAgain() {
    this.ask("runnable:run");
  }

  afterRun(status) {
    if (status !== "done") {
      this.say(`The run ${status === "stopped" ? "was stopped" : "failed (see its output below)"}: the pictures still show the previous result.`);
    }
  }

  dispose() {
    this.disposed = true; // a fetch still under way draws nothing when it lands
    this.pause();
    this.forgetNearness();
  }
}

/** Draw one snapshot on a picture: statuses, notes and the weight of each server's traffic. */
export function paint(picture, snapshot) {
  const changedNotes = [];
  for (const [id, state] of Object.entries(snapshot.nodes)) {
    const node = picture.querySelector(`[id="${CSS.escape(id)}"]`);
    if (!node) continue;
    node.dataset.liveStatus = state.status;
    if (setNote(node, state.note)) changedNotes.push(node);
    const edge = picture.querySelector(`[id="edge-lb-${CSS.escape(id)}"]`);
    if (edge) {
      edge.dataset.liveTraffic = state.traffic > 0 ? "some" : "none";
      edge.style.setProperty("--live-traffic", String(state.traffic));
    }
  }
  fitPlates(changedNotes);
  // Plates fitted to a stand-in font would not fit the diagram font once it arrives.
  if (changedNotes.length && !document.fonts.check(NOTE_FONT)) document.fonts.load(NOTE_FONT).then(() => fitPlates(changedNotes));
}

// The pictures' text (diagram.css), which the notes' plates are fitted to.
const NOTE_FONT = '12px "Noto Sans"';

/** Each note's plate to the size of its text: all measured after every text is written, so the browser lays the picture out once. */
function fitPlates(nodes) {
  const sizes = nodes.map((node) => note(node).label.getBBox());
  nodes.forEach((node, index) => fitPlate(note(node).plate, sizes[index]));
}

const SVG = "http://www.w3.org/2000/svg";

/**
 * A node's note ("512 sessions"): created once, then updated; hidden while empty. It goes in
 * the room its picture keeps for it, an empty <text class="live-note-slot"> that Graphviz
 * sized for the widest note (diagrams/_style.py), so it covers nothing; on a node without
 * that room, one line under its label. Returns whether its text changed (its plate must then
 * be fitted to it).
 */
function setNote(node, text) {
  const { group, label } = note(node);
  group.style.display = text ? "" : "none";
  if (label.textContent === text) return false;
  label.textContent = text;
  return Boolean(text);
}

function note(node) {
  const group = node.querySelector(":scope > .live-note") ?? createNote(node);
  const [plate, label] = group.children;
  return { group, plate, label };
}

function fitPlate(plate, size) {
  for (const [name, value] of Object.entries({ x: size.x - 3, y: size.y, width: size.width + 6, height: size.height })) {
    plate.setAttribute(name, String(value));
  }
}

function createNote(node) {
  const note = document.createElementNS(SVG, "g");
  note.setAttribute("class", "live-note");
  const plate = note.appendChild(document.createElementNS(SVG, "rect"));
  plate.setAttribute("rx", "3");
  const label = note.appendChild(document.createElementNS(SVG, "text"));
  const [x, y] = notePlace(node);
  label.setAttribute("x", x);
  label.setAttribute("y", y);
  return node.appendChild(note);
}

// A line of the pictures' text: LINE_HEIGHT in diagrams/_style.py.
const LINE_HEIGHT = 17;

/** Where a note's text starts: in the room kept for it, or else a line under the label. */
function notePlace(node) {
  const slot = node.querySelector(":scope > .live-note-slot");
  if (slot) return [slot.getAttribute("x"), slot.getAttribute("y")];
  const lastLine = [...node.querySelectorAll(":scope > text")].at(-1);
  return [lastLine.getAttribute("x"), String(Number(lastLine.getAttribute("y")) + LINE_HEIGHT)];
}

/** Counters into a <dl>: one <div> per counter, so a label and its value never wrap apart. */
export function showCounters(list, counters) {
  const rows = Object.entries(counters).map(([label, value]) => {
    const row = document.createElement("div");
    row.append(element("dt", label), element("dd", typeof value === "number" ? formatNumber(value) : String(value)));
    return row;
  });
  list.replaceChildren(...rows);
}

/** A control's number beside it, which may lie outside the slider's range (set in the code). */
function showValue(input, value) {
  input.nextElementSibling.textContent = formatNumber(Number(value));
}

/**
 * 12345.678 as "12,345.678", as en-US writes numbers (at most three decimals). Written out
 * because starting up Intl's number formatting costs a page more than it draws.
 */
function formatNumber(value) {
  const [whole, fraction] = String(Math.round(value * 1000) / 1000).split(".");
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (fraction ? `.${fraction}` : "");
}

function element(tag, text) {
  const node = document.createElement(tag);
  node.textContent = text;
  return node;
}

export const mount = mounter(".live", (block) => new LiveDiagram(block));
