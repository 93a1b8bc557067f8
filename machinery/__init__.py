"""Everything that turns docs/, diagrams/ and snippets/ into the site (see hooks.py)."""

from pathlib import Path

# The checkout this package belongs to: its node_modules/ (esbuild, Pyodide) and build/
# (caches, the bundle). The site's own folders are found from mkdocs.yml instead.
REPO = Path(__file__).resolve().parent.parent
