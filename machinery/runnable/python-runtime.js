/*
 * The Python runtime of the runnable blocks: Pyodide in a module Web Worker
 * (python-worker.js), one for the whole browsing session, shared by every block on every
 * page. A run never blocks the page.
 *
 * Stop must be quick. Where the page is cross-origin isolated it interrupts Python with a
 * KeyboardInterrupt through shared memory. Elsewhere (GitHub Pages cannot send the
 * headers) the worker has to be thrown away, and loading a new one takes seconds; so a run
 * that lasts longer than a second gets a spare interpreter loading beside it, and Stop
 * swaps it in at once.
 */

const WORKER_URL = new URL("python-worker.js", import.meta.url);
// After Stop, how long a KeyboardInterrupt may take before the worker is replaced.
const INTERRUPT_GRACE_MS = 500;
// A run still going after this long may be stopped: prepare a spare interpreter.
const SPARE_AFTER_MS = 1000;
const SIGINT = 2;

/** One Pyodide in one worker. `ready` settles when it has loaded (or failed to). */
class Interpreter {
  constructor(interruptSignal, onMessage, onLost) {
    this.worker = new Worker(WORKER_URL, { type: "module", name: "python" });
    this.ready = new Promise((resolve, reject) => {
      this.worker.onmessage = ({ data }) => {
        if (data.type === "ready") resolve();
        else if (data.type === "failed") reject(new Error(data.message));
        else onMessage(data);
      };
      this.worker.onerror = (event) => reject(new Error(event.message || "the Python worker did not start"));
    });
    this.ready.catch((error) => onLost(this, error.message));
    this.worker.postMessage({ type: "init", interruptSignal });
  }

  terminate() {
    this.worker.terminate();
  }
}

export class PythonRuntime {
  constructor() {
    // Shared memory is allowed only on cross-origin isolated pages.
    this.interruptSignal = globalThis.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : null;
    this.active = null;
    this.spare = null;
    this.current = null;
    this.restarted = false; // the active interpreter replaced one that was stopped or broke
    this.loaded = false;
  }

  /** Start loading an interpreter unless one is loaded or loading (a reader's first intent). */
  start() {
    if (!this.active) this.activate(this.interpreter());
  }

  interpreter() {
    const interpreter = new Interpreter(
      this.interruptSignal,
      (message) => interpreter === this.active && this.receive(message),
      (lost, reason) => this.lose(lost, reason),
    );
    return interpreter;
  }

  activate(interpreter) {
    this.active = interpreter;
    this.loaded = false;
    interpreter.ready.then(() => interpreter === this.active && (this.loaded = true), () => {});
  }

  /** What a waiting run should say: loading for the first time, restarting, or nothing (ready). */
  get waiting() {
    if (this.loaded) return null;
    return this.restarted ? "Restarting Python…" : "Loading Python…";
  }

  receive(message) {
    if (message.type === "output") this.current?.onOutput(message);
    else if (message.type === "done") this.finishRun(message);
  }

  lose(interpreter, reason) {
    if (interpreter === this.spare) this.spare = null;
    if (interpreter !== this.active) return;
    interpreter.terminate();
    this.active = null; // the next Run tries again
    this.loaded = false;
    this.finish({ status: "error", loadError: reason });
  }

  finishRun(outcome) {
    this.finish(outcome);
    if (outcome.fatal || outcome.restart) this.replace();
  }

  /**
   * Run code; resolves with {status, traceback, exit_code, hint?, result?, reason, seconds}.
   * A run already going is stopped first: the worker runs one program at a time.
   */
  async run({ code, filename, args, timeLimit, owner, onStart, onOutput }) {
    if (this.current) await this.stop("superseded");
    this.start();
    let resolve;
    const done = new Promise((settle) => (resolve = settle));
    const run = { owner, onOutput, resolve, done, started: false, reason: null };
    this.current = run;
    const interpreter = this.active;
    interpreter.ready.then(
      () => this.current === run && interpreter === this.active && this.post(run, { code, filename, args }, timeLimit, onStart),
      () => {},
    );
    return done;
  }

  post(run, request, timeLimit, onStart) {
    run.started = true;
    run.startedAt = performance.now();
    if (this.interruptSignal) Atomics.store(this.interruptSignal, 0, 0);
    else run.spareTimer = setTimeout(() => (this.spare ??= this.interpreter()), SPARE_AFTER_MS);
    this.active.worker.postMessage({ type: "run", ...request });
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
    this.replace();
  }

  /** Throw the active interpreter away; the spare (loaded or loading) takes its place. */
  replace() {
    this.active.terminate();
    this.activate(this.spare ?? this.interpreter());
    this.spare = null;
    this.restarted = true;
  }

  finish(outcome) {
    const run = this.current;
    if (!run) return;
    this.current = null;
    clearTimeout(run.timeLimitTimer);
    clearTimeout(run.graceTimer);
    clearTimeout(run.spareTimer);
    const seconds = run.started ? (performance.now() - run.startedAt) / 1000 : 0;
    run.resolve({ ...outcome, reason: run.reason, seconds });
  }
}

let runtime = null;

/** The runtime of this browsing session, created on first use. */
export const sharedRuntime = () => (runtime ??= new PythonRuntime());

/** The runtime if a block has used it, for letting go of a run without creating one. */
export const existingRuntime = () => runtime;
