# Two entry points: `make run` (install + start the dashboard) and `make test` (install + every test).
# Both use the virtual environment .venv in the repo root.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
REPLICAS ?= 2
CLUSTER_PORT ?= 8080

.PHONY: run test browser nginx benchmark load load-cluster session-cost boundaries cluster cluster-stop

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(BIN)/streamlit run dashboard.py --server.port $(PORT)

# Debian's Chromium and a CJK font for the browser tests (needs root, as on CI).
browser:
	bash scripts/install_browser.sh

# Debian's nginx-light for the local cluster and its browser test (needs root, as on CI).
nginx:
	bash scripts/install_nginx.sh

test: $(VENV)/.dev browser nginx
	$(BIN)/python -m pytest

boundaries: $(VENV)/.runtime
	$(BIN)/python scripts/build_boundaries.py

# Ours against the naive reference app (benchmarks/README.md); results in benchmarks/results/.
benchmark: $(VENV)/.dev browser
	$(BIN)/python benchmarks/run_benchmark.py

# `make load URL=http://127.0.0.1:8080/fujian` drives a running deployment (e.g. `make cluster`).
load: $(VENV)/.dev browser
	$(BIN)/python benchmarks/load_test.py $(if $(URL),--url $(URL))

# The same load on 1 replica without the proxy, then through it on 1 and 2 replicas
# (results/cluster_load.md); and the cost of one session (results/session_cost.md).
load-cluster: $(VENV)/.dev browser nginx
	$(BIN)/python benchmarks/load_test.py --replicas 0,1,2

session-cost: $(VENV)/.dev browser
	$(BIN)/python benchmarks/session_cost.py

# The deployment's topology without containers: nginx on 127.0.0.1:$(CLUSTER_PORT)/fujian/ with
# route-cookie affinity in front of $(REPLICAS) replicas (docs/DEPLOY.md). Ctrl-C or `make cluster-stop`.
cluster: $(VENV)/.dev nginx
	$(BIN)/python -m deploy.cluster --replicas $(REPLICAS) --port $(CLUSTER_PORT)

cluster-stop:
	$(BIN)/python -m deploy.cluster --stop
