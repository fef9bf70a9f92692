# 履职通 (lvzhi). `make run` serves the demo on http://127.0.0.1:8000; `make test` runs the suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1:8000

.PHONY: run install install-dev migrate demo messages test test-sqlite test-pg browser-deps lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

messages: install
	cd lvzhi && ../$(BIN)/django-admin compilemessages --ignore='.venv' >/dev/null

migrate: install messages
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py proposals_intel >/dev/null  # similarity index and suggestions (a worker does it nightly)

run: demo
	$(BIN)/python manage.py collectstatic --noinput >/dev/null
	$(BIN)/python manage.py demo_accounts
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

# Chromium and CJK fonts for the browser tests (Debian packages; no browser download happens).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium and fonts-noto-cjk for the browser tests"; \
	  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

test: install-dev messages browser-deps
	@$(MAKE) --no-print-directory test-sqlite
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  $(MAKE) --no-print-directory test-pg; \
	elif [ -n "$$LVZHI_REQUIRE_PG" ]; then \
	  echo "*** PostgreSQL is not reachable at $(PG_URL) and LVZHI_REQUIRE_PG is set: failing. ***"; exit 1; \
	else \
	  echo "*** PostgreSQL is not reachable at $(PG_URL): ran the SQLite suite only. CI runs both. ***"; \
	fi

test-sqlite:
	@echo "=== test suite on SQLite ==="
	$(BIN)/pytest -q -p no:cacheprovider

test-pg:
	@echo "=== test suite on PostgreSQL ($(PG_URL)) ==="
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -p no:cacheprovider

lint: install-dev
	$(BIN)/ruff check lvzhi tests bench
	$(BIN)/ruff format --check lvzhi tests bench

bench: install-dev messages
	@for b in bench/*.py; do case $$b in */_*) continue;; esac; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf var staticfiles
