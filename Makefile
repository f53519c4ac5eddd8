# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export MATERIA_DB ?= $(CURDIR)/.materia/materia.sqlite

.PHONY: run test setup check bench clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

## Set up, then run materia on the bundled seed documents and show the L-glutamine result.
run: $(STAMP)
	$(BIN)/materia extract $$($(BIN)/materia seeds)

## Run the whole test suite.
test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .materia .pytest_cache
