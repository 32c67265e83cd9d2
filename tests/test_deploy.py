"""The deployment files agree with each other and with the app's config (no Docker, no cluster).

Dockerfile, deploy/compose.yaml, deploy/k8s/*.yaml and the nginx template are parsed; the
ports, health path, base path, affinity, upload limit and resource requests must match
.streamlit/config.toml and deploy/cluster.py (which runs the same topology in `make cluster`).
"""

from __future__ import annotations

import http.client
import re
import shlex
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from deploy import cluster
from fjchains.app.map_frame import COMPONENT_NAME
from fjchains.core import paths
from fjchains.geo import maps

ROOT = paths.ROOT
DEPLOY = ROOT / "deploy"
HEALTH = f"/{cluster.BASE_PATH}/_stcore/health"
SECRET_WORDS = re.compile(r"SECRET|PASSW|TOKEN|API_?KEY|PRIVATE", re.I)


# ---- Dockerfile ------------------------------------------------------------------------

def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order; continuation lines joined, comments dropped."""
    out, buf = [], ""
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if not buf and (not line.strip() or line.lstrip().startswith("#")):
            continue
        buf += line.rstrip()
        if buf.endswith("\\"):
            buf = buf[:-1] + " "
            continue
        word, _, rest = buf.strip().partition(" ")
        out.append((word.upper(), rest.strip()))
        buf = ""
    return out


def _args(instr: str) -> list[str]:
    return [a for i, a in dockerfile() if i == instr]


def test_dockerfile_base_user_workdir():
    steps = dockerfile()
    assert steps[0][0] == "FROM" and re.fullmatch(r"python:3\.11-slim(-\w+)?", steps[0][1]), steps[0]
    assert all(w.strip() not in ("/", "") for w in _args("WORKDIR")) and _args("WORKDIR")
    users = [i for i, (instr, _) in enumerate(steps) if instr == "USER"]
    assert users, "the image must not run as root"
    assert steps[users[-1]][1] not in ("root", "0", "0:0")
    assert all(instr != "RUN" for instr, _ in steps[users[-1]:]), "a RUN after USER would need root"


def test_dockerfile_health_port_and_binding():
    (port,) = _args("EXPOSE")
    assert int(port) == cluster.APP_PORT
    (health,) = _args("HEALTHCHECK")
    assert health.split("CMD", 1)[1].strip().startswith("curl --fail")
    url = re.search(r'"(http://[^"]+)"', health).group(1)
    for base, path in ((cluster.BASE_PATH, HEALTH), ("", "/_stcore/health")):  # follows the base path
        shown = subprocess.run(["sh", "-c", f'echo "{url}"'], capture_output=True, text=True,
                               env={"STREAMLIT_SERVER_BASE_URL_PATH": base}).stdout.strip()
        assert shown == f"http://127.0.0.1:{port}{path}"
    (entry,) = _args("ENTRYPOINT")
    argv = yaml.safe_load(entry)  # JSON array form
    assert argv[:3] == ["streamlit", "run", "serve.py"]
    assert f"--server.port={port}" in argv and "--server.address=0.0.0.0" in argv
    env = " ".join(_args("ENV"))
    assert f"STREAMLIT_SERVER_BASE_URL_PATH={cluster.BASE_PATH}" in env
    assert "STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION=true" in env


def test_dockerfile_layers_requirements_before_code_and_copies_what_the_app_needs():
    steps = dockerfile()
    copies = [(i, shlex.split(a)) for i, (instr, a) in enumerate(steps) if instr == "COPY"]
    req = next(i for i, c in copies if c[0] == "requirements.txt")
    pip = next(i for i, (instr, a) in enumerate(steps) if instr == "RUN" and "pip install -r requirements.txt" in a)
    code = next(i for i, c in copies if c[0].startswith("fjchains"))
    assert req < pip < code, "requirements layer must come before the code"
    sources = {c[0].rstrip("/") for _, c in copies}
    for needed in ("dashboard.py", "serve.py", "pages", "fjchains", "data", "geo", "static", ".streamlit/config.toml"):
        assert needed in sources, f"the image lacks {needed}"
    for src in sources:
        assert (ROOT / src).exists(), f"COPY {src}: not in the repository"
    assert (ROOT / "static/vendor/map-libs.js").exists()
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert not sources & {i.rstrip("/") for i in ignored}, "a COPY source is excluded by .dockerignore"
    runs = " ".join(_args("RUN"))
    assert "fonts-wqy-microhei" in runs, "the CJK font"
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        assert not line or re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", line), f"unpinned: {line}"


def test_no_secret_in_the_image():
    for instr in ("ENV", "ARG", "LABEL"):
        for a in _args(instr):
            assert not SECRET_WORDS.search(a), f"{instr} {a}"
    copied = " ".join(_args("COPY") + _args("ADD"))
    assert "secrets.toml" not in copied and ".env" not in copied.split()
    assert not re.search(r"COPY\s+\.\s", (ROOT / "Dockerfile").read_text()), "COPY . would take everything"
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".streamlit/secrets.toml" in ignored and ".env" in ignored and ".git" in ignored


# ---- nginx ------------------------------------------------------------------------------

def _conf(servers=("127.0.0.1:1", "127.0.0.1:2"), config: Path = cluster.STREAMLIT_CONFIG, **options) -> str:
    return cluster.render_nginx(list(servers), "127.0.0.1:8080", "/tmp/cache", "/tmp/access.log", config=config,
                                **options)


def test_nginx_balances_on_a_route_cookie_with_websockets():
    conf = _conf()
    assert re.search(r'map \$cookie_route \$route_key \{\s*""\s+\$request_id;\s*default\s+\$cookie_route;', conf)
    assert "hash $route_key consistent;" in conf
    assert "ip_hash" not in conf.replace("`ip_hash`", "")
    assert 'add_header Set-Cookie "route=$route_key; Path=/; HttpOnly; SameSite=Lax"' in conf
    assert "server 127.0.0.1:1 " in conf and "server 127.0.0.1:2 " in conf
    app = _location(conf, f"/{cluster.BASE_PATH}/")
    assert "proxy_set_header Upgrade $http_upgrade;" in app
    assert "proxy_set_header Connection $connection_upgrade;" in app
    assert "proxy_http_version 1.1;" in app
    stream = _location(conf, f"= /{cluster.BASE_PATH}/_stcore/stream")
    assert "proxy_set_header Upgrade $http_upgrade;" in stream and "proxy_http_version 1.1;" in stream


def _location(conf: str, path: str) -> str:
    m = re.search(rf"location {re.escape(path)} \{{(.*?)\n    \}}", conf, re.S)
    assert m, f"no location {path}"
    return m.group(1)


def _locations(conf: str) -> dict[str, str]:
    """Every location of the server: "[modifier ]path" -> its body."""
    return {m.group(1): m.group(2) for m in re.finditer(r"\n    location ([^{]+?) \{(.*?)\n    \}", conf, re.S)}


def _server_level(conf: str) -> str:
    """The server block without its locations."""
    server = conf[conf.index("server {"):]
    return re.sub(r"\n    location [^{]+\{.*?\n    \}", "", server, flags=re.S)


APP = f"/{cluster.BASE_PATH}/"
# the locations that proxy to the app (not its cached static files), with their rate zones
APP_LOCATIONS = {APP: "fujian_pages", f"= {APP}_stcore/stream": "fujian_sessions",
                 f"^~ {APP}_stcore/upload_file/": "fujian_uploads", f"^~ {APP}media/": "fujian_media"}


def test_every_app_location_proxies_alike():
    """The app's four locations differ only in their rate zone (affinity, websocket, timeouts)."""
    conf = _conf()
    bare = {path: re.sub(r"\n\s*limit_req zone=\w+ burst=\d+ nodelay;", "", _location(conf, path))
            for path in APP_LOCATIONS}
    assert len(set(bare.values())) == 1, "the app's locations drifted apart"
    assert "proxy_pass http://fujian_replicas;" in bare[APP]


