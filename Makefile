# Two entry points: `make run` (install + start the dashboard) and `make test` (install + every test).
# Both use the virtual environment .venv in the repo root.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint browser benchmark load boundaries figures font picture-benchmark

$(BIN)/python:
	$(PY) -m venv $(VENV)

# The fjchains package is installed in editable mode: scripts, tests and benchmarks import it
# with no sys.path edits.
$(VENV)/.runtime: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	$(BIN)/pip install --disable-pip-version-check -q --no-deps -e .
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(BIN)/streamlit run dashboard.py --server.port $(PORT)

# Debian's Chromium and a CJK font for the browser tests (needs root, as on CI).
browser:
	bash scripts/install_browser.sh

test: $(VENV)/.dev browser lint
	$(BIN)/python -m pytest

# ruff (style, imports, common bugs) and mypy (types) over the package, pages, scripts, tests.
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/mypy

boundaries: $(VENV)/.runtime
	$(BIN)/python scripts/build_boundaries.py

# Ours against the naive reference app (benchmarks/README.md); results in benchmarks/results/.
benchmark: $(VENV)/.dev browser
	$(BIN)/python benchmarks/run_benchmark.py

load: $(VENV)/.dev browser
	$(BIN)/python benchmarks/load_test.py

# Every map picture (full map and each chain, both languages, PNG and SVG) into figures/.
figures: $(VENV)/.runtime
	$(BIN)/python scripts/make_figures.py figures

# Re-make the shipped CJK font subset (static/fonts/) from the npm registry; needs npm.
font: $(VENV)/.runtime
	PY=$(BIN)/python bash scripts/vendor_font.sh

# Render times of the map pictures; results in benchmarks/results/picture.md.
picture-benchmark: $(VENV)/.runtime
	$(BIN)/python benchmarks/picture_benchmark.py
