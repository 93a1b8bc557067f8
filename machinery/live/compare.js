/*
 * A ```live block with `compare:` (div.live-compare, compare.html): its designs side by
 * side at the same minute, the moment before something happens; one button plays them all
 * on to the end, so the reader sees what each design lost. It replays the build's result
 * and draws it with live.js's own painting; it runs no Python. site.js mounts it.
 */

import { mounter } from "../mount.js";
import { paint, showCounters } from "./live.js";

const STEP_MS = 350;
const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");

class Comparison {
  constructor(root) {
    this.root = root;
    this.result = JSON.parse(root.dataset.liveResult);
    this.start = Number(root.dataset.liveStart);
    this.shownCounters = JSON.parse(root.dataset.liveCounters);
    this.views = [...root.querySelectorAll(".live-compare__view")];
    this.event = root.querySelector(".live__event");
    this.button = root.querySelector(".live-compare__play");
    this.label = this.button.textContent;
    this.button.hidden = false;
    this.button.addEventListener("click", () => (this.played ? this.show(this.start) : this.play()));
    this.draw(this.start);
  }

  timeline(view) {
    return this.result.designs[view.dataset.liveView].timeline;
  }

  get end() {
    return Math.max(...this.views.map((view) => this.timeline(view).at(-1).minute));
  }

  show(minute) {
    clearInterval(this.timer);
    this.draw(minute);
  }

  /** Every design at this minute (or its last one, if its timeline is shorter). */
  draw(minute) {
    this.minute = minute;
    for (const view of this.views) {
      const timeline = this.timeline(view);
      const snapshot = timeline.findLast((entry) => entry.minute <= minute) ?? timeline[0];
      paint(view.querySelector(".diagram-variant:not([hidden]) svg"), snapshot);
      const counters = Object.fromEntries(this.shownCounters.map((label) => [label, snapshot.counters[label]]));
      showCounters(view.querySelector(".live__counters"), counters);
    }
    this.played = minute >= this.end;
    this.button.textContent = this.played ? "Back to before" : this.label;
    this.root.dataset.liveMinute = String(minute);
    this.sayLatestEvent(minute);
  }

  play() {
    if (reducedMotion.matches) return this.show(this.end);
    this.draw(this.minute + 1);
    this.timer = setInterval(() => (this.minute >= this.end ? clearInterval(this.timer) : this.draw(this.minute + 1)), STEP_MS);
  }

  /** The first design's latest events, which the pictures share (the same crash, say). */
  sayLatestEvent(minute) {
    const happened = this.timeline(this.views[0]).findLast((entry) => entry.minute <= minute && entry.events.length);
    const text = happened ? `Minute ${happened.minute}: ${happened.events.map((event) => event.text).join(" ")}` : "";
    if (this.event.textContent !== text) this.event.textContent = text;
  }

  dispose() {
    clearInterval(this.timer);
  }
}

export const mount = mounter(".live-compare", (block) => new Comparison(block));
