"""The simulations are imported exactly as `python snippets/<name>.py` runs them: with
snippets/ first on sys.path, so `import sessionlab` finds the shared helper."""

from __future__ import annotations

import sys

from tests.conftest import ROOT

SNIPPETS = ROOT / "snippets"
sys.path.insert(0, str(SNIPPETS))
