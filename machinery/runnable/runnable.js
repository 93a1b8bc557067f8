/*
 * Runnable Python blocks: every ```runnable block (div.runnable, runnable.html) becomes a
 * code editor with Run, Stop and Reset. Python is Pyodide, served by the site itself,
 * running in a module Web Worker (python-worker.js) so the page stays responsive however
 * long a run takes. site.js mounts this component on every page.
 *
 * It costs nothing where there is no runnable block: it then fetches nothing. Where there
 * is one, it imports the editor (a chunk of the bundle) at once and starts the worker
 * (which downloads Pyodide) when a block comes near the viewport or on the first Run,
 * whichever comes first.
 *
 * The events of a block's container (div.runnable), for other components (live.js):
 *
 *   "runnable:run"     Dispatch it with detail {args: [...]} to run the editor's current
 *                      code with sys.argv = [file name, ...args], as if the reader pressed
 *                      Run (without detail.args, the block's own args). If this block is
 *                      running, the request waits for that run to end; a later request
 *                      replaces a waiting one.
 *
 *   "runnable:result"  After a run that ends normally, if the program's __main__ has a
 *                      global named `result` that is JSON-serialisable, the container
 *                      dispatches a bubbling CustomEvent with detail {result}, parsed.
 *
 *   "runnable:end"     After every run, however it ended, the container dispatches a
 *                      bubbling CustomEvent with detail {status}: "done", "error" or
 *                      "stopped".
 *
 *   block.dispatchEvent(new CustomEvent("runnable:run", {detail: {args: ["--servers", "5"]}}));
 */

const WORKER_URL = new URL("python-worker.js", import.meta.url);
// Start downloading Python a little before a block scrolls into view.
const PRELOAD_MARGIN = "800px 0px";
// After Stop, how long a KeyboardInterrupt may take before the worker is replaced.
const INTERRUPT_GRACE_MS = 500;
const SIGINT = 2;

const STOP_MESSAGES = {
  stop: (seconds) => (seconds > 0 ? `Stopped after ${formatSeconds(seconds)}` : "Stopped"),
  "time-limit": (seconds, limit) => `Stopped: the run exceeded the ${limit} s time limit`,
  superseded: () => "Stopped: another run started",
  navigation: () => "Stopped",
};

/** The one Python worker of this browsing session, shared by every block on every page. */
class PythonRuntime {
  constructor() {
    // Stop can interrupt Python cleanly (KeyboardInterrupt) only through memory shared with
    // the worker, which browsers allow only on cross-origin isolated pages. Elsewhere
    // (GitHub Pages cannot send the headers) Stop replaces the worker instead.
    this.interruptSignal = globalThis.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : null;
    this.worker = null;
    this.current = null;
  }

  /** Create the worker (which starts loading Pyodide) unless it exists. */
  start() {
    if (this.worker) return;
    const worker = new Worker(WORKER_URL, { type: "module", name: "python" });
    this.worker = worker;
    this.ready = new Promise((resolve, reject) => (this.settleReady = { resolve, reject }));
    this.ready.catch(() => {}); // a failed load is reported to the run that waits for it
    worker.onmessage = ({ data }) => worker === this.worker && this.receive(data);
    worker.onerror = (event) => worker === this.worker && this.fail(event.message || "the Python worker did not start");
    worker.postMessage({ type: "init", interruptSignal: this.interruptSignal });
  }

  receive(message) {
    if (message.type === "ready") this.settleReady.resolve();
    else if (message.type === "failed") this.fail(message.message);
    else if (message.type === "output") this.current?.onOutput(message);
    else if (message.type === "done") this.finishRun(message);
  }

  finishRun(outcome) {
    this.finish(outcome);
    if (outcome.fatal) this.replaceWorker();
  }

  fail(reason) {
    this.settleReady.reject(new Error(reason));
    this.worker.terminate();
    this.worker = null; // the next Run tries again
    if (this.current) this.finish({ status: "error", loadError: reason });
  }

