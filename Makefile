# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := chromium fonts-dejavu-core fonts-liberation libreoffice-writer-nogui
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test check bench index system-deps clean

run: $(VENV)/.installed-app index
	$(BIN)/send-assistant serve --host 127.0.0.1 --port 7860

# The quick subset to run while working: pure-logic and parser tests, no model, browser, LLM or soffice (≤ 90 s).
check: $(VENV)/.installed-app
	$(BIN)/pytest -q -m "not slow"

test: system-deps $(VENV)/.installed-test node_modules/axe-core/axe.min.js index
	$(BIN)/pytest -q

bench: $(VENV)/.installed-app index
	$(BIN)/python benchmarks/bench.py

index: $(VENV)/.installed-app
	$(BIN)/send-assistant ingest

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# torch==2.13.0 is pinned in pyproject.toml: it is the local CPU wheel (an unpinned torch pulls CUDA).
$(VENV)/.installed-app: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# The llm extra compiles llama-cpp-python (about 11 minutes once; pip's wheel cache makes it quick after).
$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-app
	$(BIN)/pip install -q -e '.[dev,llm]'
	touch $@

system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium fonts-dejavu-core"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-writer-nogui"; \
	[ -d /usr/share/fonts/truetype/liberation ] || missing="$$missing fonts-liberation"; \
	if [ -n "$$missing" ]; then \
		echo "Installing from apt:$$missing"; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

node_modules/axe-core/axe.min.js:
	npm install --no-package-lock --no-audit --no-fund >/dev/null

clean:
	rm -rf $(VENV) data node_modules reports test-artifacts
