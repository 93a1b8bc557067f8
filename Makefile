# Two commands are all a newcomer needs: `make serve` and `make test`.
# Every target first installs what is missing: Debian packages (as root), a
# virtual environment with the pinned Python packages, and the npm packages.

# Material prints a long banner about its future on every build; it is not news here.
export NO_MKDOCS_2_WARNING := 1

VENV := .venv
PYTHON := $(VENV)/bin/python
PYTHON_READY := $(VENV)/.installed
NPM_READY := node_modules/.installed

.PHONY: serve build test diagrams bench lab clean setup setup-build setup-test setup-lab

serve: setup-build  ## Serve the site on http://127.0.0.1:8000 with live reload
	$(PYTHON) -m mkdocs serve

build: setup-build  ## Write the static site to site/
	$(PYTHON) -m mkdocs build --strict

test: setup-test  ## Lint the Python, then run the whole test suite
	$(PYTHON) -m ruff check .
	$(PYTHON) -m pytest

diagrams: setup-build  ## Write every diagram as SVG and PNG into build/diagrams/
	$(PYTHON) -m machinery.diagram --out build/diagrams

bench: setup-test  ## Print the benchmark figures (build cost, runtime load, simulations)
	for script in benchmarks/*.py; do $(PYTHON) $$script || exit 1; done

lab: setup-lab  ## Run the scenarios on real HAProxy, Redis and web servers; rewrite lab/results.json
	$(PYTHON) -m lab --out lab/results.json

clean:
	rm -rf site build .venv node_modules

setup-build:
	@python3 -m machinery.system_packages graphviz
	@$(MAKE) --no-print-directory setup

setup-test:
	@python3 -m machinery.system_packages graphviz chromium haproxy redis-server
	@$(MAKE) --no-print-directory setup

setup-lab:
	@python3 -m machinery.system_packages haproxy redis-server
	@$(MAKE) --no-print-directory $(PYTHON_READY)

setup: $(PYTHON_READY) $(NPM_READY)

$(PYTHON_READY): requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-deps --editable .
	touch $@

$(NPM_READY): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@