  /**
   * Run code; resolves with {status, traceback, exit_code, result?, reason, seconds}.
   * A run already going is stopped first: the worker runs one program at a time.
   */
  async run({ code, filename, args, timeLimit, owner, onStart, onOutput }) {
    if (this.current) await this.stop("superseded");
    this.start();
    let resolve;
    const done = new Promise((settle) => (resolve = settle));
    const run = { owner, onOutput, resolve, done, started: false, reason: null };
    this.current = run;
    this.ready.then(
      () => this.current === run && this.post(run, { code, filename, args }, timeLimit, onStart),
      () => {},
    );
    return done;
  }

  post(run, request, timeLimit, onStart) {
    run.started = true;
    run.startedAt = performance.now();
    if (this.interruptSignal) Atomics.store(this.interruptSignal, 0, 0);
    this.worker.postMessage({ type: "run", ...request });
    run.timeLimitTimer = setTimeout(() => this.stop("time-limit"), timeLimit * 1000);
    onStart();
  }

  /** End the current run within a second and leave the runtime usable. */
  stop(reason) {
    const run = this.current;
    if (!run) return Promise.resolve();
    run.reason ??= reason;
    if (!run.started) {
      this.finish({ status: "stopped" }); // still waiting for Pyodide: nothing to interrupt
    } else if (this.interruptSignal && !run.graceTimer) {
      Atomics.store(this.interruptSignal, 0, SIGINT);
      // Code that swallows KeyboardInterrupt, or sits in a long C call, gets replaced.
      run.graceTimer = setTimeout(() => this.terminateRun(), INTERRUPT_GRACE_MS);
    } else {
      this.terminateRun();
    }
    return run.done;
  }

  terminateRun() {
    this.finish({ status: "stopped" });
    this.replaceWorker();
  }

  replaceWorker() {
    this.worker.terminate();
    this.worker = null;
    this.start(); // load the next runtime now, so the next Run waits as little as possible
  }

  finish(outcome) {
    const run = this.current;
    if (!run) return;
    this.current = null;
    clearTimeout(run.timeLimitTimer);
    clearTimeout(run.graceTimer);
    const seconds = run.started ? (performance.now() - run.startedAt) / 1000 : 0;
    run.resolve({ ...outcome, reason: run.reason, seconds });
  }
}

let runtime = null;
const sharedRuntime = () => (runtime ??= new PythonRuntime());

/** The output area under a block: streamed stdout and stderr, then how the run ended. */
class OutputView {
  constructor(container) {
    this.container = container;
    container.setAttribute("aria-live", "polite");
  }

  clear() {
    this.pre = document.createElement("pre");
    this.pre.className = "runnable__live";
    this.code = this.pre.appendChild(document.createElement("code"));
    this.code.tabIndex = 0; // long output scrolls: keyboard users must be able to reach it
    this.lastStream = null;
    this.truncated = false;
    this.container.replaceChildren(this.pre);
  }

  show({ chunks, truncated }) {
    for (const { stream, text } of chunks) this.append(stream, text);
    if (truncated && !this.truncated) {
      this.truncated = true;
      const notice = this.container.appendChild(document.createElement("p"));
      notice.className = "runnable__notice";
      notice.textContent = "… output truncated: the run printed too much to show.";
    }
  }

  append(stream, text) {
    if (stream !== this.lastStream) {
      const node = stream === "stderr" ? document.createElement("span") : document.createTextNode("");
      if (stream === "stderr") node.className = "runnable__stderr";
      this.code.appendChild(node);
      this.lastStream = stream;
      this.tail = stream === "stderr" ? node.appendChild(document.createTextNode("")) : node;
    }
    this.tail.appendData(text);
  }
}

/** One ```runnable block: editor, buttons, status and output. */
class RunnableWidget {
  constructor(block, editorModule) {
    this.block = block;
    this.file = block.dataset.runnableFile;
    this.timeLimit = Number(block.dataset.runnableTimeLimit); // seconds, resolved by the build
    this.staticCode = block.querySelector(".runnable__code");
    this.fileCode = withFinalNewline(this.staticCode.querySelector("pre code").textContent);
    this.output = new OutputView(block.querySelector(".runnable__output"));
    this.editor = null;
    block.dataset.runnableReady = "";
    this.buildControls();
    this.setState("idle", "Output printed when the site was built");
    this.args = JSON.parse(block.dataset.runnableArgs || "[]");
    this.onRunEvent = (event) => this.requestRun(Array.isArray(event.detail?.args) ? event.detail.args.map(String) : this.args);
    block.addEventListener("runnable:run", this.onRunEvent);
    editorModule.then(({ createEditor }) => this.attachEditor(createEditor), () => {});
  }

