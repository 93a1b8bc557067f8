/*
 * The Python runtime of the ```runnable blocks: Pyodide in a module Web Worker, so a long
 * run never blocks the page. python-runtime.js creates this worker when a reader first
 * reaches for a runnable block, and talks to it with messages:
 *
 *   page -> worker  {type: "init", interruptSignal}  an Int32Array on a SharedArrayBuffer
 *                                                    when the page is cross-origin isolated,
 *                                                    else null (then Stop terminates us)
 *                   {type: "run", code, filename, args}
 *   worker -> page  {type: "ready"}  or  {type: "failed", message}
 *                   {type: "output", chunks: [{stream, text}], truncated}
 *                   {type: "done", status, traceback, exit_code, hint?, restart?, result?, fatal?}
 *
 * What a run means in Python (sys.argv, __main__, importable snippets, tracebacks, the
 * `result` global) lives in python_runner.py, and fetching what Python imports for the
 * first time (the rest of the standard library, the snippets) in on_demand.py; this file
 * only loads and moves messages.
 */

const SETTINGS_URL = new URL("runnable.json", import.meta.url);
// Loaded into Pyodide at start-up: what a run means, and the modules fetched on first import.
const PYTHON_FILES = ["python_runner.py", "on_demand.py"];

// Output past these limits is dropped, so a runaway print loop cannot flood the page.
const OUTPUT_LIMIT = { lines: 2000, characters: 200_000 };
// Every write is posted at once until a window holds this many posts; a flood of small
// writes is then merged into one message per window, which keeps the page responsive.
const POSTS_PER_WINDOW = 20;
const WINDOW_MS = 50;

let runtime = null;
let runs = Promise.resolve();

self.onmessage = ({ data }) => {
  if (data.type === "init") {
    runtime = startRuntime(data.interruptSignal);
  } else if (data.type === "run") {
    // One run at a time, in order: the page never sends a second before the first is done.
    runs = runs.then(() => run(data));
  }
};

async function startRuntime(interruptSignal) {
  try {
    const settings = await fetchOk(SETTINGS_URL).then((response) => response.json());
    const indexURL = siteURL(settings.pyodide_url);
    // The site's Python files download while Pyodide boots.
    const sources = Promise.all(PYTHON_FILES.map((name) => fetchOk(siteURL(name)).then((response) => response.text())));
    const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
    // The standard library is the site's own cut (stdlib.py), and the lock file one
    // without packages: the site installs none, so Pyodide's own would be 26 KiB for nothing.
    const pyodide = await untilWasmFails(
      loadPyodide({ indexURL, env: settings.env, stdLibURL: siteURL(settings.stdlib_url), lockFileContents: settings.lock_file }),
    );
    if (interruptSignal) pyodide.setInterruptBuffer(interruptSignal);
    pyodide.setStdout(streamWriter("stdout"));
    pyodide.setStderr(streamWriter("stderr"));
    // No one can type into a worker: input() ends with EOFError instead of waiting forever.
    pyodide.setStdin({ stdin: () => null });
    const [runnerSource, onDemandSource] = await sources;
    const runner = runModule(pyodide, "python_runner", runnerSource);
    runner.get("install_snippets")("{}"); // the snippets' folder, first on sys.path; on_demand.py fills it
    installOnDemand(pyodide, runModule(pyodide, "on_demand", onDemandSource), settings.on_demand, runner.get("SNIPPETS_DIR"));
    // What the site's runs import beyond start-up (stdlib.py), imported now: the first run of
    // a fresh interpreter, a spare that Stop swapped in above all, is then as quick as any.
    for (const name of settings.warm_imports) pyodide.pyimport(name).destroy();
    postMessage({ type: "ready" });
    return runner.get("run_request");
  } catch (error) {
    postMessage({ type: "failed", message: String(error?.message ?? error) });
    throw error;
  }
}

function siteURL(relative) {
  return new URL(relative, SETTINGS_URL).href;
}

/** Run a Python file of the site in a namespace of its own; returns that namespace. */
function runModule(pyodide, name, source) {
  const namespace = pyodide.toPy({ __name__: name });
  pyodide.runPython(source, { globals: namespace, filename: `${name}.py` });
  return namespace;
}

