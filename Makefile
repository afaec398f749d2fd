# The two commands of the README: `make demo` and `make test`. Both set up .venv from PyPI first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The corpus is used when it is there (quotes are then checked against it); without it the graph
# builds from the offsets recorded in graph/anchors.tsv.
CORPUS ?= $(abspath ../shared/corpus)
ifneq ($(wildcard $(CORPUS)/manifest.yaml),)
export RIGHTSGRAPH_CORPUS ?= $(CORPUS)
endif

.PHONY: demo test install install-test build validate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/rightsgraph build
	$(BIN)/rightsgraph stats
	$(BIN)/rightsgraph query camps-with-prisoner-estimates
	$(BIN)/rightsgraph query coi-members
	$(BIN)/rightsgraph query figures-sources-disagree-on
	$(BIN)/rightsgraph describe "Camp 15"
	@echo "Exports written to build/exports/:"; ls -l build/exports

test: install
	$(BIN)/rightsgraph build
	$(BIN)/python -m pytest -q

validate: install
	$(BIN)/rightsgraph validate

clean:
	rm -rf build $(VENV)
