# Every target creates or refreshes the project's own virtual environment
# from pyproject.toml, so a fresh machine needs nothing installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench screenshots lint format clean venv dist-check bundle bundle-check

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

# A one-folder app with its own Python (PyInstaller, packaging/brugdesk.spec) in
# dist/brugdesk. bundle-check starts it offscreen with --demo and a probe: inside the
# frozen app it creates, unlocks and migrates a vault, loads the instruments, renders,
# encrypts and previews a letter, shows the window and quits. Not part of `make test`.
BUNDLE_STAMP := $(VENV)/.bundle-installed

$(BUNDLE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bundle]'
	touch $@

bundle: $(BUNDLE_STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/brugdesk.spec

bundle-check: bundle
	@set -e; app="$(CURDIR)/dist/brugdesk/brugdesk"; \
	tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; cd "$$tmp"; \
	mkdir tmp; code=0; \
	QT_QPA_PLATFORM=offscreen TMPDIR="$$tmp/tmp" BRUGDESK_LOG_DIR="$$tmp/logs" \
		BRUGDESK_BUNDLE_PROBE=1 "$$app" --demo >out.txt 2>err.txt || code=$$?; \
	cat out.txt; \
	if [ $$code -ne 0 ] || grep -q Traceback err.txt; then \
		cat err.txt; echo "bundle-check: the bundle failed or did not quit cleanly"; exit 1; fi; \
	for line in "vault locked and reopened" "shown" "window closed, exit code 0"; do \
		grep -qx "$$line" out.txt || { echo "bundle-check: missing '$$line'"; exit 1; }; done; \
	if ls tmp | grep -q brugdesk-demo; then echo "bundle-check: demo vault left behind"; exit 1; fi; \
	echo OK; echo "bundle: dist/brugdesk, $$(du -sh "$(CURDIR)/dist/brugdesk" | cut -f1)"

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist *.egg-info