  buildControls() {
    const id = `runnable-${this.file.replace(/\W/g, "-")}-${Math.random().toString(36).slice(2, 8)}`;
    this.editorHost = element("div", { className: "runnable__editor" });
    const hint = element("p", { className: "runnable__hint", id: `${id}-hint` });
    hint.innerHTML = "<kbd>Tab</kbd> indents. <kbd>Esc</kbd> then <kbd>Tab</kbd> leaves the editor. <kbd>Ctrl</kbd>+<kbd>Enter</kbd> runs.";
    this.hintId = hint.id;
    this.runButton = button("Run", "runnable__run", () => this.run(this.args));
    this.stopButton = button("Stop", "runnable__stop", () => this.stop());
    this.resetButton = button("Reset", "runnable__reset", () => this.reset());
    this.status = element("span", { className: "runnable__status", role: "status" });
    const toolbar = element("div", { className: "runnable__toolbar" });
    toolbar.append(this.runButton, this.stopButton, this.resetButton, this.status);
    // The editor takes the place of the highlighted <pre>, under the file name.
    this.staticPre = this.staticCode.querySelector("pre");
    this.staticPre.after(this.editorHost);
    this.staticCode.after(hint, toolbar);
  }

  attachEditor(createEditor) {
    if (!this.block.isConnected) return;
    this.editor = createEditor({
      parent: this.editorHost,
      code: this.fileCode,
      label: `Python code of ${this.file}, editable`,
      describedBy: this.hintId,
      onRun: () => this.run(this.args),
    });
    // The highlighted code stays in the page for readers without JavaScript and for search.
    this.staticPre.hidden = true;
  }

  get code() {
    return this.editor ? this.editor.code : this.fileCode;
  }

  get running() {
    return ["loading", "running"].includes(this.block.dataset.state);
  }

  /** A run asked for by another component: it waits for the run under way, if any. */
  requestRun(args) {
    if (this.running) this.queuedArgs = args;
    else this.run(args);
  }

  async run(args) {
    this.queuedArgs = null;
    const token = (this.runToken = {});
    this.output.clear();
    this.setState("loading", "Loading Python…");
    const outcome = await sharedRuntime().run({
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
    if (runtime?.current?.owner === this) runtime.stop("stop");
  }

  reset() {
    if (this.editor) this.editor.code = this.fileCode;
  }

  report({ status, traceback, exit_code: exitCode, result, reason, seconds, loadError }) {
    if (traceback) this.output.append("stderr", traceback);
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
    const running = state === "loading" || state === "running";
    // aria-disabled rather than disabled: a disabled button would drop keyboard focus.
    this.stopButton.setAttribute("aria-disabled", String(!running));
  }

  dispose() {
    this.runToken = null;
    if (runtime?.current?.owner === this) runtime.stop("navigation");
    this.block.removeEventListener("runnable:run", this.onRunEvent);
    this.editor?.destroy();
    preloader?.unobserve(this.block);
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

// Starts the runtime once any block comes near the viewport.
let preloader = null;

function preloadWhenNear(block) {
  if (runtime?.worker) return;
  preloader ??= new IntersectionObserver(
    (entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      sharedRuntime().start();
      preloader.disconnect();
      preloader = null;
    },
    { rootMargin: PRELOAD_MARGIN },
  );
  preloader.observe(block);
}

const widgets = new Set();

/** Set up the blocks of the page now shown; let go of those of the page left behind. */
export function mount(root) {
  for (const widget of widgets) {
    if (widget.block.isConnected) continue;
    widget.dispose();
    widgets.delete(widget);
  }
  const blocks = root.querySelectorAll(".runnable[data-runnable-file]:not([data-runnable-ready])");
  if (blocks.length === 0) return;
  const editorModule = import("./editor.js");
  for (const block of blocks) {
    widgets.add(new RunnableWidget(block, editorModule));
    preloadWhenNear(block);
  }
}
