# Two commands do all the set-up on a fresh machine with Python 3.11+:
#   make site   build the site (site/) from deals/
#   make test   run the test suite
# and `make docs` builds the manual (docs-site/) from docs/.
PYTHON ?= python3
FORMAT ?= text
DIFF_FORMAT ?= text
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site serve test test-fast chromium check diff schema translations bench docs docs-serve docs-picture clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[site,test]'
	touch $@

site: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve

test: $(STAMP) chromium
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest

# The unit tests alone: no browser, no MkDocs build, no git repository of their own (tests/integration has those).
test-fast: $(STAMP)
	$(BIN)/python -m pytest tests/unit

# The browser tests drive Debian's Chromium (a browser downloaded by Playwright cannot be installed here).
chromium:
	@command -v chromium >/dev/null || command -v "$$DEALBRIEF_CHROMIUM" >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

check: $(STAMP)
	$(BIN)/dealbrief check --format $(FORMAT) deals/

diff: $(STAMP)
	@$(BIN)/dealbrief diff --format $(DIFF_FORMAT) $(if $(BASE),--base "$$BASE")

schema: $(STAMP)
	$(BIN)/dealbrief schema > schema/deal.schema.json

# Extract the customer-facing messages (code and templates) and update every catalog; then translate the new entries.
CATALOGS := src/dealbrief/locale
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --omit-header -o $(CATALOGS)/dealbrief.pot .
	$(BIN)/pybabel update -i $(CATALOGS)/dealbrief.pot -d $(CATALOGS) -D dealbrief --ignore-obsolete --width 120

# The manual: its reference pages are generated from the code (docs/hooks.py), its examples included from tested files.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict -f docs/mkdocs.yml

docs-serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve -f docs/mkdocs.yml -a 127.0.0.1:8002

# The picture of the summary in the README and the manual, from the example deal's PDF (needs poppler's pdftoppm).
docs-picture: $(STAMP)
	SOURCE_DATE_EPOCH=1790000000 $(BIN)/dealbrief pdf northwind-incident-analytics --out .cache/docs-picture
	pdftoppm -png -r 60 -singlefile .cache/docs-picture/northwind-incident-analytics.pdf docs/pages/assets/summary

bench: $(STAMP)
	$(BIN)/python scripts/bench.py --deals 10 100 1000

clean:
	rm -rf $(VENV) site docs-site .pytest_cache .hypothesis
