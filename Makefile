# The two commands of README.md: `make demo` (the main job) and `make test` (what CI runs).
# Both set everything up from scratch: virtual environment, packages, model files.

PYTHON    ?= python3
VENV      ?= .venv
BIN       := $(VENV)/bin
STAMP     := $(VENV)/.installed
BASE_VENV ?= .venv-base

.PHONY: setup models browser bwrap demo test test-base lint typecheck check clean

# llama.cpp for any x86-64 CPU with AVX2. Its default build is -march=native, and pip caches that wheel under the
# package's name alone: a build on a CPU with AMX (Sapphire Rapids) crashed in its first decode on that very VM,
# and a wheel built on one machine may not run on the next. So codexlab builds its own wheel with these flags,
# without pip's cache, keeps it in a folder named after them, and installs that one.
LLAMA_VERSION := 0.3.36
LLAMA_CMAKE   := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
LLAMA_WHEELS  := $(HOME)/.cache/codexlab/wheels/llama-cpp-python-$(LLAMA_VERSION)-avx2

$(LLAMA_WHEELS)/.built:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	CMAKE_ARGS="$(LLAMA_CMAKE)" $(BIN)/pip wheel --disable-pip-version-check -q --no-deps --no-cache-dir \
		-w $(LLAMA_WHEELS) llama-cpp-python==$(LLAMA_VERSION)
	touch $@

$(STAMP): pyproject.toml requirements/lock.txt Makefile $(LLAMA_WHEELS)/.built
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q --no-deps --no-index --force-reinstall \
		--find-links $(LLAMA_WHEELS) llama-cpp-python==$(LLAMA_VERSION)
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

# the public Python API (codexlab.__all__ and the modules it names) is held to mypy --strict
PUBLIC_API = src/codexlab/__init__.py src/codexlab/api.py src/codexlab/problems/types.py src/codexlab/problems/loader.py \
	src/codexlab/generation/types.py src/codexlab/generation/registry.py src/codexlab/execution/__init__.py \
	src/codexlab/execution/types.py src/codexlab/evaluation/evaluate.py src/codexlab/evaluation/pass_at_k.py \
	src/codexlab/store/__init__.py src/codexlab/store/rundata.py src/codexlab/problems/__init__.py src/codexlab/evaluation/__init__.py

test: models browser bwrap
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/mypy
	$(BIN)/mypy --strict $(PUBLIC_API)
	$(BIN)/pytest -q
	$(MAKE) test-base

# The base package alone (no extras) in a second fresh venv: every command that does not train must work there.
test-base: models
	rm -rf $(BASE_VENV)
	$(PYTHON) -m venv $(BASE_VENV)
	$(BASE_VENV)/bin/pip install --disable-pip-version-check -q --no-deps --no-index \
		--find-links $(LLAMA_WHEELS) llama-cpp-python==$(LLAMA_VERSION)
	$(BASE_VENV)/bin/pip install --disable-pip-version-check -q -c requirements/lock.txt -e '.[dev]'
	$(BASE_VENV)/bin/python -c "import sys, codexlab.cli.main as m; m.build_parser(); \
		heavy = {'torch', 'transformers', 'tokenizers', 'llama_cpp'} & set(sys.modules); assert not heavy, heavy"
	$(BASE_VENV)/bin/codexlab --help >/dev/null
	$(BASE_VENV)/bin/codexlab evaluate --canonical
	$(BASE_VENV)/bin/pytest -q -p no:cacheprovider tests/test_text.py tests/test_api.py tests/cli tests/evaluation \
		tests/execution/test_process_executor.py tests/execution/test_calibration_cache.py \
		tests/generation/test_llamacpp.py tests/generation/test_model_files.py tests/store tests/problems tests/test_architecture.py \
		tests/analyses/test_metrics_ci.py tests/analyses/test_ranking_heuristics.py

lint: setup
	$(BIN)/ruff check
	$(BIN)/ruff format --check

typecheck: setup
	$(BIN)/mypy
	$(BIN)/mypy --strict $(PUBLIC_API)

clean:
	rm -rf $(VENV) $(BASE_VENV) .pytest_cache .mypy_cache .ruff_cache
