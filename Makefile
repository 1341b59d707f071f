# The few verbs people type. Everything runs from a project-local virtualenv in .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, pinned: the CPU build of this version; unpinned, pip would pull several GB of CUDA.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## make run: install, load the demo corpus into an empty database, serve on http://127.0.0.1:8000
run: $(STAMP)
	$(BIN)/paperradar demo
	$(BIN)/paperradar serve

## make test: the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/import.py
	$(BIN)/python bench/known_items.py
	$(BIN)/python bench/csfcube.py
	$(BIN)/python bench/search_speed.py
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .ruff_cache .mypy_cache
