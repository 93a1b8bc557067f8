"""Whatever a reader passes to simulate(), it runs, or it refuses with a ValueError that
names the parameter: never another exception. Values are drawn from inside each range, just
outside it, far outside it, and from the wrong types altogether (NaN, True, "4", None).

What must hold within the accepted space, and the budget of each run, are tested per
simulation (test_crash.py, ...), with parameters from spaces.accepted().
"""

from __future__ import annotations

import math

import pytest
import sessionlab as lab
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_snippets import spaces

ODD = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.text(max_size=3), st.none())


def any_value(lowest: float, highest: float) -> st.SearchStrategy[object]:
    """Mostly inside the range (so that some runs go through), else just or far outside it,
    or not a number at all."""
    inside = st.integers(lowest, highest) if isinstance(lowest, int) else st.floats(lowest, highest)
    outside = st.one_of(st.integers(max_value=math.floor(lowest) - 1), st.integers(min_value=math.ceil(highest) + 1))
    return st.integers(0, 9).flatmap(lambda draw: inside if draw < 8 else outside if draw == 8 else ODD)


def anything(name: str) -> st.SearchStrategy[dict]:
    values = {key: any_value(*bounds) for key, bounds in spaces.module(name).BOUNDS.items()}
    values |= {key: st.one_of(st.booleans(), st.booleans(), st.integers(0, 1), ODD) for key in spaces.flags(name)}
    return st.fixed_dictionaries(values)


def within_bounds(name: str, key: str, value: object) -> bool:
    """What lab.checked() accepts for one parameter, on its own."""
    if key not in spaces.module(name).BOUNDS:
        return isinstance(value, bool)
    lowest, highest = spaces.module(name).BOUNDS[key]
    kinds = int if isinstance(lowest, int) else (int, float)
    return isinstance(value, kinds) and not isinstance(value, bool) and lowest <= value <= highest


def within_limits(name: str, values: dict) -> bool:
    """Every parameter that another one limits is within that limit."""
    return all(spaces.limits(name, key, values)[0] <= values[key] <= spaces.limits(name, key, values)[1]
               for key in spaces.DEPENDENT[name])


@pytest.mark.parametrize("name", spaces.SIMULATIONS)
def test_anything_runs_or_is_refused_with_a_value_error_naming_it(name: str) -> None:
    @settings(max_examples=60, deadline=None)
    @given(values=anything(name))
    def attempt(values: dict) -> None:
        each_within_bounds = all(within_bounds(name, key, value) for key, value in values.items())
        try:
            result, refused = spaces.module(name).simulate(**values), None
        except ValueError as problem:
            result, refused = None, problem
        if refused is None:
            assert each_within_bounds
            assert within_limits(name, values)
            assert result["parameters"] == values
            return
        assert isinstance(refused, lab.ParameterError), refused
        assert str(refused).startswith(f"{refused.name.upper()} ({lab.option(refused.name)}) must ")
        assert refused.value is values[refused.name] or refused.value == values[refused.name]
        # A value in its bounds is refused only for a limit another parameter sets.
        assert not each_within_bounds or refused.name in spaces.DEPENDENT[name]

    attempt()
