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
# The staff portal's front-end assets: NL Design System CSS, fonts and axe-core (npm registry).
PORTAAL_ASSETS := infra/portaal-assets/node_modules/.package-lock.json
# One `apt-get update` serves each Debian package installed below (promtool, chromium): it is
# skipped when one of these targets ran it in the last hour.
APT_UPDATE := { [ -n "$$(find .cache/apt-updated -mmin -60 2>/dev/null)" ] \
	|| { apt-get update -qq && mkdir -p .cache && touch .cache/apt-updated; }; }

.PHONY: run test demo bench export lint clean promtool chromium pdf-libs postgres

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

$(PORTAAL_ASSETS): infra/portaal-assets/package-lock.json
	@command -v npm >/dev/null || { echo "Node.js (>= 20) with npm is required for the portal's assets"; exit 1; }
	@echo "Installing the portal's front-end assets (infra/portaal-assets, pinned in package-lock.json) ..."
	@npm ci --no-audit --no-fund --loglevel=error --prefix infra/portaal-assets
	@touch $@

run: $(STAMP) $(OIDC_MODULES) $(PORTAAL_ASSETS) pdf-libs
	$(VENV)/bin/wvggz up

demo: $(STAMP)
	$(VENV)/bin/wvggz demo

export: $(STAMP)
	$(VENV)/bin/wvggz export

bench: $(STAMP) $(OIDC_MODULES) $(PORTAAL_ASSETS) postgres
	$(PY) bench/registreer_melding.py
	$(PY) bench/replicas.py
	$(PY) bench/keten.py
	$(PY) bench/trust_boundary.py
	$(PY) bench/portaal_pages.py
	$(PY) bench/notificaties_fanout.py
	$(PY) bench/overleg_rebuild.py
	$(PY) bench/rebuild_views.py
	$(PY) bench/verify.py
	$(PY) bench/tracing.py

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
		{ $(APT_UPDATE) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends prometheus; } \
		|| echo "NOTE: promtool could not be installed; the alert rule tests will be skipped."; \
	else \
		echo "NOTE: promtool is missing: the alert rule tests in tests/test_alerts.py will be skipped."; \
		echo "      Install it: sudo apt-get install --no-install-recommends prometheus (Debian/Ubuntu;"; \
		echo "      on a systemd host this also starts a prometheus service: systemctl disable --now"; \
		echo "      prometheus), or put promtool from a Prometheus release on PATH."; \
	fi

# Chromium runs the browser tests (tests/browser: Playwright drives Debian's build; no browser is
# ever downloaded). Installed like promtool; where that cannot be done, `make test` stops here.
chromium:
	@if [ -x /usr/bin/chromium ] || command -v chromium >/dev/null \
		|| { [ -n "$${CHROMIUM:-}" ] && [ -x "$${CHROMIUM:-}" ]; }; then :; \
	elif [ "$$(id -u)" = 0 ] && [ ! -d /run/systemd/system ] && command -v apt-get >/dev/null; then \
		echo "Installing Chromium for the browser tests (Debian package chromium, --no-install-recommends) ..."; \
		{ $(APT_UPDATE) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			-o DPkg::Lock::Timeout=300 --no-install-recommends chromium; } \
		|| { echo "ERROR: installing Debian's chromium package failed (see above); the browser tests need it."; exit 1; }; \
	else \
		echo "ERROR: Chromium is missing; the browser tests in tests/browser need it."; \
		echo "       Install it: sudo apt-get install --no-install-recommends chromium (Debian), or set"; \
		echo "       CHROMIUM=/path/to/chromium (any Chromium or Chrome build). No browser is downloaded."; \
		exit 1; \
	fi

# WeasyPrint sets the letters and afschriften as PDF (services/notificaties/documenten) with Pango,
# HarfBuzz's font subsetter and the DejaVu fonts, all from Debian (no font is downloaded).
# Installed as root where apt-get is (libraries and fonts start no daemon); elsewhere `make run`
# and `make test` stop here with the command to run.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core
pdf-libs:
	@libs="$$({ ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null)"; \
	if echo "$$libs" | grep -q 'libpango-1\.0\.so\.0' && echo "$$libs" | grep -q 'libpangoft2-1\.0\.so\.0' \
		&& echo "$$libs" | grep -q 'libharfbuzz-subset\.so\.0' && fc-list 2>/dev/null | grep -q DejaVu; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing the PDF libraries and fonts (Debian packages $(PDF_PACKAGES), --no-install-recommends) ..."; \
		{ $(APT_UPDATE) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			-o DPkg::Lock::Timeout=300 --no-install-recommends $(PDF_PACKAGES); } \
		|| { echo "ERROR: installing the PDF libraries failed (see above); letters and afschriften need them."; exit 1; }; \
	else \
		echo "ERROR: Pango, HarfBuzz's subsetter or the DejaVu fonts are missing; WeasyPrint needs them"; \
		echo "       for the letters and afschriften (services/notificaties/documenten). Install them:"; \
		echo "       sudo apt-get install --no-install-recommends $(PDF_PACKAGES)"; \
		exit 1; \
	fi

# PostgreSQL runs the PostgreSQL event store's tests (tests/kernel/eventstore/test_postgres_store.py
# starts a throwaway server of its own with initdb and pg_ctl, so only the binaries are needed).
# Installed like Chromium where no server binaries are found; elsewhere `make test` stops here.
postgres:
	@if { command -v initdb && command -v pg_ctl; } >/dev/null 2>&1 \
		|| ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
		|| { [ -n "$${PG_BINDIR:-}" ] && [ -x "$${PG_BINDIR:-}/initdb" ]; }; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing PostgreSQL for the event store tests (Debian package postgresql, --no-install-recommends) ..."; \
		{ $(APT_UPDATE) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			-o DPkg::Lock::Timeout=300 --no-install-recommends postgresql; } \
		|| { echo "ERROR: installing Debian's postgresql package failed (see above); the PostgreSQL event store tests need it."; exit 1; }; \
	else \
		echo "ERROR: PostgreSQL's server binaries (initdb, pg_ctl) are missing; the tests in"; \
		echo "       tests/kernel/eventstore/test_postgres_store.py need them. Install them: sudo apt-get"; \
		echo "       install --no-install-recommends postgresql (Debian), or set PG_BINDIR to their folder."; \
		exit 1; \
	fi

test: $(STAMP) $(OIDC_MODULES) $(PORTAAL_ASSETS) $(COMPOSE_SCHEMA) promtool chromium pdf-libs postgres lint
	$(VENV)/bin/wvggz export --check
	$(PY) -m pytest -q -ra

clean:
	rm -rf $(VENV) .cache .mypy_cache .pytest_cache .ruff_cache infra/oidc/node_modules \
		infra/portaal-assets/node_modules
