# Two entry points: `make run` (install + start the dashboard) and `make test` (install + every test).
# Both use the virtual environment .venv in the repo root.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
REPLICAS ?= 2
CLUSTER_PORT ?= 8080

.PHONY: run test test-js lint browser nginx benchmark load floods load-cluster session-cost boundaries cluster cluster-stop figures font picture-benchmark spatial-benchmark drill

$(BIN)/python:
	$(PY) -m venv $(VENV)

# The pins are installed by uv (from PyPI, its version pinned here): from its cache (~/.cache/uv)
# a fresh clone's venv takes about a second, where pip took minutes in every clone.
UV_VERSION := 0.13.8
UV := $(BIN)/uv pip install --python $(BIN)/python -q
# Python writes each module's bytecode the first time a process imports it, as it does by
# default. This machine, CI and the Dockerfile set PYTHONDONTWRITEBYTECODE, with which no process
# ever kept its bytecode: every replica, upload parse child and test worker compiled Streamlit,
# pandas and the rest again (a server took 2.5 s to answer, not 0.9 s). Compiling the whole venv
# at install (uv --compile-bytecode) cured that but took 11 s of every fresh clone's 12 s install,
# mostly for modules nothing imports. The Dockerfile compiles at install (pip).
unexport PYTHONDONTWRITEBYTECODE
# mypy's cache lives outside the clone, like uv's: it checks each module's hash, so a fresh
# clone re-checks only what differs (1 s, where a cold cache took 17-20 s).
export MYPY_CACHE_DIR ?= $(HOME)/.cache/fjchains/mypy

$(BIN)/uv: | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q uv==$(UV_VERSION)

# The fjchains package is installed in editable mode: scripts, tests and benchmarks import it
# with no sys.path edits.
$(VENV)/.runtime: requirements.txt pyproject.toml | $(BIN)/uv
	$(UV) -r requirements.txt
	$(UV) --no-deps -e .
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(UV) -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(BIN)/streamlit run serve.py --server.port $(PORT)

# Debian's Chromium and a CJK font for the browser tests (needs root, as on CI).
browser:
	bash scripts/install_browser.sh

# Debian's nginx-light for the local cluster and its browser test (needs root, as on CI).
nginx:
	bash scripts/install_nginx.sh

# Every test, as CI runs it (.ci/run): lint, the fast tier on every core, then the browser tier
# (headless Chromium, nginx) in two workers, each with one server and one browser for its
# session, a test file at a time (module fixtures: clusters, servers of their own, once); it
# ends with the 12 slowest tests, so a run that slows down says where.
# --no-loadscope-reorder: the files in collection order, longest first (tests/conftest.py
# LONGEST_FIRST), not xdist's own order (most tests first), which left a worker running the
# every-page walks and the cluster for a minute after the other had finished.
E2E_ARGS ?= -n 2 --dist loadfile --no-loadscope-reorder
test: $(VENV)/.dev browser nginx lint test-js
	$(BIN)/python -m pytest -m "not e2e" -n auto
	$(BIN)/python -m pytest -m e2e $(E2E_ARGS) --durations=12

# The quick tier: lint, unit, data and AppTest pages, the browser code's unit tests (node), no
# browser and no apt (under 90 s on 2 cores).
.PHONY: test-fast flake-drill
test-fast: $(VENV)/.dev lint test-js
	$(BIN)/python -m pytest -m "not e2e" -n auto

# The browser tier 3 times while a busy loop per core keeps the CPU full: failures per test and
# the time of each run (scripts/flake_drill.py; `make flake-drill RUNS=5`).
RUNS ?= 3
flake-drill: $(VENV)/.dev browser nginx
	$(BIN)/python scripts/flake_drill.py --runs $(RUNS) -- $(E2E_ARGS)

# The browser code's linter and formatter (Biome, pinned in package.json and package-lock.json),
# installed into node_modules/ from the npm registry; needs node and npm.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# ruff (style, imports, common bugs) and mypy (types) over the package, pages, scripts, tests;
# Biome (lint and format check, biome.json) over the browser code in static/js, static/map-frame,
# tests/js and benchmarks/probes.js.
lint: $(VENV)/.dev node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy
	node_modules/.bin/biome ci --colors=off --error-on-warnings

# Unit tests of the browser code's pure rules (static/js/map-logic.js, page-logic.js) in node's
# own test runner: no browser, no npm package; it ends with a summary (# tests, # pass, # fail).
test-js:
	node --test tests/js/

boundaries: $(VENV)/.runtime
	$(BIN)/python scripts/build_boundaries.py

# Ours against the naive reference app, then each first-paint mechanism off in turn
# (benchmarks/README.md); results in benchmarks/results/.
benchmark: $(VENV)/.dev browser
	$(BIN)/python -m benchmarks.run_benchmark
	$(BIN)/python -m benchmarks.first_paint_ablation
	$(BIN)/python -m benchmarks.budgets

# `make load URL=http://127.0.0.1:8080/fujian` drives a running deployment (e.g. `make cluster`).
load: $(VENV)/.dev browser
	$(BIN)/python -m benchmarks.load_test $(if $(URL),--url $(URL))

# Issue 23's floods replayed on one server, a victim's map click timed under each, and the
# server's memory after upload floods and closed tabs (results/floods.md; no browser).
floods: $(VENV)/.dev
	$(BIN)/python -m benchmarks.floods

# The same load on 1 replica without the proxy, then through it on 1 and 2 replicas
# (results/cluster_load.md); and the cost of one session (results/session_cost.md).
load-cluster: $(VENV)/.dev browser nginx
	$(BIN)/python -m benchmarks.load_test --replicas 0,1,2

session-cost: $(VENV)/.dev browser
	$(BIN)/python -m benchmarks.session_cost

# The deployment's topology without containers: nginx on 127.0.0.1:$(CLUSTER_PORT)/fujian/ with
# route-cookie affinity in front of $(REPLICAS) replicas (docs/DEPLOY.md). Ctrl-C or `make cluster-stop`.
cluster: $(VENV)/.dev nginx
	$(BIN)/python -m deploy.cluster --replicas $(REPLICAS) --port $(CLUSTER_PORT)

cluster-stop:
	$(BIN)/python -m deploy.cluster --stop

# Every map picture (full map and each chain, both languages, PNG and SVG) into figures/.
figures: $(VENV)/.runtime
	$(BIN)/python scripts/make_figures.py figures

# Re-make the shipped CJK font subset (static/fonts/) from the npm registry; needs npm.
font: $(VENV)/.runtime
	PY=$(BIN)/python bash scripts/vendor_font.sh

# Render times of the map pictures; results in benchmarks/results/picture.md.
picture-benchmark: $(VENV)/.runtime
	$(BIN)/python -m benchmarks.picture_benchmark

# Moran's I + LISA + Moran scatter for the 84 counties (criterion < 1 s); results in
# benchmarks/results/spatial.md.
spatial-benchmark: $(VENV)/.runtime
	$(BIN)/python -m benchmarks.spatial_benchmark

# The upgrade drill (docs/UPGRADING.md, "Drills"): the suite in a side venv .venv-drill-<version>
# with the project's pins but that Streamlit: `make drill STREAMLIT=1.66.1` (fast tier: not e2e),
# DRILL_TIER=all adds the browser tier (as `test` runs it), DRILL_REF=HEAD drills a commit.
DRILL_TIER ?= fast
drill:
	PY=$(PY) DRILL_TIER=$(DRILL_TIER) DRILL_REF=$(DRILL_REF) E2E_ARGS="$(E2E_ARGS)" bash scripts/drill.sh $(STREAMLIT)
