# jwpextract: `make run` extracts the bundled corpus into output/, `make test` runs the checks.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: run test lint schema bench bench-index clean

$(BIN)/jwpextract: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/jwpextract
	$(BIN)/jwpextract extract corpus/ -o output/

test: $(BIN)/jwpextract
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest

schema: $(BIN)/jwpextract
	$(BIN)/jwpextract schema > schema/plan.schema.json

bench: $(BIN)/jwpextract
	$(BIN)/python benchmarks/bench.py

bench-index: $(BIN)/jwpextract
	$(BIN)/python benchmarks/bench_index.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
