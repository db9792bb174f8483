# The two commands of the README:  `make run` serves the API, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck unit services-up services-down services-status clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	@bash scripts/run.sh

test: $(STAMP)
	@bash scripts/test.sh

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q -m unit

services-up:
	$(PYTHON) scripts/services.py up

services-down:
	$(PYTHON) scripts/services.py down

services-status:
	$(PYTHON) scripts/services.py status

clean:
	$(PYTHON) scripts/services.py down
	rm -rf $(VENV) .services .kure .pytest_cache .mypy_cache .ruff_cache
