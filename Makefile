# ZhiBao 知保 — the two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# The first Python >= 3.12 found: $PYTHON, python3.1x on PATH, then pyenv's versions.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python $$(pyenv root 2>/dev/null)/versions/3.1[2-9]*/bin/python python3; do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then command -v $$p; break; fi; done)

.PHONY: help install run test test-fast lint bench demo worker clean-venv

help:
	@echo "make run     安装、迁移、加载演示数据并在 http://$(HOST):$(PORT) 启动"
	@echo "make test    运行全部测试（设置 DATABASE_URL 时使用 PostgreSQL）"
	@echo "make install 仅安装（.venv/bin/zhibao 可用）"
	@echo "make lint    ruff + mypy + import-linter"
	@echo "make bench   运行基准测试并写入 docs/benchmarks.md"

$(BIN)/zhibao: pyproject.toml requirements.lock
	@if [ -z "$(PYTHON)" ]; then echo "错误：需要 Python 3.12 或更高版本（Django 6.1 的要求），未找到。请安装后重试，或用 PYTHON=/path/to/python3.12 make ..." >&2; exit 1; fi
	@echo "使用 Python: $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip uv
	$(BIN)/uv pip install -q --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	@touch $(BIN)/zhibao

install: $(BIN)/zhibao

run: install
	ZHIBAO_DEBUG=$${ZHIBAO_DEBUG:-1} $(BIN)/zhibao migrate --noinput
	ZHIBAO_DEBUG=$${ZHIBAO_DEBUG:-1} $(BIN)/zhibao demo load --url http://$(HOST):$(PORT)
	ZHIBAO_DEBUG=$${ZHIBAO_DEBUG:-1} $(BIN)/zhibao runserver $(HOST):$(PORT)

demo: install
	ZHIBAO_DEBUG=$${ZHIBAO_DEBUG:-1} $(BIN)/zhibao demo load

worker: install
	ZHIBAO_DEBUG=$${ZHIBAO_DEBUG:-1} $(BIN)/zhibao worker

# The whole suite, browser journeys included. SQLite unless DATABASE_URL is set.
test: install
	@echo "数据库: $${DATABASE_URL:-SQLite}"
	$(BIN)/pytest -q -p no:cacheprovider $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check zhibao bench gunicorn.conf.py
	$(BIN)/mypy zhibao/law zhibao/ledger zhibao/similarity
	$(BIN)/lint-imports

# PostgreSQL rows of `make bench` (cases and credit check) run in a scratch database created and dropped here
BENCH_PG_ADMIN ?= postgresql://postgres@127.0.0.1:5432/postgres
BENCH_PG_URL ?= postgresql://postgres@127.0.0.1:5432/zhibao_bench

bench: install
	@mkdir -p docs bench/out
	@command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null 2>&1 || echo "未安装 wrk：跳过闭环饱和测试行" >&2
	@{ echo "# ZhiBao benchmarks"; echo; echo "Written by \`make bench\` on $$(date -u +%Y-%m-%dT%H:%MZ), $$(nproc) cores, $$($(BIN)/python -V)."; \
	   echo "Every figure is measured in the same run as its named baseline."; echo; } > bench/out/benchmarks.md
	@for b in bench/bench_*.py; do echo "== $$b" >&2; ZHIBAO_DEBUG=1 $(BIN)/python $$b >> bench/out/benchmarks.md || exit 1; echo >> bench/out/benchmarks.md; done
	@if psql "$(BENCH_PG_ADMIN)" -qc "select 1" >/dev/null 2>&1; then \
	  for b in bench/bench_cases.py bench/bench_credit.py; do echo "== $$b (PostgreSQL)" >&2; \
	    psql "$(BENCH_PG_ADMIN)" -qc "DROP DATABASE IF EXISTS zhibao_bench" -c "CREATE DATABASE zhibao_bench" >/dev/null || exit 1; \
	    DATABASE_URL=$(BENCH_PG_URL) ZHIBAO_DEBUG=1 $(BIN)/python $$b >> bench/out/benchmarks.md || exit 1; echo >> bench/out/benchmarks.md; done; \
	  psql "$(BENCH_PG_ADMIN)" -qc "DROP DATABASE IF EXISTS zhibao_bench" >/dev/null; \
	else echo "PostgreSQL 不可用（$(BENCH_PG_ADMIN)）：跳过 PostgreSQL 基准" >&2; fi
	@mv bench/out/benchmarks.md docs/benchmarks.md
	@echo "已写入 docs/benchmarks.md"

clean-venv:
	rm -rf $(VENV)
