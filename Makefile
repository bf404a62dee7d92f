# Two commands:  `make lab`  (set up, then open JupyterLab)  and  `make test`  (set up, then run every test).
# Both create .venv with the Python found as $(PYTHON) if it does not exist yet, and reinstall
# only when requirements.txt or pyproject.toml changed. They work from any folder
# (make -C path/to/repo lab, or make -f path/to/repo/Makefile test): every path below is the repository's.
#   make lab ARGS="--no-browser --port 9000"    extra options for JupyterLab
#   make test VENV=build/venvs/py3.10 PYTHON=python3.10    the same tests with another Python

ROOT   := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
PYTHON ?= python3
VENV   ?= $(ROOT)/.venv
BIN    := $(abspath $(VENV))/bin
STAMP  := $(abspath $(VENV))/.installed
FIRST_NOTEBOOK := notebooks/01_rnn_forward.ipynb
# JupyterLab refuses to start as root unless told to; root is normal in containers and class servers.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
ARGS ?=

.PHONY: lab test install bench clean notebooks zh test-binder test-browser test-python

install: $(STAMP)

$(STAMP): $(ROOT)/requirements.txt $(ROOT)/pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else \
	  "Python 3.10 or newer is needed, but $(PYTHON) is " + sys.version.split()[0] + ": run  make $(MAKECMDGOALS) PYTHON=python3.12")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	cd $(ROOT) && $(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt -e .
	touch $(STAMP)

# The file browser shows the whole repository (README.md and the modules too), with notebook 01 open;
# the URL JupyterLab prints opens notebook 01.
lab: install
	cd $(ROOT) && $(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.root_dir=$(ROOT) \
	  --LabApp.default_url=/lab/tree/$(FIRST_NOTEBOOK) $(ARGS)

# The tests run in parallel (pytest-xdist), one worker per core up to 4 (more adds little and costs memory),
# a whole file per worker: --dist loadfile keeps a notebook's cells in one worker, in order, with one kernel,
# as nbval needs. `make test WORKERS=0` runs them in this one process, as plain `pytest` does.
# The cores: nproc without the OpenMP variables it obeys (a BLAS setting must not cut the workers), else
# getconf or sysctl (macOS); anything that is not a number counts as 2.
WORKERS ?= $(shell n=$$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc 2>/dev/null || \
	getconf _NPROCESSORS_ONLN 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null); \
	[ "$$n" -ge 1 ] 2>/dev/null || n=2; [ "$$n" -gt 4 ] && n=4; echo $$n)
test: install
	cd $(ROOT) && $(BIN)/ruff check . && $(BIN)/ruff format --check . && \
	  $(BIN)/python -m pytest -n $(WORKERS) --dist loadfile

# Re-execute notebooks in place and store their outputs (all of them, or NB=notebooks/05_training.ipynb).
notebooks: install
	cd $(ROOT) && $(BIN)/python tools/execute_notebooks.py $(NB)

# The Chinese edition: rebuild notebooks/zh/ from the English notebooks and the translation stores, and run
# them (all, or NB=04). Refuses while a translation is missing or out of date; see README, "The Chinese edition".
zh: install
	cd $(ROOT) && $(BIN)/python tools/translations.py build $(NB)

bench: install
	cd $(ROOT) && $(BIN)/python benchmarks/bench_core.py
	cd $(ROOT) && $(BIN)/python benchmarks/bench_widgets.py
	cd $(ROOT) && $(BIN)/python benchmarks/bench_grading.py

clean:
	rm -rf $(ROOT)/.venv $(ROOT)/build

# ---------------------------------------------------------------------------
# CI checks of what users meet (run by .ci/run; not part of `make test`, which stays fast)
#   make test-binder   the Binder image: repo2docker's Dockerfile, then the same environment
#                      rebuilt in a venv with Binder's Python, and every notebook executed in it
#   make test-browser  every notebook run in JupyterLab, then in Notebook 7, in headless Chromium:
#                      no errors, live widgets, sliders that change their figures (latency printed
#                      per slider); screenshots in build/screenshots/ (Notebook 7: .../notebook7/)
# Their tools live in build/venvs/, never in .venv.
# ---------------------------------------------------------------------------
TOOLS       := $(ROOT)/build/venvs
R2D         := $(TOOLS)/repo2docker
PLAYWRIGHT  := $(TOOLS)/playwright
CHROMIUM    ?= /usr/bin/chromium
# A Python of a given minor version: the first python3.X that runs, from PATH or from pyenv's versions.
#   $(call find_python,3.12)
find_python = $(shell for p in python$(1) $(PYENV_ROOT)/versions/$(1).*/bin/python$(1) \
	$(HOME)/.pyenv/versions/$(1).*/bin/python$(1) /root/.pyenv/versions/$(1).*/bin/python$(1) \
	/usr/local/bin/python$(1) /usr/bin/python$(1); do \
	$$p -c 'import sys; sys.exit(sys.version_info[:2] != tuple(map(int, "$(1)".split("."))))' >/dev/null 2>&1 && { command -v $$p; break; }; done)
# Binder's Python (binder/runtime.txt says e.g. python-3.12). Override with PYTHON_BINDER=/path/to/python3.12.
BINDER_PY_VERSION = $(patsubst python-%,%,$(strip $(file < $(ROOT)/binder/runtime.txt)))
PYTHON_BINDER ?= $(call find_python,$(BINDER_PY_VERSION))

# make test-python V=3.10: `make test` with Python 3.10 in its own venv (build/venvs/py3.10), for .ci/run.
test-python:
	@test -n "$(V)" || { echo "usage: make test-python V=3.10"; exit 2; }
	@p="$(call find_python,$(V))"; test -n "$$p" || { echo "make test-python needs Python $(V); none found"; exit 1; }; \
	  $(MAKE) -f $(ROOT)/Makefile test VENV=$(ROOT)/build/venvs/py$(V) PYTHON=$$p

$(R2D)/.installed: $(ROOT)/tests/binder/requirements.txt
	test -x $(R2D)/bin/python || $(PYTHON) -m venv $(R2D)
	$(R2D)/bin/python -m pip install --disable-pip-version-check -q -r $(ROOT)/tests/binder/requirements.txt
	touch $@

$(PLAYWRIGHT)/.installed: $(ROOT)/tests/browser/requirements.txt
	test -x $(PLAYWRIGHT)/bin/python || $(PYTHON) -m venv $(PLAYWRIGHT)
	$(PLAYWRIGHT)/bin/python -m pip install --disable-pip-version-check -q -r $(ROOT)/tests/browser/requirements.txt
	touch $@

test-binder: $(R2D)/.installed
	@test -n "$(PYTHON_BINDER)" || { echo "make test-binder needs Python $(BINDER_PY_VERSION) (binder/runtime.txt); none found: set PYTHON_BINDER=/path/to/python$(BINDER_PY_VERSION)"; exit 1; }
	cd $(ROOT) && $(R2D)/bin/python tests/binder/check_binder.py --python $(PYTHON_BINDER)

test-browser: install $(PLAYWRIGHT)/.installed
	@test -x $(CHROMIUM) || { echo "make test-browser needs Chromium at $(CHROMIUM): apt-get install -y chromium"; exit 1; }
	cd $(ROOT) && $(PLAYWRIGHT)/bin/python tests/browser/check_browser.py --jupyter $(BIN)/jupyter --chromium $(CHROMIUM)
