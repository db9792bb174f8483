# The two commands of the README:  `make run` serves the API, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck unit services-up services-down services-status api-types web clean

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

# The dashboard's API types: refresh web/openapi.json from the backend, regenerate web/src/api/schema.d.ts.
api-types: $(STAMP)
	bash scripts/web.sh install
	cd web && node scripts/gen-api.mjs --from-backend

web:
	bash scripts/web.sh build

services-up:
	$(PYTHON) scripts/services.py up

services-down:
	$(PYTHON) scripts/services.py down

services-status:
	$(PYTHON) scripts/services.py status

clean:
	$(PYTHON) scripts/services.py down
	rm -rf $(VENV) .services .kure .pytest_cache .mypy_cache .ruff_cache web/node_modules web/dist web/test-results
