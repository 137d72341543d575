# Two commands do all the set-up on a fresh machine with Python 3.11+:
#   make site   build the site and PDFs from deals/   (for now: check every deal and print its business case)
#   make test   run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test check schema bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

site: $(STAMP)
	$(BIN)/dealbrief check deals/
	@for deal in deals/*.yaml; do $(BIN)/dealbrief show "$$(basename "$$deal" .yaml)" || exit $$?; done

test: $(STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/dealbrief check deals/

schema: $(STAMP)
	$(BIN)/dealbrief schema > schema/deal.schema.json

bench: $(STAMP)
	$(BIN)/python scripts/bench_check.py

clean:
	rm -rf $(VENV) site .pytest_cache .hypothesis
