# Two commands:  `make lab`  (set up, then open JupyterLab)  and  `make test`  (set up, then run every test).
# Both create .venv with the Python found as $(PYTHON) if it does not exist yet, and reinstall
# only when requirements.txt or pyproject.toml changed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
FIRST_NOTEBOOK := notebooks/01_rnn_forward.ipynb

.PHONY: lab test install bench clean

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
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/bench_core.py

clean:
	rm -rf $(VENV)