# ---- issue 23.2: fair shares at the edge ---------------------------------------------------

def test_each_client_address_gets_a_fair_share():
    conf = _conf()
    limits = cluster.EdgeLimits()
    zones = dict(re.findall(r"limit_req_zone \$binary_remote_addr zone=(\w+):\d+m rate=(\d+r/[sm]);", conf))
    assert set(zones) == set(APP_LOCATIONS.values())
    assert zones["fujian_pages"] == f"{limits.page_rate}r/s" and zones["fujian_media"] == f"{limits.media_rate}r/s"
    assert zones["fujian_sessions"] == f"{limits.session_rate_per_min}r/m"
    assert zones["fujian_uploads"] == f"{limits.upload_rate_per_min}r/m"
    assert "limit_conn_zone $binary_remote_addr zone=fujian_addr:10m;" in conf
    server = _server_level(conf)
    (per_address,) = re.findall(r"limit_conn fujian_addr (\d+);", server)
    assert 20 <= int(per_address) <= 40, "a few people's tabs (6 connections a browser + a websocket a tab)"
    assert "limit_conn_status 429;" in server and "limit_req_status 429;" in server, "429, not nginx's 503"
    for path, block in _locations(conf).items():
        assert "limit_conn " not in block, f"{path}: its own limit_conn would replace the server's"
        zone = APP_LOCATIONS.get(path)
        if zone:
            assert re.search(rf"limit_req zone={zone} burst=[1-9]\d* nodelay;", block), path
    # a websocket flood runs into limit_conn, not only into the session rate's burst
    assert limits.session_burst > limits.connections
    assert "client_header_timeout 10s;" in server, "a connection that sends nothing is dropped soon"


