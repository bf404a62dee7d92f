# Two commands:  `make lab`  (set up, then open JupyterLab)  and  `make test`  (set up, then run every test).
# Both create .venv with the Python found as $(PYTHON) if it does not exist yet, and reinstall
# only when requirements.txt or pyproject.toml changed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
FIRST_NOTEBOOK := notebooks/01_rnn_forward.ipynb

.PHONY: lab test install bench clean test-binder test-browser

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else \
	  "Python 3.10 or newer is needed, but $(PYTHON) is " + sys.version.split()[0] + ": run  make $(MAKECMDGOALS) PYTHON=python3.12")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt -e .
	touch $(STAMP)

lab: install
	$(BIN)/jupyter lab $(FIRST_NOTEBOOK)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/bench_core.py
	$(BIN)/python benchmarks/bench_widgets.py
	$(BIN)/python benchmarks/bench_grading.py

clean:
	rm -rf $(VENV) build

# ---------------------------------------------------------------------------
# CI checks of what users meet (run by .ci/run; not part of `make test`, which stays fast)
#   make test-binder   the Binder image: repo2docker's Dockerfile, then the same environment
#                      rebuilt in a venv with Binder's Python, and every notebook executed in it
#   make test-browser  every notebook run in JupyterLab, then in Notebook 7, in headless Chromium:
#                      no errors, live widgets, sliders that change their figures (latency printed
#                      per slider); screenshots in build/screenshots/ (Notebook 7: .../notebook7/)
# Their tools live in build/venvs/, never in .venv.
# ---------------------------------------------------------------------------
TOOLS       := build/venvs
R2D         := $(TOOLS)/repo2docker
PLAYWRIGHT  := $(TOOLS)/playwright
CHROMIUM    ?= /usr/bin/chromium
# Binder's Python (binder/runtime.txt says e.g. python-3.12): the first python3.X that runs,
# from PATH or from pyenv's versions. Override with PYTHON_BINDER=/path/to/python3.12.
BINDER_PY_VERSION = $(patsubst python-%,%,$(strip $(file < binder/runtime.txt)))
PYTHON_BINDER ?= $(shell for p in python$(BINDER_PY_VERSION) $(HOME)/.pyenv/versions/$(BINDER_PY_VERSION).*/bin/python$(BINDER_PY_VERSION) /usr/local/bin/python$(BINDER_PY_VERSION) /usr/bin/python$(BINDER_PY_VERSION); do \
	$$p -c 'import sys; sys.exit(sys.version_info[:2] != tuple(map(int, "$(BINDER_PY_VERSION)".split("."))))' >/dev/null 2>&1 && { command -v $$p; break; }; done)

$(R2D)/.installed: tests/binder/requirements.txt
	test -x $(R2D)/bin/python || $(PYTHON) -m venv $(R2D)
	$(R2D)/bin/python -m pip install --disable-pip-version-check -q -r tests/binder/requirements.txt
	touch $@

$(PLAYWRIGHT)/.installed: tests/browser/requirements.txt
	test -x $(PLAYWRIGHT)/bin/python || $(PYTHON) -m venv $(PLAYWRIGHT)
	$(PLAYWRIGHT)/bin/python -m pip install --disable-pip-version-check -q -r tests/browser/requirements.txt
	touch $@

test-binder: $(R2D)/.installed
	@test -n "$(PYTHON_BINDER)" || { echo "make test-binder needs Python $(BINDER_PY_VERSION) (binder/runtime.txt); none found: set PYTHON_BINDER=/path/to/python$(BINDER_PY_VERSION)"; exit 1; }
	$(R2D)/bin/python tests/binder/check_binder.py --python $(PYTHON_BINDER)

test-browser: install $(PLAYWRIGHT)/.installed
	@test -x $(CHROMIUM) || { echo "make test-browser needs Chromium at $(CHROMIUM): apt-get install -y chromium"; exit 1; }
	$(PLAYWRIGHT)/bin/python tests/browser/check_browser.py --jupyter $(BIN)/jupyter --chromium $(CHROMIUM)
