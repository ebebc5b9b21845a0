# Two commands do all the set-up on a fresh machine with Python 3.11 and pip:
#   make demo   install, migrate a SQLite database, load the demo data, serve on :8000
#   make test   install, then run the whole test suite (SQLite unless DATABASE_URL is set)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ADDR   ?= 127.0.0.1:8000

.PHONY: demo test test-spark bench lint audit messages browser pdftools clean

$(VENV)/.base: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev: $(VENV)/.base
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

$(VENV)/.spark: $(VENV)/.dev
	$(BIN)/python -m pip install -q -e ".[dev,spark]"
	touch $@

demo: $(VENV)/.base
	DEBUG=true $(BIN)/shopfloor migrate
	DEBUG=true $(BIN)/shopfloor demo
	DEBUG=true $(BIN)/shopfloor serve --addr $(ADDR)

test: $(VENV)/.dev browser pdftools
	$(BIN)/pytest

# The Spark engine's tests (CI runs them inside `make test` after installing the extra).
test-spark: $(VENV)/.spark
	$(BIN)/pytest -m spark

# Benchmarks are scripts, not tests: they print the figures docs/ quotes.
bench: $(VENV)/.spark
	$(BIN)/python benchmarks/import_bench.py --rows 1000000
	$(BIN)/python benchmarks/match_bench.py
	$(BIN)/python benchmarks/match_bench.py --registry 50000 --rows 5000 --engine spark
	$(BIN)/python benchmarks/febrl_bench.py
	$(BIN)/python benchmarks/gazetteer_bench.py --addresses 100000
	$(BIN)/python benchmarks/web_bench.py
	$(BIN)/python benchmarks/web_bench.py --database-url postgres://postgres@127.0.0.1:5432/web_bench
	$(BIN)/python benchmarks/brief_bench.py

lint: $(VENV)/.dev
	$(BIN)/ruff check .

# Security checks: bandit fails on any high-severity finding (medium and low are printed);
# pip-audit fails on any known vulnerability and says which packages it could not check.
audit: $(VENV)/.dev
	$(BIN)/bandit -q -r shopfloor -x shopfloor/migrations --severity-level medium --exit-zero
	$(BIN)/bandit -q -r shopfloor -x shopfloor/migrations --severity-level high
	mkdir -p var
	$(BIN)/pip-audit --progress-spinner off --skip-editable -f json -o var/pip-audit.json || true
	$(BIN)/python .ci/pip_audit_report.py var/pip-audit.json

# Debian's Chromium for the browser tests (Playwright cannot download browsers here).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "warning: could not install chromium; browser tests will be skipped"; \
	  else echo "warning: /usr/bin/chromium missing (apt-get install chromium); browser tests will be skipped"; fi; \
	fi

# Debian's poppler-utils (pdftotext, pdftoppm) for the tests that read PDFs back.
pdftools:
	@if ! command -v pdftotext >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null) \
	      || echo "warning: could not install poppler-utils; PDF text tests will be skipped"; \
	  else echo "warning: pdftotext missing (apt-get install poppler-utils); PDF text tests will be skipped"; fi; \
	fi

# Update the Khmer catalogue after changing UI strings, translate, then compile.
messages: $(VENV)/.dev
	cd shopfloor && DEBUG=true ../$(BIN)/python -m django makemessages -l km \
	  --settings shopfloor.settings --ignore '.venv/*' --ignore 'tests/*'
	cd shopfloor && DEBUG=true ../$(BIN)/python -m django compilemessages -l km --settings shopfloor.settings

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