def test_scaled_limits_for_a_benchmark_from_one_address():
    twice = cluster.EdgeLimits().scaled(2)
    assert twice.connections == 2 * cluster.EdgeLimits().connections
    assert f"limit_conn fujian_addr {twice.connections};" in _conf(limits=twice)


def test_idle_websockets_live_as_long_as_streamlits_ping_keeps_them(tmp_path):
    """Not a day (86400 s, issue 23): a little above the replica's websocket ping interval."""
    from streamlit.web.server.starlette.starlette_server_config import DEFAULT_WEBSOCKET_PING_INTERVAL

    ping = cluster.websocket_ping_interval()
    assert ping == DEFAULT_WEBSOCKET_PING_INTERVAL == 30  # .streamlit/config.toml does not set it
    conf = _conf()
    for path in APP_LOCATIONS:
        block = _location(conf, path)
        for kind in ("read", "send"):
            timeout = int(re.search(rf"proxy_{kind}_timeout (\d+)s;", block).group(1))
            assert ping < timeout <= 120 and timeout == cluster.proxy_timeout(), (path, kind, timeout)
    assert "86400" not in re.sub(r"#.*", "", conf)
    other = tmp_path / "config.toml"
    other.write_text("[server]\nmaxUploadSize = 10\nwebsocketPingInterval = 40\n")
    assert "proxy_read_timeout 120s;" in _conf(config=other)


def test_no_version_no_replica_address_no_metrics():
    conf = _conf()
    assert "server_tokens off;" in _server_level(conf)
    assert "X-Upstream" not in re.sub(r"#.*", "", conf), "the replica's address is off by default"
    shown = _conf(expose_upstream=True)
    for path in APP_LOCATIONS:
        assert "add_header X-Upstream $upstream_addr always;" in _location(shown, path), path
    assert re.search(r"return 40[34];", _location(conf, f"^~ {APP}_stcore/metrics"))
    assert "return 404;" in _location(conf, "/"), "nothing outside the base path (/_stcore/metrics)"


