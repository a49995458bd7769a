# Every target creates or refreshes the project's own virtual environment
# from pyproject.toml, so a fresh machine needs nothing installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench screenshots lint format clean venv dist-check

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/brugdesk $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

BENCH_LARGE ?= 20000:600000

# Figures, never timed tests: storage, then the window (2,000 clients, and
# "unlock → caseload" again at $(BENCH_LARGE)), then one verdict line per target.
bench: $(STAMP)
	$(BIN)/python -m tools.bench --out bench-storage.json
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tools.gui_bench --large $(BENCH_LARGE) --out bench-gui.json
	$(BIN)/python -m tools.bench_report bench-storage.json bench-gui.json

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tools.screenshots docs/screenshots

# The wheel as a worker would install it: built, installed (not editable, with its
# dependencies from the index) into a throwaway venv, and the smoke job run from a
# temporary directory with `python -I`, so nothing in this checkout can be imported.
# Not part of `make test`: it downloads and installs.
dist-check: $(STAMP)
	rm -f dist/brugdesk-*.whl
	$(BIN)/python -m pip wheel --no-deps --quiet -w dist .
	@set -e; wheel="$$(pwd)/$$(ls dist/brugdesk-*.whl)"; \
	tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; \
	echo "venv in $$tmp, installing $$(basename "$$wheel")"; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install --quiet --upgrade pip; \
	"$$tmp/venv/bin/python" -m pip install --quiet "$$wheel"; \
	cp tools/smoke.py "$$tmp/smoke.py"; \
	cd "$$tmp" && QT_QPA_PLATFORM=offscreen ./venv/bin/python -I smoke.py --expect-installed; \
	echo "wheel: $$(basename "$$wheel"), $$(du -k "$$wheel" | cut -f1) KiB"

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist *.egg-info
