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

## Set up, store the bundled seed documents in $(MATERIA_DB), then show what they say about L-glutamine.
run: $(STAMP)
	$(BIN)/materia ingest $$($(BIN)/materia seeds)
	$(BIN)/materia show glutamine

## Run the whole test suite.
test: $(STAMP)
	$(BIN)/python -m pytest

## Lint (ruff) and type-check (mypy --strict on the package); settings in pyproject.toml.
check: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src/materia

## Run every benchmark (`make bench ONLY="findings subjects"` for some); results in bench/results/.
bench: $(STAMP)
	$(BIN)/python bench/run_all.py $(if $(ONLY),--only $(ONLY))

clean:
	rm -rf $(VENV) .materia .pytest_cache
