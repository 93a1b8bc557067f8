// Runs snippets in the Pyodide the site ships (node_modules/pyodide) through the same
// python_runner.py the page's worker uses, so a run here is a run in the reader's browser
// minus the browser. Reads {env, files: {name: source}, runs: [{file, args}]} as JSON on
// stdin; prints one JSON line per run: {file, args, status, exit_code, output, seconds}
// (output is stdout and stderr interleaved, like a terminal), after a first line
// {load_seconds}.
//
//   node tests/test_snippets/run_in_pyodide.mjs < request.json

import { readFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const RUNNER = new URL("../../machinery/runnable/python_runner.py", import.meta.url);
const request = JSON.parse(readFileSync(0, "utf8"));

const started = performance.now();
const pyodide = await loadPyodide({ env: request.env });
let output = "";
const decoder = new TextDecoder();
const collect = { write: (bytes) => ((output += decoder.decode(bytes, { stream: true })), bytes.length) };
pyodide.setStdout(collect);
pyodide.setStderr(collect);
const runner = pyodide.toPy({ __name__: "python_runner" });
pyodide.runPython(readFileSync(RUNNER, "utf8"), { globals: runner, filename: "python_runner.py" });
runner.get("install_snippets")(JSON.stringify(request.files));
console.log(JSON.stringify({ load_seconds: (performance.now() - started) / 1000 }));

for (const { file, args } of request.runs) {
  output = "";
  const begin = performance.now();
  const outcome = JSON.parse(runner.get("run_request")(JSON.stringify({ code: request.files[file], filename: file, args })));
  const seconds = (performance.now() - begin) / 1000;
  const { status, exit_code } = outcome;
  console.log(JSON.stringify({ file, args, status, exit_code, output: output + outcome.traceback, seconds }));
}
