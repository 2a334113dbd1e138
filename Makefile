# ulakbel — the two commands: `make run` and `make test`. Both bootstrap .venv themselves.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run test venv requirements clean check bench

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade "pip<26.3"
	@$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

venv: $(STAMP)

## Start the whole system locally (embedded AWS via moto) with demo data on http://127.0.0.1:$(PORT)
run: $(STAMP)
	$(BIN)/ulakbel dev --port $(PORT) --seed-demo

## Run every test (and `make check` first)
test: $(STAMP) browser check
	$(BIN)/python -m pytest

## Security: bandit + pip-audit + secret scan; every finding explained in scripts/security_check.py
check: $(STAMP)
	$(BIN)/python scripts/security_check.py

## Benchmarks (README "Performance"): JSON under bench/results/, summary in bench/results/SUMMARY.md
bench: $(STAMP)
	$(BIN)/python -m bench.run_all

## Regenerate the runtime-only requirements.txt that Chalice packages
requirements: $(STAMP)
	$(BIN)/python scripts/export_requirements.py > requirements.txt

clean:
	rm -rf $(VENV) .ulakbel .pytest_cache build *.egg-info

## Debian's chromium for the Playwright browser tests (no browser download); skipped when already there
CHROMIUM ?= /usr/bin/chromium
.PHONY: browser
browser:
	@test -x $(CHROMIUM) || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }
