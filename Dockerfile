# syntax=docker/dockerfile:1
# The dashboard as one container, after Streamlit's own recipe
# (https://docs.streamlit.io/deploy/tutorials/docker): slim Python, dependencies before code,
# a health check on /_stcore/health, the server bound to 0.0.0.0. Several of these run
# behind the sticky proxy in deploy/ (compose.yaml, k8s/); docs/DEPLOY.md says how many.
#
#   docker build -t fujian-chains .
#   docker run -p 8501:8501 -e STREAMLIT_SERVER_COOKIE_SECRET=$(openssl rand -hex 32) fujian-chains
#   → http://localhost:8501/fujian/
#
# No secret is baked in: the cookie secret (the same on every replica) comes from the
# environment at run time (compose: .env; Kubernetes: a Secret).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# curl for the health check; a CJK font (the Debian package the browser tests use).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl fonts-wqy-microhei \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin fujian
WORKDIR /app

# Dependencies first, pinned: this layer is rebuilt only when requirements.txt changes.
COPY requirements.txt ./
RUN pip install -r requirements.txt

# The app: settings, code, data with its sources, boundaries, its static files (map frame,
# scripts, styles, font, vendored Leaflet/topojson-client; static/generated/ is .dockerignored).
COPY .streamlit/config.toml .streamlit/config.toml
COPY dashboard.py ./
COPY serve.py ./
COPY pages/ pages/
COPY fjchains/ fjchains/
COPY data/ data/
COPY geo/ geo/
COPY static/ static/
# The map's TopoJSON is written to static/generated/ on first run: the one writable path.
RUN mkdir -p static/generated && chown fujian:fujian static/generated

USER fujian

# Served under /fujian/ behind the proxy; XSRF protection stays on.
ENV STREAMLIT_SERVER_BASE_URL_PATH=fujian \
    STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION=true \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false

EXPOSE 8501

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl --fail --silent --show-error "http://127.0.0.1:8501/${STREAMLIT_SERVER_BASE_URL_PATH:+${STREAMLIT_SERVER_BASE_URL_PATH}/}_stcore/health" || exit 1

ENTRYPOINT ["streamlit", "run", "serve.py", "--server.port=8501", "--server.address=0.0.0.0"]
