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

.PHONY: demo test bench install browser virtuoso validate clean package-data notebooks

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
	$(BIN)/rightsgraph viz -o build/pages/network.html
	$(BIN)/rightsgraph viz --focus "Camp 15" --hops 1 -o build/pages/yodok.html
	$(BIN)/rightsgraph timeline -o build/pages/timeline.html
	$(BIN)/rightsgraph timeline -o build/pages/timeline.png
	@echo "Exports written to build/exports/:"; ls -l build/exports
	@echo "Pages written to build/pages/ (open them in a browser; they work offline):"; ls -l build/pages
	@echo "The rightsgraph command is in $(BIN)/: run '. $(BIN)/activate' to have it on your PATH."

# Debian's Chromium for the browser tests (needs root, as on CI and the project's machines).
browser:
	@command -v chromium >/dev/null 2>&1 || { echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's Virtuoso for tests/sparql/test_virtuoso.py (the test starts its own server on 127.0.0.1).
virtuoso:
	@command -v virtuoso-t >/dev/null 2>&1 || { echo "Installing Debian's virtuoso-opensource for the Virtuoso test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null; }

# The suite runs in TEST_WORKERS processes (pytest-xdist), a test file to each (--dist loadfile: a file's
# servers and fixtures are started once, in one process): 22 minutes in one process here, 12.6 in two.
TEST_WORKERS ?= 2

test: install browser virtuoso
	$(BIN)/rightsgraph build
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

# The benchmark (sizes 10^4 to 10^7, under 20 minutes): bench/results.json, results.md, scale.png and the
# README's benchmark section.
bench: install browser
	$(BIN)/python bench/benchmark.py --readme

# The ontology and the named queries ship inside the package as copies of ontology/ and queries/ (the source
# of truth); tests/test_package_data.py fails when they differ.
package-data:
	rm -f src/rightsgraph/data/queries/*.rq
	cp ontology/rightsgraph.ttl ontology/shapes.ttl ontology/context.jsonld src/rightsgraph/data/ontology/
	cp queries/*.rq src/rightsgraph/data/queries/

# JupyterLab on notebooks/ (installs the `notebooks` extra first).
notebooks: install
	$(BIN)/pip install --quiet -e '.[test,notebooks]'
	$(BIN)/jupyter lab notebooks/

validate: install
	$(BIN)/rightsgraph validate

clean:
	rm -rf build $(VENV)
