"""Nothing a simulation accepts can hang it: each parameter is bounded, and the largest
accepted value of each, and the costliest combination, fit the budget (spaces.py); the
costliest combinations are run as a reader runs them, each in a process of its own
(measure.py).

benchmarks/simulation_bounds.py prints the same worst cases as figures.
"""

from __future__ import annotations

import pytest
import sessionlab as lab

from tests.test_snippets import measure, spaces

LARGEST = [(name, parameter) for name in spaces.SIMULATIONS for parameter in spaces.module(name).BOUNDS]


@pytest.mark.parametrize("name", spaces.SIMULATIONS)
def test_every_parameter_has_bounds_declared_once_and_its_default_within_them(name: str) -> None:
    simulation, defaults = spaces.module(name), spaces.defaults(name)
    assert set(simulation.BOUNDS) | set(spaces.flags(name)) == set(defaults)
    assert all(isinstance(defaults[flag], bool) for flag in spaces.flags(name))
    for parameter, (lowest, highest) in simulation.BOUNDS.items():
        assert type(lowest) is type(highest), parameter
        assert lowest < highest, parameter
        assert lowest <= defaults[parameter] <= highest, parameter
        assert defaults[parameter] == getattr(simulation, parameter.upper())  # the constant at the top
    assert simulation.simulate()["bounds"] == lab.ranges(simulation.BOUNDS)


@pytest.mark.parametrize("name", spaces.SIMULATIONS)
def test_the_worst_combination_fits_the_budget(name: str) -> None:
    within_budget(name, spaces.WORST[name])


@pytest.mark.parametrize(("name", "parameter"), LARGEST, ids=[f"{n} {p}" for n, p in LARGEST])
def test_the_largest_value_of_each_parameter_fits_the_budget(name: str, parameter: str) -> None:
    spaces.checked_run(name, spaces.largest(name, parameter))  # in this process, which is quicker


def within_budget(name: str, parameters: dict) -> None:
    cost = measure.cost(name, *spaces.arguments(parameters))
    assert cost["seconds"] < spaces.LIMIT_SECONDS * spaces.MARGIN, (cost, parameters)
    assert cost["peak_mb"] < spaces.LIMIT_MB, (cost, parameters)
