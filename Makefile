# Two commands matter: `make demo` and `make test`. Both create .venv and install first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DO_NOT_TRACK := 1

.PHONY: demo test test-all lint bench install clean system-packages

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP) system-packages
	$(BIN)/stockyard demo

system-packages:
	bash scripts/system-packages.sh

# CI runs `make test`: everything but the suites marked slow (see pyproject's markers), one
# worker per core (tests/support/xdist_groups.py groups what shares a fixture). PYTEST_WORKERS=0:
# one process.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist loadgroup
test: $(STAMP) system-packages lint
	$(BIN)/pytest $(PYTEST_PARALLEL) -m "not slow" --durations=15

test-all: $(STAMP) system-packages lint
	$(BIN)/pytest $(PYTEST_PARALLEL)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .stockyard .pytest_cache .mypy_cache .ruff_cache
