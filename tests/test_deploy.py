"""The deployment files agree with each other and with the app's config (no Docker, no cluster).

Dockerfile, deploy/compose.yaml, deploy/k8s/*.yaml and the nginx template are parsed; the
ports, health path, base path, affinity, upload limit and resource requests must match
.streamlit/config.toml and deploy/cluster.py (which runs the same topology in `make cluster`).
"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from deploy import cluster
from fjchains import maps, paths
from fjchains.app.map_frame import COMPONENT_NAME

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

def _conf(servers=("127.0.0.1:1", "127.0.0.1:2"), config: Path = cluster.STREAMLIT_CONFIG) -> str:
    return cluster.render_nginx(list(servers), "127.0.0.1:8080", "/tmp/cache", "/tmp/access.log", config=config)


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
    read = int(re.search(r"proxy_read_timeout (\d+)s;", app).group(1))
    assert read >= 3600, "a session's websocket must outlive an idle hour"


def _location(conf: str, path: str) -> str:
    m = re.search(rf"location {re.escape(path)} \{{(.*?)\n    \}}", conf, re.S)
    assert m, f"no location {path}"
    return m.group(1)


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
    mount = proxy["volumes"][0].split(":")
    assert (DEPLOY / mount[0]).resolve() == DEPLOY / "nginx/fujian.conf" and mount[1] == "/etc/nginx/conf.d/default.conf"
    assert f"server app:{cluster.APP_PORT} " in (DEPLOY / "nginx/fujian.conf").read_text()
    example = (DEPLOY / "env.example").read_text()
    assert "replace-me" in example, "the example must not hold a usable secret"


# ---- Kubernetes -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def k8s() -> dict[str, dict]:
    out = {}
    for f in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for doc in yaml.safe_load_all(f.read_text(encoding="utf-8")):
            out[doc["kind"]] = doc
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
    assert int(a["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    (rule,) = ing["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    assert path["path"] == f"/{cluster.BASE_PATH}" and path["pathType"] == "Prefix"
    backend = path["backend"]["service"]
    assert backend["name"] == svc["metadata"]["name"] and backend["port"]["name"] == svc["spec"]["ports"][0]["name"]


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
