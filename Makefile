# The two commands of README.md: `make demo` (the main job) and `make test` (what CI runs).
# Both set everything up from scratch: virtual environment, packages, model files.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup models browser bwrap demo test lint typecheck check clean

$(STAMP): pyproject.toml requirements/lock.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -c requirements/lock.txt -e '.[dev,all]'
	touch $(STAMP)

setup: $(STAMP)

models: setup
	$(BIN)/codexlab model fetch default
	$(BIN)/codexlab model fetch smollm2-135m

# Greedy pass@1 of the embedded default model on all 164 HumanEval problems.
demo: models
	$(BIN)/codexlab run --model default --dataset humaneval --n 1 --temperature 0

# Headless Chromium for the HTML report's browser test (Debian packages; idempotent).
browser:
	command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		(apt-get update && apt-get install -y chromium chromium-driver)

# bubblewrap: the sandbox's fallback where a worker cannot enter namespaces itself; the tests exercise it.
bwrap:
	command -v bwrap >/dev/null || (apt-get update && apt-get install -y bubblewrap)

test: models browser bwrap
	$(BIN)/ruff check
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check

typecheck: setup
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