def test_security_headers_on_every_response():
    """nginx: a location with an add_header of its own drops the server's; so every such
    location repeats them, each with `always` (error pages and 429s too)."""
    conf = _conf()
    for line in cluster.SECURITY_HEADERS:
        assert line.endswith(" always;")
        assert line in _server_level(conf)
    for path, block in _locations(conf).items():
        if "add_header" in block:
            for line in cluster.SECURITY_HEADERS:
                assert line in block, (path, line)
    csp = re.search(r'map \$fujian_frame_ancestors \$fujian_csp \{\s*default\s+"([^"]+)";', conf).group(1)
    assert csp == cluster.content_security_policy()
    directives = dict(d.split(" ", 1) for d in csp.split("; "))
    assert directives["default-src"] == "'self'" and directives["connect-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'self'"
    assert "'unsafe-eval'" not in csp
    assert directives["frame-ancestors"] == "$fujian_frame_ancestors"
    assert set(re.findall(r"https?://[^\s;]+", csp)) == {cluster.BASEMAP_TILES}
    assert [d for d, v in directives.items() if cluster.BASEMAP_TILES in v] == ["img-src"]
    assert maps.OSM_TILES.startswith(cluster.BASEMAP_TILES + "/"), "the basemap's tiles moved: update BASEMAP_TILES"


def test_framing_only_by_the_site_unless_embed_origins_are_set(monkeypatch):
    monkeypatch.delenv(cluster.EMBED_ORIGINS_ENV, raising=False)
    conf = _conf()
    assert re.search(r"map \$fujian_embeddable \$fujian_frame_ancestors \{\s*1\s+\"'self'\";", conf)
    assert re.search(r"map \$fujian_embeddable \$fujian_frame_options \{\s*1\s+\"SAMEORIGIN\";", conf)
    monkeypatch.setenv(cluster.EMBED_ORIGINS_ENV, "https://portal.example.gov.cn, http://intranet:8080/")
    conf = _conf()
    assert re.search(r"\$fujian_frame_ancestors \{\s*1\s+\"'self' https://portal.example.gov.cn http://intranet:8080\";",
                     conf)
    assert re.search(r"map \$fujian_embeddable \$fujian_frame_options \{\s*1\s+\"\";", conf), "no SAMEORIGIN then"
    assert re.search(r"map \$arg_embed \$fujian_embed_query \{\s*~\*\^true\$\s+1;", conf)
    for bad in ("https://a.example; script-src *", "'unsafe-inline'", "*", "javascript:x", "https://a.example/path"):
        with pytest.raises(ValueError):
            cluster.embed_origins(bad)
    assert cluster.embed_origins("") == []


def test_workers_sized_from_the_open_file_limit():
    assert cluster.worker_limits(20000) == (20000, 16384)
    assert cluster.worker_limits(1_048_576) == (65536, 16384)
    assert cluster.worker_limits(1024) == (1024, 768)
    # the attack of issue 23 filled 1024 connections; now 200 addresses at their full share
    assert cluster.worker_limits(20000)[1] >= 2 * cluster.EdgeLimits().connections * 200
    main = cluster._main_conf(Path("/tmp/run"), Path("/tmp/run/fujian.conf"))
    nofile, connections = cluster.worker_limits()
    assert "worker_processes auto;" in main
    assert f"worker_rlimit_nofile {nofile};" in main and f"worker_connections {connections};" in main


def _nginx_alone(tmp_path, **options):
    """nginx with the rendered config in front of a replica that is not there (every proxied
    request: 502), on a free port: the proxy's own behaviour, in a second."""
    from harness.server import free_port

    port = free_port()
    snippet = tmp_path / "fujian.conf"
    snippet.write_text(cluster.render_nginx(["127.0.0.1:1"], f"127.0.0.1:{port}", str(tmp_path / "cache"),
                                            str(tmp_path / "access.log"), **options))
    (tmp_path / "tmp").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(cluster._main_conf(tmp_path, snippet))
    proc = subprocess.Popen([cluster.NGINX, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(conf),
                             "-g", "daemon off;"])
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError((tmp_path / "error.log").read_text()) from None
            time.sleep(0.05)


def _ask(port: int, path: str, method: str = "GET") -> tuple[int, http.client.HTTPMessage]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path)
        r = conn.getresponse()
        r.read()
        return r.status, r.headers
    finally:
        conn.close()


