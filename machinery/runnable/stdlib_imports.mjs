// Which files of Pyodide's standard library the site's own Python imports (run by stdlib.py
// at build time, under Node, with the npm `pyodide` package and its whole python_stdlib.zip).
//
// It starts Python the way python-worker.js does (the same environment, python_runner.py,
// on_demand.py, the snippets fetched when imported), then runs what a reader typically runs: every snippet as the
// page runs it, with --json and --help, and the mistakes a reader makes while editing. Then
// it prints, as JSON, {files, warm}: the path inside the zip of every module Python
// imported, and the names of those the runs imported beyond what start-up did.
//
// Reads {env, runner, on_demand, files: {name: source}, runs: [{code, filename, args}]} as
// JSON on stdin. A run that fails is fine: what it imported before failing still counts.

import { readFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const request = JSON.parse(readFileSync(0, "utf8"));
const pyodide = await loadPyodide({ env: request.env });
const discard = { write: (bytes) => bytes.length };
pyodide.setStdout(discard);
pyodide.setStderr(discard);

function runModule(name, source) {
  const namespace = pyodide.toPy({ __name__: name });
  pyodide.runPython(source, { globals: namespace, filename: `${name}.py` });
  return namespace;
}

const runner = runModule("python_runner", request.runner);
runner.get("install_snippets")("{}");
// The whole standard library is here, so on_demand.py only ever fetches snippets: "fetching"
// one is writing the source the request holds.
const download = (url, path) => pyodide.FS.writeFile(path, request.files[url]);
const settings = { rest_url: "", rest_modules: [], snippets_url: "", snippets: Object.keys(request.files) };
runModule("on_demand", request.on_demand).get("install")(download, pyodide.toPy(settings), runner.get("SNIPPETS_DIR"));

pyodide.runPython("import sys\n_ready = set(sys.modules)");

for (const run of request.runs) {
  runner.get("run_request")(JSON.stringify(run));
}

// What the runs imported that start-up did not: the worker imports it ahead of the first run.
console.log(
  pyodide.runPython(`
import json, os, sys
_zip = os.path.dirname(os.__file__) + "/"
_in_zip = {name: module.__file__[len(_zip):] for name, module in list(sys.modules.items())
           if (getattr(module, "__file__", None) or "").startswith(_zip)}
json.dumps({"files": sorted(set(_in_zip.values())), "warm": sorted(set(_in_zip) - _ready)})
`),
);
