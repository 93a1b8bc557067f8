// Runs snippets in the Pyodide the site ships (node_modules/pyodide, with the site's own cut
// of the standard library: machinery/runnable/stdlib.py) through the same python_runner.py
// and on_demand.py the page's worker uses, so a run here is a run in the reader's browser
// minus the browser: what the browser would fetch is read from disk. Reads on stdin, as JSON:
//
//   {env, files: {name: source}, stdlib: {core, rest, rest_modules, warm_imports}, snippets, runs: [{file, args, code?}]}
//
// (core: the path of the core zip; rest and snippets: of the folders of the rest's zips and
// of the snippets; code: what to run instead of the file's source). Prints a first line
// {load_seconds}, then one JSON line per run: {file, args, status, exit_code, output,
// seconds, fetched}, where output is stdout and stderr interleaved, like a terminal, and
// fetched lists what on_demand.py fetched during the run.
//
//   node tests/test_snippets/run_in_pyodide.mjs < request.json

import { readFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const MACHINERY = new URL("../../machinery/runnable/", import.meta.url);
const request = JSON.parse(readFileSync(0, "utf8"));
const lockFile = JSON.parse(readFileSync(new URL("../../node_modules/pyodide/pyodide-lock.json", import.meta.url), "utf8"));

const started = performance.now();
const pyodide = await loadPyodide({
  env: request.env,
  stdLibURL: request.stdlib.core,
  lockFileContents: { info: lockFile.info, packages: {} },
});
let output = "";
const decoder = new TextDecoder();
const collect = { write: (bytes) => ((output += decoder.decode(bytes, { stream: true })), bytes.length) };
pyodide.setStdout(collect);
pyodide.setStderr(collect);

function runModule(name) {
  const namespace = pyodide.toPy({ __name__: name });
  pyodide.runPython(readFileSync(new URL(`${name}.py`, MACHINERY), "utf8"), { globals: namespace, filename: `${name}.py` });
  return namespace;
}

const runner = runModule("python_runner");
runner.get("install_snippets")("{}"); // the snippets come on demand, as in the page
let fetched = [];
const download = (url, path) => {
  fetched.push(url);
  pyodide.FS.writeFile(path, readFileSync(url));
};
const settings = {
  rest_url: request.stdlib.rest,
  rest_modules: request.stdlib.rest_modules,
  snippets_url: request.snippets,
  snippets: Object.keys(request.files),
};
runModule("on_demand").get("install")(download, pyodide.toPy(settings), runner.get("SNIPPETS_DIR"));
for (const name of request.stdlib.warm_imports) pyodide.pyimport(name).destroy();
console.log(JSON.stringify({ load_seconds: (performance.now() - started) / 1000 }));

for (const { file, args, code } of request.runs) {
  output = "";
  fetched = [];
  const begin = performance.now();
  const outcome = JSON.parse(runner.get("run_request")(JSON.stringify({ code: code ?? request.files[file], filename: file, args })));
  const seconds = (performance.now() - begin) / 1000;
  const { status, exit_code } = outcome;
  console.log(JSON.stringify({ file, args, status, exit_code, output: output + outcome.traceback, seconds, fetched }));
}
