# Two commands matter: `make serve` and `make test`. Both set everything up first.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
SETUP  := $(VENV)/.setup-done
CONSTRAINTS := constraints.txt
LATEST := .venv-latest
# The CPU build of PyTorch, installed first so that sentence-transformers does not pull
# a several-GB GPU build. Kept in test-latest too: it is not a dependency the site teaches.
TORCH  := torch==2.13.0
MERMAID := .cache/mermaid/mermaid.min.js
SHIM    := docs/assets/javascripts/vendor/iframe-worker-shim.js
CHROMIUM := /usr/bin/chromium
export NO_MKDOCS_2_WARNING := 1

.PHONY: help setup serve test bench-tests pytest-args mutants test-latest constraints test-live build offline build-zensical lighthouse diagrams lint format update-examples double vendor new-guide facts clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

# `make test` installs exactly the versions CI tested (constraints.txt); readers'
# ranges stay in pyproject.toml.
$(SETUP): pyproject.toml $(CONSTRAINTS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) "$(TORCH)"
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e ".[dev]"
	touch $(SETUP)

setup: $(SETUP) $(SHIM) ## Create .venv with the pinned versions (again when pyproject.toml or constraints.txt change)

$(SHIM):
	bash scripts/vendor_assets.sh shim

$(MERMAID):
	bash scripts/vendor_assets.sh mermaid

vendor: $(MERMAID) $(SHIM) ## Fetch the front-end files the build needs (iframe-worker shim; Mermaid for diagrams)

# The browser tests and `make lighthouse` drive Debian's Chromium. As root on Debian it is
# installed here; elsewhere the browser tests skip and say why.
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends chromium fonts-liberation; \
	else \
	  echo "make: no $(CHROMIUM); install Debian's chromium to run the browser tests"; \
	fi

serve: setup ## Serve the site on http://127.0.0.1:8000 with live reload
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

# Every build is the generator, then the one post-build step (site_markdown/post_build/:
# llms.txt, glossary "Used on", home totals, FAQ data, offline shim, notebook pages).
POST_BUILD := $(BIN)/python -m site_markdown.post_build

build: setup ## Build the site into site/ and fail on any warning
	$(BIN)/mkdocs build --strict
	$(POST_BUILD) site

offline: setup ## Build the site to read from disk (file://, search included) into site-offline/
	OFFLINE=true $(BIN)/mkdocs build --strict --site-dir site-offline
	$(POST_BUILD) site-offline

# zensical.yml: mkdocs.yml plus Zensical's output directory and its watched files.
build-zensical: setup ## Build the same site with Zensical (Material's successor) into site-zensical/
	$(BIN)/zensical build --strict --config-file zensical.yml
	$(POST_BUILD) site-zensical

# PAGE=stages/01-model-as-component/ (or PAGE=/ for home) runs one page; RUNS=1 is quicker.
lighthouse: setup $(CHROMIUM) ## Every page vs stock Material, side by side, 3 interleaved runs (about an hour)
	$(BIN)/python scripts/lighthouse.py $(if $(PAGE),--page "$(PAGE)") $(if $(RUNS),--runs $(RUNS))

diagrams: setup $(MERMAID) $(CHROMIUM) ## Draw every Mermaid diagram in docs/ to SVG (commit what it writes)
	$(BIN)/python scripts/render_diagrams.py

lint: setup ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# One process per core (pytest-xdist); the site is built once per run for every worker.
# `make test STAGE=3` runs one stage's tests in one process, without the coverage gate.
WORKERS ?= auto
PYTEST_ALL := -n $(WORKERS) --dist worksteal --cov=snippets --cov-report=term-missing:skip-covered

mutants: setup ## Mutation testing (mutmut): per module, the changes no test catches (STAGE=N: one stage)
	$(BIN)/python scripts/mutants.py $(if $(STAGE),--stage $(STAGE))

pytest-args: # what `make test` passes to pytest (read by scripts/bench_tests.py)
	@printf "%s\n" "$(PYTEST_ALL)"

bench-tests: setup $(CHROMIUM) ## Time `make test` phase by phase, with the machine's load (a benchmark)
	$(BIN)/python scripts/bench_tests.py

test: setup lint $(CHROMIUM) ## Every test offline against the local API double, 100% coverage (STAGE=N: one stage)
	$(if $(STAGE),$(BIN)/pytest tests/stage$(STAGE),$(BIN)/pytest $(PYTEST_ALL))

test-latest: $(SHIM) $(CHROMIUM) ## The suite on the newest release of every dependency, in .venv-latest
	rm -rf $(LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --upgrade pip
	echo "$(TORCH)" > $(LATEST)/cpu-torch.txt  # every other package at its newest
	$(LATEST)/bin/python -m pip install --quiet -c $(LATEST)/cpu-torch.txt "$(TORCH)"
	$(LATEST)/bin/python -m pip install --quiet -c $(LATEST)/cpu-torch.txt --upgrade \
	  --upgrade-strategy eager -e ".[dev]"
	$(LATEST)/bin/python scripts/constraints.py diff $(LATEST)
	$(LATEST)/bin/pytest -p no:cacheprovider $(PYTEST_ALL)

constraints: test-latest ## Refresh constraints.txt from the newest releases, once the whole suite passed on them
	$(LATEST)/bin/python scripts/constraints.py freeze $(LATEST)

test-live: setup ## The same tests against the real API (needs ANTHROPIC_API_KEY; costs money)
	$(BIN)/pytest --live

update-examples: setup ## Rewrite the #> output lines of inline Markdown examples, then review the diff
	$(BIN)/pytest tests/test_docs_examples.py --update-examples

format: setup ## Format and fix what ruff can fix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

facts: setup ## Every dated fact on the site, oldest first; flags those read over 90 days ago
	$(BIN)/python -m scripts.facts

double: setup ## Start the local Messages API double and print the export lines
	$(BIN)/python -m tests.double

new-guide: setup ## Scaffold a guide: make new-guide SLUG=rag-evals STAGE=3 TITLE="Evaluating RAG"
	$(BIN)/python -m scripts.new_guide "$(SLUG)" --stage "$(STAGE)" --title "$(TITLE)"

clean: ## Remove build output and caches (keeps .venv)
	rm -rf site site-offline site-zensical .pytest_cache .coverage htmlcov
