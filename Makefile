# Two commands do all the set-up on a fresh machine with Python 3.11+:
#   make site   build the site (site/) from deals/
#   make test   run the test suite
PYTHON ?= python3
FORMAT ?= text
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site serve test check diff schema bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[site,test]'
	touch $@

site: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve

test: $(STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/dealbrief check --format $(FORMAT) deals/

diff: $(STAMP)
	@$(BIN)/dealbrief diff $(if $(BASE),--base $(BASE))

schema: $(STAMP)
	$(BIN)/dealbrief schema > schema/deal.schema.json

bench: $(STAMP)
	$(BIN)/python scripts/bench_check.py

clean:
	rm -rf $(VENV) site .pytest_cache .hypothesis
