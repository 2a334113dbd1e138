# ulakbel — the two commands: `make run` and `make test`. Both bootstrap .venv themselves.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run test venv requirements clean check bench synth deploy

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade "pip<26.3"
	@$(BIN)/python -m pip install --quiet -e ".[dev,infra]"
	@command -v node >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs)  # jsii (CDK) runs on node
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
	$(BIN)/python -m infra.requirements > requirements.txt

clean:
	rm -rf $(VENV) .ulakbel .pytest_cache build *.egg-info

## Synthesise the CloudFormation template of STAGE (dev|prod) into cdk.out/ (no AWS account needed); fails when
## a function would lack a setting it reads (infra/parity.py), e.g. without PUBLIC_BASE_URL=https://...
STAGE ?= dev
synth: $(STAMP)
	ULAKBEL_INFRA_STAGE=$(STAGE) $(if $(PUBLIC_BASE_URL),ULAKBEL_INFRA_PUBLIC_BASE_URL=$(PUBLIC_BASE_URL)) \
		$(if $(APP_ONLY),ULAKBEL_INFRA_APP_ONLY=1) JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 $(BIN)/python -m infra.app
	$(BIN)/cfn-lint cdk.out/$(STAGE).template.json
	$(BIN)/checkov --skip-download --quiet --compact --framework cloudformation -f cdk.out/$(STAGE).template.json

## Deploy STAGE to the AWS account of the current credentials (README "Deploy to AWS"; never run in CI)
deploy: $(STAMP)
	$(BIN)/python -m infra.requirements > requirements.txt
	PATH="$(CURDIR)/$(BIN):$$PATH" JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 npx --yes aws-cdk@2 deploy \
		--app "$(BIN)/python -m infra.app" -c stage=$(STAGE) $(if $(MAIL_DOMAIN),-c mail_domain=$(MAIL_DOMAIN)) \
		$(if $(ALARM_EMAIL),-c alarm_email=$(ALARM_EMAIL)) $(if $(CORS_ORIGIN),-c cors_origin=$(CORS_ORIGIN)) \
		$(if $(PUBLIC_BASE_URL),-c public_base_url=$(PUBLIC_BASE_URL)) \
		$(if $(AUTH_DOMAIN_PREFIX),-c auth_domain_prefix=$(AUTH_DOMAIN_PREFIX))

## Debian's chromium for the Playwright browser tests (no browser download); skipped when already there
CHROMIUM ?= /usr/bin/chromium
.PHONY: browser
browser:
	@test -x $(CHROMIUM) || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }
