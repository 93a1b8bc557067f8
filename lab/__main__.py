"""Run the simulations' scenarios on real HAProxy, Redis and web servers, on 127.0.0.1.

    python -m lab                                  every scenario, with the lab's defaults
    python -m lab --out lab/results.json           ... and record the figures (make lab)
    python -m lab crash --servers 3 --users 300    one scenario, with other parameters
    python -m lab crash --retry                    HAProxy retries failed requests elsewhere
    python -m lab store_failure --json             the result as JSON

Each scenario's parameters are its simulation's (snippets/<scenario>.py), under the same
names. Progress goes to stderr, the report (or JSON) to stdout.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from lab import LabError, document, report, runner
from lab.processes import Supervisor, exit_on_signals, say
from lab.scenario import Settings

# What `python -m lab` runs: (scenario, HAProxy retries).
EVERYTHING = [("crash", False), ("crash", True), ("rolling_deploy", False), ("store_failure", False)]


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--minute-seconds", type=float, default=Settings.minute_seconds,
                        help="real seconds per simulated minute (default: %(default)s)")
    common.add_argument("--json", action="store_true", help="print the results as JSON instead of a report")
    common.add_argument("--out", type=Path, help="write the results into this JSON file (other scenarios in it stay)")
    main = argparse.ArgumentParser(prog="python -m lab", description=__doc__.splitlines()[0])
    scenarios = main.add_subparsers(dest="scenario", metavar="SCENARIO")
    scenarios.add_parser("all", parents=[common], help="every scenario (the default)")
    for name, module in runner.SCENARIOS.items():
        one = scenarios.add_parser(name, parents=[common], help=f"as snippets/{module.SNIPPET}.py")
        for parameter, default in runner.parameters(module).items():
            flag = "--" + parameter.replace("_", "-")
            if isinstance(default, bool):
                one.add_argument(flag, dest=parameter, action=argparse.BooleanOptionalAction, default=default)
            else:
                one.add_argument(flag, dest=parameter, type=type(default), default=default,
                                 metavar=parameter.upper(), help="default: %(default)s")
        one.add_argument("--retry", action=argparse.BooleanOptionalAction, default=Settings.retry,
                         help="HAProxy retries a failed request on another server (default: %(default)s)")
    return main


def runs(options: argparse.Namespace) -> list[tuple[str, dict, Settings]]:
    """(scenario, parameters, settings) for each scenario the command line asks for."""
    if options.scenario == "all":
        return [(name, runner.parameters(runner.SCENARIOS[name]), Settings(options.minute_seconds, retry))
                for name, retry in EVERYTHING]
    module = runner.SCENARIOS[options.scenario]
    parameters = {parameter: getattr(options, parameter) for parameter in runner.parameters(module)}
    return [(options.scenario, parameters, Settings(options.minute_seconds, options.retry))]


def main(argv: list[str]) -> int:
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv = ["all", *argv]
    exit_on_signals()
    try:
        options = parser().parse_args(argv)  # reads each simulation's parameters
        results = run_all(options)
    except KeyboardInterrupt:
        say("interrupted; every process the lab started is stopped")
        return 130
    except LabError as failure:
        say(f"error: {failure}")
        return 1
    if options.json:
        print(document.dumps(results))
    if options.out:
        document.save(results, options.out)
        say(f"wrote {options.out}")
    return 0


def run_all(options: argparse.Namespace) -> dict:
    """Every scenario asked for, in a temporary folder that goes, with every process, at the end."""
    results = {}
    with tempfile.TemporaryDirectory(prefix="lab-") as folder, Supervisor(Path(folder)) as supervisor:
        say(f"files in {folder}")
        for name, parameters, settings in runs(options):
            try:
                result = runner.run(name, parameters, settings, supervisor)
            except* LabError as failures:  # one task of a run failed; the others were cancelled
                raise first_leaf(failures) from None
            results[runner.key(name, settings)] = result
            if not options.json:
                print(report.scenario(runner.SCENARIOS[name], runner.key(name, settings), result), flush=True)
    return results


def first_leaf(group: BaseExceptionGroup) -> BaseException:
    error = group.exceptions[0]
    return first_leaf(error) if isinstance(error, BaseExceptionGroup) else error


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