@pytest.mark.skipif(not Path(cluster.NGINX).exists(), reason="nginx-light not installed (make nginx)")
def test_nginx_headers_framing_and_429_for_real(tmp_path):
    proc, port = _nginx_alone(tmp_path, embed=["https://portal.example"])
    try:
        status, h = _ask(port, f"{APP}explorer")
        assert status == 502 and h["Server"] == "nginx" and "X-Upstream" not in h  # no replica: the proxy's page
        assert h["Content-Security-Policy"].endswith("frame-ancestors 'self'") and h["X-Frame-Options"] == "SAMEORIGIN"
        assert h["X-Content-Type-Options"] == "nosniff" and h["Referrer-Policy"] == "strict-origin-when-cross-origin"
        for path in (f"{APP}explorer?county=350582&embed=true", f"{APP}?embed=True",
                     f"{APP}component/fjchains.app.map_frame.county_map/index.html"):
            status, h = _ask(port, path)
            assert h["Content-Security-Policy"].endswith("frame-ancestors 'self' https://portal.example"), path
            assert "X-Frame-Options" not in h, path
        status, h = _ask(port, f"{APP}explorer?embed=false")
        assert h["X-Frame-Options"] == "SAMEORIGIN"
        for path in (f"{APP}_stcore/metrics", "/_stcore/metrics", f"{APP}_stcore/metrics/x"):
            status, h = _ask(port, path)
            assert status == 404 and h["Content-Security-Policy"], path
        # uploads: the burst, then 429 (not 503) with the headers
        limits = cluster.EdgeLimits()
        answers = [_ask(port, f"{APP}_stcore/upload_file/s/f", "PUT")[0] for _ in range(limits.upload_burst + 3)]
        assert answers[: limits.upload_burst + 1] == [502] * (limits.upload_burst + 1) and answers[-1] == 429, answers
        status, h = _ask(port, f"{APP}_stcore/upload_file/s/f", "PUT")
        assert status == 429 and h["X-Content-Type-Options"] == "nosniff"
    finally:
        proc.terminate()
        proc.wait(10)


def test_nginx_caches_geometry_and_vendored_scripts_for_long():
    conf = _conf()
    for path, least in ((f"/{cluster.BASE_PATH}/app/static/generated/", 31536000),
                        (f"/{cluster.BASE_PATH}/app/static/", 604800),
                        (f"/{cluster.BASE_PATH}/static/", 31536000)):
        block = _location(conf, path)
        assert "proxy_cache fujian_static;" in block
        assert int(re.search(r'Cache-Control "public, max-age=(\d+)', block).group(1)) >= least


def test_upload_limit_follows_the_app_config(tmp_path):
    assert cluster.max_upload_mb() == 10  # .streamlit/config.toml today
    conf = _conf()
    assert f"client_max_body_size {cluster.max_upload_mb() + 1}m;" in conf
    other = tmp_path / "config.toml"
    other.write_text("[server]\nmaxUploadSize = 50\n")
    assert "client_max_body_size 51m;" in _conf(config=other)


def test_compose_nginx_conf_is_the_rendered_template():
    assert (DEPLOY / "nginx/fujian.conf").read_text(encoding="utf-8") == cluster.render_compose(), \
        "deploy/nginx/fujian.conf is stale: python -m deploy.cluster --render-compose"


