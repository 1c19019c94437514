# Anlaufstelle: set-up, run, test, benchmark.
# `make run` serves the demo site on SQLite; `make test` installs what tests need and runs them.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
export ANLAUFSTELLE_CONFIG ?= $(CURDIR)/config.toml

APT_PACKAGES := fonts-noto-core fonts-dejavu-core libfribidi0 libusb-1.0-0 espeak-ng chromium \
	poppler-utils

.PHONY: install run test lint typecheck pytest bench soak translations catalog system-deps vendor clean

# Catalogs are compiled on every install: they are cheap and change often.
install: $(STAMP) server/static/vendor/socket.io.min.js server/static/vendor/chart.umd.min.js \
	tests/e2e/vendor/axe.min.js
	@$(MAKE) --no-print-directory translations

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

server/static/vendor/socket.io.min.js server/static/vendor/chart.umd.min.js tests/e2e/vendor/axe.min.js &: \
		package.json package-lock.json
	$(MAKE) --no-print-directory vendor

# Catalogs: translations/ for server-wide strings, <part>/translations for each blueprint.
CATALOG_DIRS := translations kiosk/translations counter/translations display/translations
LOCALES := de en ar ku ckb

translations:
	@for dir in $(CATALOG_DIRS); do \
	  if ls $$dir/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then $(BIN)/pybabel -q compile -d $$dir; fi; \
	done

# Re-extract the strings of one part and update its catalogs: make catalog PART=kiosk
catalog:
	@src="$(if $(filter server,$(PART)),server printers,$(PART))"; \
	dir=$(if $(filter server,$(PART)),translations,$(PART)/translations); \
	mkdir -p $$dir; \
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -o $$dir/messages.pot $$src; \
	for l in $(LOCALES); do \
	  if [ -f $$dir/$$l/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel -q update -i $$dir/messages.pot -d $$dir -l $$l --no-fuzzy-matching; \
	  else $(BIN)/pybabel -q init -i $$dir/messages.pot -d $$dir -l $$l; fi; \
	done

# Front-end code comes from pinned npm packages, copied into the blueprints' static folders;
# axe-core (accessibility checks) only into the browser tests' folder.
# The registry sometimes drops a connection (seen: ECONNRESET in a CI run): try again.
vendor:
	@for try in 1 2 3 4; do \
	  npm ci --no-audit --no-fund --loglevel=error --fetch-retries=5 && break; \
	  if [ $$try = 4 ]; then echo "npm ci failed 4 times" >&2; exit 1; fi; \
	  echo "npm ci failed (try $$try of 4), trying again in 5 s" >&2; sleep 5; \
	done
	mkdir -p server/static/vendor
	cp node_modules/socket.io-client/dist/socket.io.min.js server/static/vendor/socket.io.min.js
	cp node_modules/socket.io-client/LICENSE server/static/vendor/socket.io-client.LICENSE
	cp node_modules/chart.js/dist/chart.umd.min.js server/static/vendor/chart.umd.min.js
	cp node_modules/chart.js/LICENSE.md server/static/vendor/chart.js.LICENSE.md
	mkdir -p tests/e2e/vendor
	cp node_modules/axe-core/axe.min.js tests/e2e/vendor/axe.min.js
	cp node_modules/axe-core/LICENSE tests/e2e/vendor/axe-core.LICENSE

# Debian packages the system needs on the box: fonts covering Latin and Arabic script,
# fribidi for Pillow's raqm layout, espeak-ng for spoken calls, chromium for browser tests.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

run: system-deps install
	mkdir -p var
	$(BIN)/anlaufstelle db upgrade
	$(BIN)/anlaufstelle demo-users
	$(BIN)/anlaufstelle demo history --weeks 8
	$(BIN)/anlaufstelle serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test: system-deps install lint typecheck pytest

bench: system-deps install
	$(BIN)/python -m bench

# 30 minutes of mixed load printing RSS, descriptors and threads each minute (not in test).
SOAK_MINUTES ?= 30
soak: install
	SOAK_MINUTES=$(SOAK_MINUTES) $(BIN)/python -m bench.soak

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache
