# Two commands for a new user: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint fmt typecheck bench check clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/monitor db upgrade
	$(BIN)/monitor run

test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "no tests were collected: failing"; exit 1; fi; exit $$rc

lint: install
	$(BIN)/ruff check monitor alerts tests bench
	$(BIN)/ruff format --check monitor alerts tests bench || true

fmt: install
	$(BIN)/ruff format monitor alerts tests bench
	$(BIN)/ruff check --fix monitor alerts tests bench

typecheck: install
	$(BIN)/python -m pyright monitor/feeds monitor/matching monitor/items.py alerts 2>/dev/null || \
	  echo "pyright is not installed: pip install pyright"

bench: install
	$(BIN)/python bench/bench_matching.py
	$(BIN)/python bench/bench_pipeline.py
	$(BIN)/python bench/bench_hostile.py

check: lint test

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
