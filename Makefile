# nianbao — make targets.  `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test lint bench bench-pipeline bench-checks clean

setup: $(STAMP)

# The install compiles the text parser with mypyc (setup.py): editing its sources (the files of
# nianbao._accel.COMPILED, all below) rebuilds it.
$(STAMP): pyproject.toml setup.py $(wildcard nianbao/parse/*.py nianbao/read/*.py nianbao/model.py nianbao/_accel.py)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

## Run the nightly job once on the bundled sample inbox (embedded DuckDB, ephemeral Prefect).
run: setup
	$(VENV)/bin/nianbao run --inbox data/inbox --db data/out/nianbao.duckdb

## The whole test suite (corpus tests skip when ../shared is absent).
test: setup
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check nianbao flows tests bench

## Parser throughput: text and HTML reports/s on one core, against bare lxml.
bench: setup
	$(PY) bench/bench_parse.py
	@if [ -f bench/bench_office.py ]; then $(PY) bench/bench_office.py; fi

## The pipeline on 10,000 generated reports.
bench-pipeline: setup
	$(PY) bench/bench_pipeline.py

## All quality checks over 10,000 generated submissions.
bench-checks: setup
	$(PY) bench/bench_checks.py

clean:
	rm -rf data/out data/publish .pytest_cache
