"""How closely real HAProxy, Redis and web servers agree with the crash simulation.

Runs the lab's crash scenario (lab/crash.py, its default parameters: a fifth of
snippets/crash.py's users, 1 simulated minute = 1 s), without and with HAProxy's
retries, and prints for each design:

- sessions lost and users logged out, measured against predicted (goal: within 10%);
- failed requests against the range the detection window allows: the simulation's
  requests refused by the dead server last exactly DETECT_MINUTES, HAProxy's as long
  as its checks took, somewhere between (fall - 1) and fall check intervals;
- with retries, requests retried (HAProxy's redispatches) against predicted.

A report, not a test; lab/README.md explains the differences. About 3 minutes.

    .venv/bin/python benchmarks/lab_agreement.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lab import crash, runner  # noqa: E402
from lab.processes import Supervisor, exit_on_signals  # noqa: E402
from lab.scenario import Settings  # noqa: E402

GOAL = 0.10  # sessions lost within 10% of the prediction


def ratio(measured: float, predicted: float) -> str:
    if predicted == 0:
        return "exact" if measured == 0 else "n/a"
    return f"{measured / predicted:.2f}"


def verdict(measured: float, predicted: float) -> str:
    within = abs(measured - predicted) <= GOAL * predicted
    return "meets" if within else "MISSES"


def failed_range(design: dict, detect_minutes: int) -> tuple[float, float, float]:
    """The failures to expect from HAProxy's detection window: shortest, longest, and at the
    window this run measured. The requests the dead server had taken fail either way."""
    predicted, details = design["predicted"], design["details"]
    in_flight = predicted["requests_in_flight"]
    refused = predicted["requests_failed"] - in_flight
    low, high = (in_flight + refused * window / detect_minutes for window in details["detection_range_minutes"])
    return low, high, in_flight + refused * details["detection_minutes"] / detect_minutes


def print_run(result: dict) -> None:
    parameters = result["parameters"]
    print(f"\n{result['command']}")
    print(f"{'Design':<19}{'lost':>6}{'pred':>6}{'ratio':>7}  {'goal':<7}{'logged out':>11}{'pred':>6}"
          f"{'failed':>8}{'expected range':>17}{'at its window':>15}{'retried':>9}{'pred':>6}")
    for design in result["designs"].values():
        lab, sim = design["measured"], design["predicted"]
        low, high, at_window = failed_range(design, parameters["detect_minutes"])
        print(f"{design['label']:<19}{lab['sessions_lost']:>6}{sim['sessions_lost']:>6}"
              f"{ratio(lab['sessions_lost'], sim['sessions_lost']):>7}  "
              f"{verdict(lab['sessions_lost'], sim['sessions_lost']):<7}"
              f"{lab['users_logged_out']:>11}{sim['users_logged_out']:>6}"
              f"{lab['requests_failed']:>8}{f'{low:.0f}-{high:.0f}':>17}{at_window:>15.0f}"
              f"{lab['requests_retried']:>9}{sim['requests_retried']:>6}")
        print(f"{'':<19}detection {design['details']['detection_minutes']:.2f} min of "
              f"{design['details']['detection_range_minutes']}; load late by "
              f"{design['details']['lateness']['p99_ms']:.0f} ms at p99")


def main() -> None:
    exit_on_signals()
    parameters = runner.parameters(crash)
    print("Lab against simulation, crash scenario: measured on 127.0.0.1, predicted by snippets/crash.py")
    with tempfile.TemporaryDirectory(prefix="lab-") as folder, Supervisor(Path(folder)) as supervisor:
        for retry in (False, True):
            result = runner.run("crash", parameters, Settings(retry=retry), supervisor)
            if result["simulation_command"] is None:
                print(f"\n{result['command']}\nNothing to compare: {result['simulation_missing']}.")
            else:
                print_run(result)


if __name__ == "__main__":
    main()