@pytest.mark.skipif(not Path(cluster.NGINX).exists(), reason="nginx-light not installed (make nginx)")
def test_nginx_accepts_the_generated_config(tmp_path):
    snippet = tmp_path / "fujian.conf"
    snippet.write_text(cluster.render_nginx(["127.0.0.1:1", "127.0.0.1:2"], "127.0.0.1:1", str(tmp_path / "cache"),
                                            str(tmp_path / "access.log")))
    (tmp_path / "tmp").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(cluster._main_conf(tmp_path, snippet))
    r = subprocess.run([cluster.NGINX, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(conf)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


# ---- compose ----------------------------------------------------------------------------

def test_compose_runs_replicas_behind_the_proxy():
    doc = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    app, proxy = doc["services"]["app"], doc["services"]["proxy"]
    assert app["build"]["context"] == ".." and (DEPLOY / app["build"]["context"] / app["build"]["dockerfile"]).exists()
    assert app["deploy"]["replicas"] >= 2
    assert [int(p) for p in app["expose"]] == [cluster.APP_PORT]
    env = app["environment"]
    assert env["STREAMLIT_SERVER_BASE_URL_PATH"] == cluster.BASE_PATH
    assert env["STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION"] == "true"
    assert env[cluster.SECRET_ENV].startswith("${STREAMLIT_SERVER_COOKIE_SECRET:?"), "secret from the environment only"
    assert app["deploy"]["resources"]["reservations"]["memory"]
    assert proxy["depends_on"]["app"]["condition"] == "service_healthy"
    mounts = {(DEPLOY / v.split(":")[0]).resolve(): v.split(":")[1] for v in proxy["volumes"]}
    assert mounts[DEPLOY / "nginx/fujian.conf"] == "/etc/nginx/conf.d/default.conf"
    assert mounts[DEPLOY / "nginx/nginx.conf"] == "/etc/nginx/nginx.conf"
    assert (DEPLOY / "nginx/nginx.conf").read_text(encoding="utf-8") == cluster.render_compose_main(), \
        "deploy/nginx/nginx.conf is stale: python -m deploy.cluster --render-compose"
    nofile = proxy["ulimits"]["nofile"]
    assert nofile["soft"] == nofile["hard"] == cluster.COMPOSE_NOFILE
    main = (DEPLOY / "nginx/nginx.conf").read_text()
    assert "worker_processes auto;" in main and f"worker_rlimit_nofile {cluster.COMPOSE_NOFILE};" in main
    assert "include /etc/nginx/conf.d/*.conf;" in main
    assert f"server app:{cluster.APP_PORT} " in (DEPLOY / "nginx/fujian.conf").read_text()
    example = (DEPLOY / "env.example").read_text()
    assert "replace-me" in example, "the example must not hold a usable secret"


# ---- Kubernetes -------------------------------------------------------------------------

def _k8s_docs() -> list[dict]:
    return [doc for f in sorted((DEPLOY / "k8s").glob("*.yaml")) for doc in yaml.safe_load_all(f.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def k8s() -> dict[str, dict]:
    """The first document of each kind (the main Ingress is the first)."""
    out: dict[str, dict] = {}
    for doc in _k8s_docs():
        out.setdefault(doc["kind"], doc)
    return out


def test_k8s_deployment_probes_ports_env_resources(k8s):
    dep = k8s["Deployment"]
    assert dep["spec"]["replicas"] >= 2
    pod = dep["spec"]["template"]["spec"]
    (c,) = pod["containers"]
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    assert ports == {"http": cluster.APP_PORT}
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        get = c[probe]["httpGet"]
        assert get["path"] == HEALTH and ports[get["port"]] == cluster.APP_PORT, probe
    env = {e["name"]: e for e in c["env"]}
    assert env["STREAMLIT_SERVER_BASE_URL_PATH"]["value"] == cluster.BASE_PATH
    assert env["STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION"]["value"] == "true"
    assert "value" not in env[cluster.SECRET_ENV] and env[cluster.SECRET_ENV]["valueFrom"]["secretKeyRef"]
    req, lim = c["resources"]["requests"], c["resources"]["limits"]
    assert req["cpu"] and req["memory"] and lim["memory"]
    assert _mib(lim["memory"]) >= _mib(req["memory"])
    assert pod["securityContext"]["runAsNonRoot"] is True
    mounts = {m["mountPath"] for m in c["volumeMounts"]}
    assert "/app/static/generated" in mounts, "the app writes its TopoJSON there"


def _mib(q: str) -> float:
    n, unit = re.fullmatch(r"(\d+)(Mi|Gi|M|G)", q).groups()
    return int(n) * {"Mi": 1, "M": 1, "Gi": 1024, "G": 1000}[unit]


def test_k8s_service_ingress_affinity_and_upload_limit(k8s):
    dep, svc, ing = k8s["Deployment"], k8s["Service"], k8s["Ingress"]
    assert svc["spec"]["selector"] == dep["spec"]["template"]["metadata"]["labels"]
    assert svc["spec"]["ports"][0]["targetPort"] == "http"
    a = ing["metadata"]["annotations"]
    assert a["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert a["nginx.ingress.kubernetes.io/affinity-mode"] == "persistent"
    assert a["nginx.ingress.kubernetes.io/session-cookie-name"] == "route"
    assert a["nginx.ingress.kubernetes.io/proxy-body-size"] == f"{cluster.body_limit_mb()}m"
    assert int(a["nginx.ingress.kubernetes.io/proxy-read-timeout"]) == cluster.proxy_timeout()
    (rule,) = ing["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    assert path["path"] == f"/{cluster.BASE_PATH}" and path["pathType"] == "Prefix"
    backend = path["backend"]["service"]
    assert backend["name"] == svc["metadata"]["name"] and backend["port"]["name"] == svc["spec"]["ports"][0]["name"]


def test_k8s_ingresses_have_the_proxys_edge():
    """The same limits, timeouts, headers and refusals as the nginx template, path by path."""
    ingresses = [d for d in _k8s_docs() if d["kind"] == "Ingress"]
    n = "nginx.ingress.kubernetes.io/"
    main = ingresses[0]["metadata"]["annotations"]
    limits = cluster.EdgeLimits()
    by_path = {}
    for ing in ingresses:
        a = ing["metadata"]["annotations"]
        (rule,) = ing["spec"]["rules"]
        (path,) = rule["http"]["paths"]
        by_path[path["path"]] = a
        assert path["backend"] == {"service": {"name": "fujian-chains", "port": {"name": "http"}}}
        for key, value in main.items():  # affinity, body size, timeouts, the snippet: as the main one
            if not key.startswith(n + "limit-"):
                assert a[key] == value, (ing["metadata"]["name"], key)
        assert a[n + "limit-connections"] == str(limits.connections)
    for kind in ("read", "send"):
        assert main[f"{n}proxy-{kind}-timeout"] == str(cluster.proxy_timeout())
    assert by_path["/fujian"][n + "limit-rps"] == str(limits.page_rate)
    assert by_path["/fujian/_stcore/stream"][n + "limit-rpm"] == str(limits.session_rate_per_min)
    assert by_path["/fujian/_stcore/upload_file"][n + "limit-rpm"] == str(limits.upload_rate_per_min)
    assert by_path["/fujian/media"][n + "limit-rps"] == str(limits.media_rate)
    snippet = main[n + "configuration-snippet"]
    assert 'if ($uri ~ "^/fujian/_stcore/metrics") { return 404; }' in snippet
    csp = re.search(r'more_set_headers "Content-Security-Policy: ([^"]+)";', snippet).group(1)
    assert csp == cluster.content_security_policy()
    assert "set $fujian_frame_ancestors \"'self'\";" in snippet
    for header in ("X-Frame-Options: SAMEORIGIN", "X-Content-Type-Options: nosniff",
                   "Referrer-Policy: strict-origin-when-cross-origin"):
        assert f'more_set_headers "{header}";' in snippet


def test_k8s_autoscaler_targets_the_deployment(k8s):
    hpa, dep = k8s["HorizontalPodAutoscaler"], k8s["Deployment"]
    assert hpa["spec"]["scaleTargetRef"]["name"] == dep["metadata"]["name"]
    assert hpa["spec"]["minReplicas"] >= 2 and hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"  # needs the cpu request checked above
    kust = yaml.safe_load((DEPLOY / "k8s/kustomization.yaml").read_text())
    assert sorted(kust["resources"]) == sorted(p.name for p in (DEPLOY / "k8s").glob("*.yaml")
                                               if p.name != "kustomization.yaml")


# ---- the app under a base path ------------------------------------------------------------

@pytest.mark.parametrize("base", ["", f"/{cluster.BASE_PATH}"])
def test_map_assets_resolve_under_any_base_path(base):
    """The map runs in its own iframe (fjchains/app/map_frame.py); its asset URLs resolve to <base>/app/static/."""
    iframe = f"http://host{base}/component/{COMPONENT_NAME}/index.html?streamlitUrl=x"
    assert urljoin(iframe, maps.MAP_LIBS_JS) == f"http://host{base}/app/static/vendor/map-libs.js"
    assert urljoin(iframe, maps.LEAFLET_CSS) == f"http://host{base}/app/static/vendor/leaflet/leaflet.css"
