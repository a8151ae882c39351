# Stuurhut: two commands do all set-up on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/stuurhut.duckdb

.PHONY: run test install install-test bytecode demo lint bench screenshots clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test bytecode

# An editable install leaves our own modules as source, and where PYTHONDONTWRITEBYTECODE is set (it is on these
# machines) Python never caches their bytecode: every `stuurhut` process compiled etl/ and dashboard/ again, ~0.2 s
# of CPU per load. compileall writes the __pycache__ a wheel install would have; it redoes only changed files.
# Beside it, the snapshot of the contract's sheets and columns that lets a load run without pydantic
# (etl/contract_view.py; without a current one the loader derives it from the models, as before).
bytecode: $(VENV)/.installed
	$(BIN)/python -m compileall -q -j 0 etl dashboard >/dev/null
	$(BIN)/python -m etl.contract_view >/dev/null

$(DB): | $(VENV)/.installed bytecode
	$(BIN)/stuurhut demo --db $(DB)

demo: $(VENV)/.installed
	$(BIN)/stuurhut demo --db $(DB)

run: $(VENV)/.installed bytecode $(DB)
	$(BIN)/stuurhut serve --db $(DB)

# two workers (whole files each, so a module's expensive fixture is built once): 2 cores, ~8 instead of ~12 minutes
test: $(VENV)/.installed-test bytecode
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

bench: $(VENV)/.installed-test  # benchmarks/run_all.py compiles the bytecode itself (compile_bytecode)
	$(BIN)/python benchmarks/run_all.py

screenshots: $(VENV)/.installed-test
	$(BIN)/python docs/make_screenshots.py

clean:
	rm -rf $(VENV) $(DB)
