# ulakbel — the two commands: `make run` and `make test`. Both bootstrap .venv themselves.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run test venv requirements clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade "pip<26.3"
	@$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

venv: $(STAMP)

## Start the whole system locally (embedded AWS via moto) with demo data on http://127.0.0.1:$(PORT)
run: $(STAMP)
	$(BIN)/ulakbel dev --port $(PORT) --seed-demo

## Run every test
test: $(STAMP)
	$(BIN)/python -m pytest

## Regenerate the runtime-only requirements.txt that Chalice packages
requirements: $(STAMP)
	$(BIN)/python scripts/export_requirements.py > requirements.txt

clean:
	rm -rf $(VENV) .ulakbel .pytest_cache build *.egg-info

## Debian's chromium for the browser tests (Playwright drives /usr/bin/chromium; no browser download)
.PHONY: chromium
chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
		|| (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
test: chromium
