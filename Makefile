# Pantau: `make demo` serves the demo on http://127.0.0.1:8000 (`make demo PORT=8080 HOST=0.0.0.0`
# serves it elsewhere), `make test` runs the whole suite.
PYTHON ?= python3
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The address people reach the demo at: QR codes and invitation links are built from it. With
# HOST=0.0.0.0 (every interface) that is this machine's first address, not 0.0.0.0.
PUBLIC_HOST = $(if $(filter 0.0.0.0 ::,$(HOST)),$(firstword $(shell hostname -I 2>/dev/null) 127.0.0.1),$(HOST))
DEMO_ENV = DEBUG=false SECRET_KEY_FILE=var/secret_key SITE_URL=http://$(PUBLIC_HOST):$(PORT) \
  ALLOWED_HOSTS=$(PUBLIC_HOST),127.0.0.1,localhost
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip install -q --disable-pip-version-check -c constraints.txt
export DJANGO_SETTINGS_MODULE := pantau.settings

.PHONY: demo serve test test-pg lint bench check-python setup setup-test constraints messages clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || { \
	  echo "Pantau needs Python 3.11 or newer, but '$(PYTHON)' is: $$($(PYTHON) --version 2>&1)."; \
	  echo "Install python3.11+ and run again, e.g. 'make demo PYTHON=python3.12'."; exit 1; }

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)

$(VENV)/.base: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) -e .
	@touch $@

$(VENV)/.test: $(VENV)/.base
	$(PIP) -e '.[test,lint]'
	@touch $@

setup: $(VENV)/.base
setup-test: $(VENV)/.test

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@chmod 600 $@

demo: setup var/secret_key
	@scripts/system-packages runtime
	@$(DEMO_ENV) $(BIN)/pantau demo_setup
	@echo "Serving Pantau on http://$(PUBLIC_HOST):$(PORT) (Ctrl-C to stop)"
	@# db_worker renders the PDF boards and sends mail (every background task) beside gunicorn.
	@$(DEMO_ENV) $(BIN)/pantau db_worker --queue-name '*' & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_ENV) $(BIN)/gunicorn pantau.wsgi --bind $(HOST):$(PORT) --workers 2 --log-level warning

test: setup-test
	@scripts/system-packages test
	$(BIN)/pytest -n 2 -m "not slow" $(PYTEST_ARGS)

lint: setup-test
	$(BIN)/ruff check pantau bench tests
	$(BIN)/mypy pantau

bench: setup-test
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Regenerates pantau/locale/en/LC_MESSAGES/django.po and compiles django.mo (commit both); new strings
# arrive untranslated: translate them in the .po, then run this again. Needs GNU gettext.
messages: setup
	@command -v msgfmt >/dev/null && command -v xgettext >/dev/null || { \
	  echo "make messages needs GNU gettext (msgfmt, xgettext); on Debian: apt-get install gettext"; exit 1; }
	mkdir -p pantau/locale
	cd pantau && DEBUG=true ../$(BIN)/pantau makemessages -l en --no-obsolete && \
	  DEBUG=true ../$(BIN)/pantau compilemessages -l en

constraints: setup-test
	@{ echo '# Exact versions of every dependency (runtime, test, lint). Regenerate with: make constraints'; \
	  $(BIN)/pip freeze --exclude-editable; } > constraints.txt

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static
