# ulakbel — the two commands: `make run` and `make test`. Both bootstrap .venv themselves, each with only what it
# needs: `make run` the runtime and the local runner (pyproject extra `local`, ~250 MB); `make test` adds the test
# tools and the CDK (`dev`, `infra`); `make synth`/`make deploy` add the CDK (`infra`) and node. A marker file per
# extra in .venv says what is installed, so `make run` never installs the test or infra tools.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
LOCAL := $(VENV)/.installed-local
INFRA := $(VENV)/.installed-infra
DEV := $(VENV)/.installed-dev
PORT ?= 8000
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: run test venv requirements clean check bench synth deploy browser node

# Debian packages, installed when missing: directly as root, with `sudo -n` otherwise; without either the
# command stops and says exactly what to install. $(1) = package, $(2) = shell test that is true when present.
define need_system_package
	@$(2) || { if [ "$$(id -u)" = 0 ]; then SUDO=; \
	  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	  else echo "ulakbel: $(1) is missing and this user cannot install it. Run: sudo apt-get install -y $(1)" >&2; exit 1; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1); }
endef

$(BIN)/python:
	@command -v $(PY) >/dev/null || { echo "ulakbel: $(PY) is missing. Run: sudo apt-get install -y python3.11 python3.11-venv" >&2; exit 1; }
	$(PY) -m venv $(VENV)

# `make run`: runtime + local runner only, installed with uv (itself installed into .venv by pip): on the shared
# 2-core machine pip took 150-220 s for this set, mostly fetching and parsing index pages one by one; uv 11-13 s.
$(LOCAL): pyproject.toml | $(BIN)/python
	@test -x $(BIN)/uv || $(PIP) "uv>=0.5,<1"
	$(BIN)/uv pip install --quiet --native-tls --python $(BIN)/python -e ".[local]"
	@touch $@

# `make synth` / `make deploy`: + the CDK, cfn-lint, checkov, and node (jsii runs the CDK on node).
$(INFRA): pyproject.toml | $(BIN)/python
	$(call need_system_package,nodejs,command -v node >/dev/null)
	$(PIP) -e ".[local,infra]"
	@touch $@ $(LOCAL)

# `make test`: every test tool (pytest, Playwright, schemathesis, bandit, pip-audit) + the CDK for tests/infra.
$(DEV): pyproject.toml | $(BIN)/python
	$(call need_system_package,nodejs,command -v node >/dev/null)
	$(PIP) --upgrade "pip<26.3"
	$(PIP) -e ".[dev,infra]"
	@touch $@ $(INFRA) $(LOCAL)

venv: $(LOCAL)

## Start the whole system locally (embedded AWS via moto) with demo data on http://127.0.0.1:$(PORT)
run: $(LOCAL)
	$(BIN)/ulakbel dev --port $(PORT) --seed-demo

## Run every test (and `make check` first)
test: $(DEV) browser check
	$(BIN)/python -m pytest

## Security: bandit + pip-audit + secret scan; every finding explained in scripts/security_check.py
check: $(DEV)
	$(BIN)/python scripts/security_check.py

## Benchmarks (docs/performance.md): JSON under bench/results/, summary in bench/results/SUMMARY.md
bench: $(DEV)
	$(BIN)/python -m bench.run_all

## Regenerate the runtime-only requirements.txt that Chalice packages
requirements: $(LOCAL)
	$(BIN)/python -m infra.requirements > requirements.txt

clean:
	rm -rf $(VENV) .ulakbel .pytest_cache build *.egg-info

## Synthesise the CloudFormation template of STAGE (dev|prod) into cdk.out/ (no AWS account needed); fails when
## a function would lack a setting it reads (infra/parity.py), e.g. without PUBLIC_BASE_URL=https://...
STAGE ?= dev
synth: $(INFRA)
	ULAKBEL_INFRA_STAGE=$(STAGE) $(if $(PUBLIC_BASE_URL),ULAKBEL_INFRA_PUBLIC_BASE_URL=$(PUBLIC_BASE_URL)) \
		$(if $(APP_ONLY),ULAKBEL_INFRA_APP_ONLY=1) JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 $(BIN)/python -m infra.app
	$(BIN)/cfn-lint cdk.out/$(STAGE).template.json
	$(BIN)/checkov --skip-download --quiet --compact --framework cloudformation -f cdk.out/$(STAGE).template.json

## Deploy STAGE to the AWS account of the current credentials (docs/deploy.md; never run in CI)
deploy: $(INFRA)
	$(BIN)/python -m infra.requirements > requirements.txt
	PATH="$(CURDIR)/$(BIN):$$PATH" JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 npx --yes aws-cdk@2 deploy \
		--app "$(BIN)/python -m infra.app" -c stage=$(STAGE) $(if $(MAIL_DOMAIN),-c mail_domain=$(MAIL_DOMAIN)) \
		$(if $(ALARM_EMAIL),-c alarm_email=$(ALARM_EMAIL)) $(if $(CORS_ORIGIN),-c cors_origin=$(CORS_ORIGIN)) \
		$(if $(PUBLIC_BASE_URL),-c public_base_url=$(PUBLIC_BASE_URL)) \
		$(if $(AUTH_DOMAIN_PREFIX),-c auth_domain_prefix=$(AUTH_DOMAIN_PREFIX))

## Debian's chromium for the Playwright browser tests (no browser download); skipped when already there
CHROMIUM ?= /usr/bin/chromium
browser:
	$(call need_system_package,chromium,test -x $(CHROMIUM))

## node for jsii (the CDK); part of the infra and dev installs
node:
	$(call need_system_package,nodejs,command -v node >/dev/null)
