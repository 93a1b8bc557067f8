/*
 * Runnable Python blocks: every ```runnable block (div.runnable, runnable.html) becomes a
 * code editor with Run, Stop and Reset; Python runs in a Web Worker (python-runtime.js).
 * site.js mounts this component on every page.
 *
 * Nothing heavy loads with the page. The editor (a chunk of the bundle) is imported once a
 * block comes near the viewport and the browser is idle, or at once when the reader
 * reaches for a block (pointer, touch or keyboard focus on it); that same intent starts
 * Python loading, and Run does if nothing did before. An editor whose block moves away
 * rests: the plain code shows in its place, and the page keeps only the editors near the
 * reader in its DOM.
 *
 * The events of a block's container (div.runnable), for other components (live.js):
 *
 *   "runnable:prepare"  Dispatch it when the reader shows an intent to run the block from
 *                       elsewhere (e.g. touches a slider that will run it): the editor
 *                       and Python start loading.
 *
 *   "runnable:run"      Dispatch it with detail {args: [...]} to run the editor's current
 *                       code with sys.argv = [file name, ...args], as if the reader pressed
 *                       Run (without detail.args, the block's own args). If this block is
 *                       running, the request waits for that run to end; a later request
 *                       replaces a waiting one.
 *
 *   "runnable:set"      Dispatch it with detail {name: "SERVERS", value: 5} to rewrite the
 *                       number a line `SERVERS = 4` at the start of a line of the code sets
 *                       (one undoable edit, as if the reader had typed it).
 *
 *   "runnable:change"   After the reader (or "runnable:set") edits the code, the container
 *                       dispatches a bubbling CustomEvent with detail {constant(name)}: the
 *                       number the code now sets for a constant, or null.
 *
 *   "runnable:result"   After a run that ends normally, if the program's __main__ has a
 *                       global named `result` that is JSON-serialisable, the container
 *                       dispatches a bubbling CustomEvent with detail {result}, parsed.
 *
 *   "runnable:end"      After every run, however it ended, the container dispatches a
 *                       bubbling CustomEvent with detail {status}: "done", "error" or
 *                       "stopped".
 */

import { mounter, watchNear } from "../mount.js";
import { OutputView } from "./output-view.js";
import { existingRuntime, sharedRuntime } from "./python-runtime.js";

// Import the editor when a block is this close to the viewport (and the browser is idle);
// an editor further away rests (editor.js), so only the blocks near the reader cost the
// page their editors' elements.
const NEAR = "600px 0px";
const INTENT_EVENTS = ["pointerenter", "touchstart", "focusin", "runnable:prepare"];

const STOP_MESSAGES = {
  stop: (seconds) => (seconds > 0 ? `Stopped after ${formatSeconds(seconds)}` : "Stopped"),
  "time-limit": (seconds, limit) => `Stopped: the run exceeded the ${limit} s time limit`,
  superseded: () => "Stopped: another run started",
  navigation: () => "Stopped",
};

let editorModule = null;
const loadEditor = () => (editorModule ??= import("./editor.js"));

/** One ```runnable block: editor, buttons, status and output. */
class RunnableWidget {
  constructor(block) {
    this.block = block;
    this.file = block.dataset.runnableFile;
    this.timeLimit = Number(block.dataset.runnableTimeLimit); // seconds, resolved by the build
    this.args = JSON.parse(block.dataset.runnableArgs || "[]");
    this.staticCode = block.querySelector(".runnable__code");
    this.fileCode = withFinalNewline(this.staticCode.querySelector("pre code").textContent);
    this.output = new OutputView(block.querySelector(".runnable__output"));
    this.editor = null;
    this.editorReady = null;
    this.buildControls();
    this.setState("idle", "Output printed when the site was built");
    this.listen();
    // A block that comes near the viewport gets its editor once the browser is idle, and
    // wakes it when it comes back; one that moves away lets it rest.
    this.forgetNearness = watchNear(block, NEAR, (near) => {
      this.near = near;
      if (!near) this.rest();
      else if (this.editor) this.wake();
      else whenIdle(() => this.ensureEditor());
    });
  }

  listen() {
    this.onIntent = () => this.prepare();
    for (const type of INTENT_EVENTS) this.block.addEventListener(type, this.onIntent, { passive: true });
    this.onRunEvent = (event) => this.requestRun(Array.isArray(event.detail?.args) ? event.detail.args.map(String) : this.args);
    this.block.addEventListener("runnable:run", this.onRunEvent);
    this.onSetEvent = (event) => this.setConstant(event.detail.name, event.detail.value);
    this.block.addEventListener("runnable:set", this.onSetEvent);
    // An editor drawn inside a closed <details> measures itself again once shown (a resting
    // one is drawn afresh as it comes near).
    this.onToggle = () => this.editor?.remeasure();
    this.block.closest("details")?.addEventListener("toggle", this.onToggle);
    // An editor the reader scrolled far away from while typing in it rests once they leave
    // the block (after the focus has moved: until then the editor still holds it).
    this.onFocusOut = (event) => {
      if (this.block.contains(event.relatedTarget)) return; // Escape, on to Run: still here
      this.focusOutTimer = setTimeout(() => this.near === false && this.rest());
    };
    this.block.addEventListener("focusout", this.onFocusOut);
  }

  buildControls() {
    const id = `runnable-${this.file.replace(/\W/g, "-")}-${Math.random().toString(36).slice(2, 8)}`;
    this.editorHost = element("div", { className: "runnable__editor" });
    const hint = element("p", { className: "runnable__hint", id: `${id}-hint` });
    hint.innerHTML =
      "<kbd>Tab</kbd> indents. <kbd>Esc</kbd> or <kbd>Shift</kbd>+<kbd>Tab</kbd> leaves the editor. " +
      "<kbd>Ctrl</kbd>+<kbd>Enter</kbd> runs.";
    this.hintId = hint.id;
    this.runButton = button("Run", "runnable__run", () => this.run(this.args));
    this.stopButton = button("Stop", "runnable__stop", () => this.stop());
    this.resetButton = button("Reset", "runnable__reset", () => this.reset());
    this.status = element("span", { className: "runnable__status", role: "status" });
    const toolbar = element("div", { className: "runnable__toolbar" });
    toolbar.append(this.runButton, this.stopButton, this.resetButton, this.status);
    // The editor takes the place of the plain <pre>, under the file name.
    this.staticPre = this.staticCode.querySelector("pre");
    this.staticPre.after(this.editorHost);
    this.staticCode.after(hint, toolbar);
  }

  /** The reader reached for the block: load the editor and start Python. */
  prepare() {
    this.ensureEditor();
    sharedRuntime().start();
  }

  ensureEditor() {
    this.editorReady ??= loadEditor().then(({ createEditor }) => this.attachEditor(createEditor));
    return this.editorReady;
  }

  attachEditor(createEditor) {
    if (!this.block.isConnected) return;
    const readerWasHere = this.staticPre.contains(document.activeElement);
    this.editor = createEditor({
      parent: this.editorHost,
      code: this.fileCode,
      label: `Python code of ${this.file}, editable`,
      describedBy: this.hintId,
      onRun: () => this.run(this.args),
      onLeave: () => this.runButton.focus(),
      onChange: () => this.changed(),
    });
    this.handOver(readerWasHere);
    // Loaded for a block out of sight (a slider of a live block whose code is folded away).
    if (this.near === false) this.rest();
  }

  /**
   * The editor lets go of its elements and the plain <pre> shows its code in the same box,
   * so nothing on the page moves. The editor stays drawn while the reader is in it.
   */
  rest() {
    const { height } = this.editorHost.getBoundingClientRect(); // 0 inside a closed <details>
    if (!this.editor?.rest()) return;
    this.staticPre.querySelector("code").style.height = height ? `${height}px` : "";
    this.showRestingCode();
    this.staticPre.hidden = false;
  }

  showRestingCode() {
    this.staticPre.querySelector("code").textContent = this.editor.code;
  }

  wake() {
    if (!this.editor?.resting) return;
    const readerWasHere = this.staticPre.contains(document.activeElement);
    this.editor.wake();
    this.handOver(readerWasHere);
  }

  /** The drawn editor takes the plain code's place, and the keyboard focus if the reader had it there. */
  handOver(readerWasHere) {
    this.staticPre.hidden = true;
    if (readerWasHere) this.editor.focus();
  }

  /** The code was edited: by the reader, or by "runnable:set" (a slider, perhaps while the editor rests). */
  changed() {
    if (this.editor.resting) this.showRestingCode();
    clearTimeout(this.changeTimer);
    this.changeTimer = setTimeout(() => {
      const detail = { constant: (name) => this.editor.constant(name) };
      this.block.dispatchEvent(new CustomEvent("runnable:change", { bubbles: true, detail }));
    }, 150);
  }

  async setConstant(name, value) {
    await this.ensureEditor();
    this.editor?.setConstant(name, value);
  }

  get code() {
    return this.editor ? this.editor.code : this.fileCode;
  }

  get running() {
    return ["loading", "running"].includes(this.block.dataset.state);
  }

  /** A run asked for by another component: after edits it asked for, and after the run under way. */
  async requestRun(args) {
    await this.ensureEditor().catch(() => {});
    if (this.running) this.queuedArgs = args;
    else this.run(args);
  }

  async run(args) {
    this.queuedArgs = null;
    const token = (this.runToken = {});
    const runtime = sharedRuntime();
    this.output.clear();
    this.setState("loading", runtime.waiting ?? "Starting…");
    const outcome = await runtime.run({
      code: this.code,
      filename: this.file,
      args,
      timeLimit: this.timeLimit,
      owner: this,
      onStart: () => token === this.runToken && this.setState("running", "Running…"),
      onOutput: (message) => token === this.runToken && this.output.show(message),
    });
    if (token !== this.runToken) return;
    this.report(outcome);
    if (this.queuedArgs) this.run(this.queuedArgs);
  }

  stop() {
    const runtime = existingRuntime();
    if (runtime?.current?.owner === this) runtime.stop("stop");
  }

  reset() {
    if (this.editor) this.editor.code = this.fileCode;
  }

  report({ status, traceback, hint, exit_code: exitCode, result, reason, seconds, loadError }) {
    if (traceback) this.output.append("stderr", traceback);
    if (hint) this.output.note(hint);
    const took = formatSeconds(seconds);
    if (loadError) this.setState("error", `Error: the Python runtime failed (${loadError})`);
    else if (status === "stopped") this.setState("stopped", STOP_MESSAGES[reason ?? "stop"](seconds, this.timeLimit));
    else if (status === "error") this.setState("error", traceback ? `Error after ${took}` : `Exited with code ${exitCode} after ${took}`);
    else this.setState("done", `Done in ${took}`);
    if (status === "done" && result !== undefined) {
      this.block.dispatchEvent(new CustomEvent("runnable:result", { bubbles: true, detail: { result } }));
    }
    this.block.dispatchEvent(new CustomEvent("runnable:end", { bubbles: true, detail: { status: loadError ? "error" : status } }));
  }

  setState(state, text) {
    this.block.dataset.state = state;
    this.status.textContent = text;
    // aria-disabled rather than disabled: a disabled button would drop keyboard focus.
    this.stopButton.setAttribute("aria-disabled", String(!this.running));
  }

  dispose() {
    this.runToken = null;
    const runtime = existingRuntime();
    if (runtime?.current?.owner === this) runtime.stop("navigation");
    for (const type of INTENT_EVENTS) this.block.removeEventListener(type, this.onIntent);
    this.block.removeEventListener("runnable:run", this.onRunEvent);
    this.block.removeEventListener("runnable:set", this.onSetEvent);
    this.block.closest("details")?.removeEventListener("toggle", this.onToggle);
    this.block.removeEventListener("focusout", this.onFocusOut);
    clearTimeout(this.focusOutTimer);
    clearTimeout(this.changeTimer);
    this.editor?.destroy();
    this.forgetNearness();
  }
}

function element(tag, properties) {
  return Object.assign(document.createElement(tag), properties);
}

function button(label, className, onClick) {
  const node = element("button", { type: "button", className: `md-button tool-button ${className}`, textContent: label });
  node.addEventListener("click", () => node.getAttribute("aria-disabled") !== "true" && onClick());
  return node;
}

function withFinalNewline(text) {
  return text.endsWith("\n") ? text : `${text}\n`;
}

function formatSeconds(seconds) {
  return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
}

// Safari has no requestIdleCallback.
const whenIdle = (task) => (globalThis.requestIdleCallback ? requestIdleCallback(task, { timeout: 2000 }) : setTimeout(task, 300));

export const mount = mounter(".runnable[data-runnable-file]", (block) => new RunnableWidget(block));
