"""The lab: the simulations' scenarios run on real HAProxy, Redis and web servers.

`python -m lab` runs them (see __main__.py); README.md explains how it works.
"""


class LabError(RuntimeError):
    """The lab could not do what it set out to do; the message says what went wrong."""
