# Two commands do all set-up on a fresh machine that has Python >= 3.11, Node.js >= 20 and make:
#   make run    start the whole platform on its embedded defaults (NATS + SQLite)
#   make test   install everything and run every check and test
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml contracts/pyproject.toml | cksum | cut -d' ' -f1)
COMPOSE_SCHEMA := .cache/compose-spec.json
# The development identity provider (oidc-provider on Node, from the npm registry).
OIDC_MODULES := infra/oidc/node_modules/.package-lock.json

.PHONY: run test demo bench export lint clean promtool

$(STAMP): requirements.lock pyproject.toml contracts/pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	@echo "Installing into $(VENV) (pinned in requirements.lock) ..."
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e ./contracts -e .
	@rm -f $(VENV)/.installed-* && touch $@

$(OIDC_MODULES): infra/oidc/package-lock.json
	@command -v npm >/dev/null || { echo "Node.js (>= 20) with npm is required for the development identity provider"; exit 1; }
	@echo "Installing the development identity provider (infra/oidc, pinned in package-lock.json) ..."
	@npm ci --omit=dev --no-audit --no-fund --loglevel=error --prefix infra/oidc
	@touch $@

run: $(STAMP) $(OIDC_MODULES)
	$(VENV)/bin/wvggz up

demo: $(STAMP)
	$(VENV)/bin/wvggz demo

export: $(STAMP)
	$(VENV)/bin/wvggz export

bench: $(STAMP) $(OIDC_MODULES)
	$(PY) bench/registreer_melding.py
	$(PY) bench/trust_boundary.py

# The Compose Specification schema, taken from a package on PyPI (no other download is possible).
$(COMPOSE_SCHEMA): | $(STAMP)
	@mkdir -p .cache
	@$(PY) -m pip download --quiet --disable-pip-version-check --no-deps docker-compose==1.29.2 -d .cache
	@$(PY) -c 'import zipfile; z = zipfile.ZipFile(".cache/docker_compose-1.29.2-py2.py3-none-any.whl"); open("$@", "wb").write(z.read("compose/config/compose_spec.json"))'

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# promtool runs the alert rule unit tests (tests/test_alerts.py skips them without it). It comes
# with Debian's `prometheus` package; installed here only as root without a running systemd (a
# container: the package's daemon is not started there), else a note says how.
promtool:
	@if command -v promtool >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && [ ! -d /run/systemd/system ] && command -v apt-get >/dev/null; then \
		echo "Installing promtool (Debian package prometheus, --no-install-recommends) ..."; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends prometheus; } \
		|| echo "NOTE: promtool could not be installed; the alert rule tests will be skipped."; \
	else \
		echo "NOTE: promtool is missing: the alert rule tests in tests/test_alerts.py will be skipped."; \
		echo "      Install it: sudo apt-get install --no-install-recommends prometheus (Debian/Ubuntu;"; \
		echo "      on a systemd host this also starts a prometheus service: systemctl disable --now"; \
		echo "      prometheus), or put promtool from a Prometheus release on PATH."; \
	fi

test: $(STAMP) $(OIDC_MODULES) $(COMPOSE_SCHEMA) promtool lint
	$(VENV)/bin/wvggz export --check
	$(PY) -m pytest -q -ra

clean:
	rm -rf $(VENV) .cache .mypy_cache .pytest_cache .ruff_cache infra/oidc/node_modules