/** Let Python fetch the rest of the standard library and the snippets when it imports them. */
function installOnDemand(pyodide, onDemand, settings, snippetsFolder) {
  const urls = { ...settings, rest_url: siteURL(settings.rest_url), snippets_url: siteURL(settings.snippets_url) };
  const download = (url, path) => pyodide.FS.writeFile(path, downloadNow(url));
  onDemand.get("install")(download, pyodide.toPy(urls), snippetsFolder);
}

// An import statement cannot wait for a promise, and a worker may block: a synchronous request.
function downloadNow(url) {
  const request = new XMLHttpRequest();
  request.open("GET", url, false);
  request.responseType = "arraybuffer";
  request.send();
  if (request.status !== 200) throw new Error(`${url} answered ${request.status}`);
  return new Uint8Array(request.response);
}

// Pyodide reports a failed download or compile of pyodide.asm.wasm only with console.warn,
// and its loadPyodide() then never settles: without this the page would wait forever.
async function untilWasmFails(loading) {
  const warn = console.warn;
  const failure = new Promise((_, reject) => {
    console.warn = (...args) => {
      warn(...args);
      if (args[0] === "wasm instantiation failed!") reject(new Error("pyodide.asm.wasm did not load"));
    };
  });
  try {
    return await Promise.race([loading, failure]);
  } finally {
    console.warn = warn;
  }
}

async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response;
}

async function run({ code, filename, args }) {
  let runRequest;
  try {
    runRequest = await runtime;
  } catch {
    return; // the page was told with a "failed" message
  }
  output.reset();
  let outcome;
  try {
    outcome = JSON.parse(runRequest(JSON.stringify({ code, filename, args })));
  } catch (error) {
    // An interrupt that lands outside the reader's code surfaces here as a Python error.
    // Anything else (os._exit(), a crash of the interpreter) leaves Pyodide unusable:
    // `fatal` asks the page for a fresh worker.
    const stopped = error?.type === "KeyboardInterrupt";
    const fatal = typeof error?.type !== "string";
    outcome = { status: stopped ? "stopped" : "error", traceback: stopped ? "" : String(error?.message ?? error), fatal };
    if (fatal) outcome.hint = "Python itself broke down during this run and was restarted; the next run starts afresh.";
  }
  output.flush();
  const { result_json: resultJson, ...report } = outcome;
  postMessage({ type: "done", ...report, ...(resultJson === undefined ? {} : { result: JSON.parse(resultJson) }) });
}

// Pyodide calls write() with the raw bytes of each flush of sys.stdout or sys.stderr.
// (Its `batched` handler would drop line ends and hold a partial last line until the
// next run; raw bytes keep the output identical to CPython's.)
function streamWriter(stream) {
  const decoder = new TextDecoder();
  return {
    isatty: false,
    write(bytes) {
      output.add(stream, decoder.decode(bytes, { stream: true }));
      return bytes.length;
    },
  };
}

const output = {
  reset() {
    this.chunks = [];
    this.lines = 0;
    this.characters = 0;
    this.truncated = false;
    this.windowStart = 0;
    this.postsInWindow = 0;
  },

  add(stream, text) {
    if (this.truncated) return;
    const kept = this.takeWithinLimit(text);
    if (kept) this.append(stream, kept);
    if (kept.length < text.length) {
      this.truncated = true;
      this.flush();
    } else if (this.mayPostNow()) {
      this.flush();
    }
  },

  takeWithinLimit(text) {
    let end = Math.min(text.length, OUTPUT_LIMIT.characters - this.characters);
    if (this.lines >= OUTPUT_LIMIT.lines) end = 0;
    for (let newline = text.indexOf("\n"); newline !== -1 && newline < end; newline = text.indexOf("\n", newline + 1)) {
      this.lines += 1;
      if (this.lines === OUTPUT_LIMIT.lines) end = newline + 1;
    }
    this.characters += end;
    return text.slice(0, end);
  },

  append(stream, text) {
    const last = this.chunks.at(-1);
    if (last?.stream === stream) last.text += text;
    else this.chunks.push({ stream, text });
  },

  mayPostNow() {
    const now = performance.now();
    if (now - this.windowStart >= WINDOW_MS) {
      this.windowStart = now;
      this.postsInWindow = 0;
    }
    this.postsInWindow += 1;
    return this.postsInWindow <= POSTS_PER_WINDOW;
  },

  flush() {
    if (this.chunks.length === 0 && !this.truncated) return;
    postMessage({ type: "output", chunks: this.chunks, truncated: this.truncated });
    this.chunks = [];
  },
};
output.reset();
