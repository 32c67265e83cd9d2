"""The deployment's topology on one machine, without containers: nginx + N Streamlit replicas.

    python -m deploy.cluster [--replicas 2] [--port 8080]      (`make cluster`; Ctrl-C stops)
    python -m deploy.cluster --stop                              (`make cluster-stop`)
    python -m deploy.cluster --render-compose                    (rewrites deploy/nginx/fujian.conf, nginx.conf)
    python -m deploy.cluster --expose-upstream                   (adds X-Upstream: host:port, for debugging)

Every replica is `streamlit run serve.py` (dashboard.py) on its own loopback port, under the base path
/fujian, with the same STREAMLIT_SERVER_COOKIE_SECRET (from the environment, else a random
one for this run) and XSRF protection on; nginx (Debian's nginx-light, scripts/install_nginx.sh)
listens on 127.0.0.1 and balances on a route cookie (deploy/nginx/fujian.conf.in). The
generated nginx.conf, logs, cache and pid files live in the run directory (run/cluster by
default, git-ignored). The tests and the load benchmark use the `Cluster` class.

The edge (issue 23.2): each client address gets a fair share (`EdgeLimits`: concurrent
connections, request rates for pages, websocket sessions, uploads and downloads; 429 past
them), idle websockets live as long as Streamlit's own ping keeps them alive, not a day,
responses carry a Content-Security-Policy and the other security headers, the nginx version
and the replica's address are not shown (`expose_upstream` shows the latter, for tests and
benchmarks), and /_stcore/metrics is not served. Who may frame an `embed=true` view:
FUJIAN_EMBED_ORIGINS (origins, space- or comma-separated; none by default).
"""

from __future__ import annotations

import argparse
import os
import pwd
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import tomllib
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TEMPLATE = ROOT / "deploy" / "nginx" / "fujian.conf.in"
COMPOSE_CONF = ROOT / "deploy" / "nginx" / "fujian.conf"
COMPOSE_MAIN_CONF = ROOT / "deploy" / "nginx" / "nginx.conf"
COMPOSE_NOFILE = 65536  # deploy/compose.yaml gives the proxy this many open files (ulimits)
STREAMLIT_CONFIG = ROOT / ".streamlit" / "config.toml"
RUN_DIR = ROOT / "run" / "cluster"
NGINX = "/usr/sbin/nginx"
BASE_PATH = "fujian"
APP_PORT = 8501  # inside the image (Dockerfile EXPOSE, compose, Kubernetes)
SECRET_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"
EMBED_ORIGINS_ENV = "FUJIAN_EMBED_ORIGINS"

# What every replica shares, whatever runs it (this module, compose, Kubernetes).
REPLICA_ENV = {
    "STREAMLIT_SERVER_BASE_URL_PATH": BASE_PATH,
    "STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION": "true",
    "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
}


def max_upload_mb(config: Path = STREAMLIT_CONFIG) -> int:
    """server.maxUploadSize of the app (MB); Streamlit's default when it is not set."""
    with open(config, "rb") as f:
        return int(tomllib.load(f).get("server", {}).get("maxUploadSize", 200))


def body_limit_mb(config: Path = STREAMLIT_CONFIG) -> int:
    """The proxy's client_max_body_size: the app's limit plus 1 MB of multipart envelope."""
    return max_upload_mb(config) + 1


@dataclass(frozen=True)
class EdgeLimits:
    """What one client address may take from the proxy (nginx limit_conn / limit_req, keyed on
    $binary_remote_addr); past it nginx answers 429.

    A person's browser holds at most 6 HTTP/1.1 connections to the site plus one websocket per
    tab, so 32 concurrent connections leave room for several people behind one address (an
    office's NAT); behind a load balancer that hides client addresses, set up nginx's realip
    first (docs/DEPLOY.md). Rates are per second unless noted; a burst is served at once
    (nodelay), then the rate refills it.
    """

    connections: int = 32
    page_rate: int = 10          # page documents, health, host config, the map's frame files
    page_burst: int = 100
    session_rate_per_min: int = 30  # new websockets: each one is a Streamlit session
    session_burst: int = 40         # above `connections`: the flood test sees limit_conn refuse too
    upload_rate_per_min: int = 12   # PUT/DELETE of _stcore/upload_file
    upload_burst: int = 12
    media_rate: int = 2          # /media/: downloads
    media_burst: int = 30

    def scaled(self, factor: float) -> EdgeLimits:
        """Every limit × factor: for a benchmark whose many simulated users share 127.0.0.1."""
        return EdgeLimits(**{k: max(1, round(v * factor)) for k, v in vars(self).items()})


def websocket_ping_interval(config: Path = STREAMLIT_CONFIG) -> int:
    """How often a replica pings each websocket (s): server.websocketPingInterval, else
    Streamlit's default (its Starlette server's DEFAULT_WEBSOCKET_PING_INTERVAL, 30 s)."""
    with open(config, "rb") as f:
        configured = tomllib.load(f).get("server", {}).get("websocketPingInterval")
    if configured is not None:
        return int(configured)
    from streamlit.web.server.starlette.starlette_server_config import DEFAULT_WEBSOCKET_PING_INTERVAL

    return int(DEFAULT_WEBSOCKET_PING_INTERVAL)


def proxy_timeout(config: Path = STREAMLIT_CONFIG) -> int:
    """proxy_read/send_timeout (s): three ping intervals. The replica's ping (and the browser's
    pong) cross the proxy every interval, so a live tab never idles that long; a dead or silent
    peer is dropped after it, instead of holding two connections for a day."""
    return 3 * websocket_ping_interval(config)


# The optional basemap's tile server (fjchains.geo.maps.OSM_TILES; tests/test_deploy.py keeps them
# together): the one outside origin the CSP allows, for images only.
BASEMAP_TILES = "https://tile.openstreetmap.org"


def content_security_policy(frame_ancestors: str = "$fujian_frame_ancestors") -> str:
    """The Content-Security-Policy of every response (checked in Chromium on every page by
    tests/hostile/test_proxy.py: no violation, the map draws).

    The page may run its own inline scripts and styles (Streamlit's, st.html, the first-paint
    stylesheet) and compile WebAssembly ('wasm-unsafe-eval', not 'unsafe-eval': protobuf's
    `long` tries a 64-bit multiply in wasm on every page), show data:/blob: images, talk to its
    own origin ('self' covers ws:/wss: of the same host: the websocket) and frame it (the map's
    component frame). The one outside origin: the optional OpenStreetMap basemap's tiles
    (images only; off by default)."""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob: {BASEMAP_TILES}",
        "font-src 'self' data:",
        "connect-src 'self'",
        "media-src 'self' data: blob:",
        "worker-src 'self' blob:",
        "frame-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors {frame_ancestors}",
    ])


# The headers every response of the site carries. nginx drops a server's add_header in a
# location that has add_header of its own, so the template repeats these (@SECURITY_HEADERS@)
# in every such location as well as in server{}.
SECURITY_HEADERS = (
    "add_header Content-Security-Policy $fujian_csp always;",
    "add_header X-Frame-Options $fujian_frame_options always;",
    "add_header X-Content-Type-Options nosniff always;",
    "add_header Referrer-Policy strict-origin-when-cross-origin always;",
)

_ORIGIN = re.compile(r"https?://(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?")


def embed_origins(value: str | None = None) -> list[str]:
    """The origins that may frame an `embed=true` view: FUJIAN_EMBED_ORIGINS (space- or
    comma-separated, e.g. `https://portal.example.gov.cn`), none by default. Each must be a
    bare http(s) origin: anything else would be written into the CSP as it stands."""
    raw = os.environ.get(EMBED_ORIGINS_ENV, "") if value is None else value
    origins = [o.rstrip("/") for o in re.split(r"[\s,]+", raw) if o]
    bad = [o for o in origins if not _ORIGIN.fullmatch(o)]
    if bad:
        raise ValueError(f"{EMBED_ORIGINS_ENV}: not an origin (scheme://host[:port]): {bad}")
    return origins


def render_nginx(servers: list[str], listen: str, cache_dir: str, access_log: str,
                 base: str = BASE_PATH, config: Path = STREAMLIT_CONFIG, limits: EdgeLimits | None = None,
                 expose_upstream: bool = False, embed: list[str] | None = None) -> str:
    """The proxy's http{} snippet for these upstream `host:port` servers.

    `expose_upstream` adds `X-Upstream: <replica host:port>` to the app's responses (off: it
    tells the world the replicas' addresses; the cluster browser test and the load benchmark
    turn it on to see which replica serves a session). `embed`: origins that may frame an
    `embed=true` view (default: FUJIAN_EMBED_ORIGINS)."""
    limits = limits or EdgeLimits()
    origins = embed_origins() if embed is None else embed_origins(" ".join(embed))
    text = TEMPLATE.read_text(encoding="utf-8")
    values = {
        "UPSTREAM_SERVERS": "\n".join(f"    server {s} max_fails=1 fail_timeout=10s;" for s in servers),
        "LISTEN": listen, "CACHE_DIR": cache_dir, "ACCESS_LOG": access_log, "BASE": "/" + base.strip("/"),
        "MAX_UPLOAD_MB": str(max_upload_mb(config)), "BODY_LIMIT_MB": str(body_limit_mb(config)),
        "PING_INTERVAL": str(websocket_ping_interval(config)), "PROXY_TIMEOUT": str(proxy_timeout(config)),
        "CONNECTIONS": str(limits.connections),
        "PAGE_RATE": f"{limits.page_rate}r/s", "PAGE_BURST": str(limits.page_burst),
        "SESSION_RATE": f"{limits.session_rate_per_min}r/m", "SESSION_BURST": str(limits.session_burst),
        "UPLOAD_RATE": f"{limits.upload_rate_per_min}r/m", "UPLOAD_BURST": str(limits.upload_burst),
        "MEDIA_RATE": f"{limits.media_rate}r/s", "MEDIA_BURST": str(limits.media_burst),
        "CSP": content_security_policy(),
        "EMBED_ORIGINS": "".join(f" {o}" for o in origins),
        # an embeddable view framed by another origin must not say SAMEORIGIN (no header then)
        "EMBED_FRAME_OPTIONS": "" if origins else "SAMEORIGIN",
    }
    # multi-line values, indented as their placeholder
    blocks = {
        "SECURITY_HEADERS": list(SECURITY_HEADERS),
        "UPSTREAM_HEADER": (["add_header X-Upstream $upstream_addr always;"] if expose_upstream
                            else ["# X-Upstream (the replica's address) is off: deploy.cluster expose_upstream"]),
    }
    for key, lines in blocks.items():
        def indented(m: re.Match[str], lines: list[str] = lines) -> str:
            return "\n".join(m.group(1) + line for line in lines)

        text = re.sub(rf"^( *)@{key}@$", indented, text, flags=re.M)
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    leftover = re.findall(r"@[A-Z_]+@", text)
    if leftover:
        raise ValueError(f"unfilled placeholders in {TEMPLATE.name}: {sorted(set(leftover))}")
    return text


def render_compose() -> str:
    """The snippet compose mounts as /etc/nginx/conf.d/default.conf: `app` resolves to every replica."""
    return render_nginx([f"app:{APP_PORT}"], "80", "/var/cache/nginx/fujian", "/var/log/nginx/access.log")


NOFILE_CAP = 65536
CONNECTIONS_CAP = 16384  # nginx allocates every worker's connections up front (~0.5 KB each)


def worker_limits(hard_nofile: int | None = None) -> tuple[int, int]:
    """(worker_rlimit_nofile, worker_connections) for this machine's open-file hard limit.

    A proxied request holds two connections (client and replica) and two descriptors; the
    workers may raise their limit up to the hard one (not past it: a container's root may not),
    and keep an eighth (at least 256) for logs and cache files. Here (hard limit 20000):
    20000 and 16384, i.e. 8192 proxied websockets per worker, 256 addresses at their full
    EdgeLimits.connections share each; the attack of issue 23 filled 1024."""
    if hard_nofile is None:
        hard_nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    nofile = NOFILE_CAP if hard_nofile == resource.RLIM_INFINITY else min(hard_nofile, NOFILE_CAP)
    return nofile, max(64, min(CONNECTIONS_CAP, nofile - max(256, nofile // 8)))


def _workers(nofile: int, connections: int) -> list[str]:
    return [
        "worker_processes auto;  # one per core",
        f"worker_rlimit_nofile {nofile};",
        f"events {{ worker_connections {connections}; }}",
    ]


def render_compose_main() -> str:
    """/etc/nginx/nginx.conf for the compose proxy (the image's own has 1024 connections)."""
    return "\n".join([
        "# Generated by deploy/cluster.py (python -m deploy.cluster --render-compose); not for editing.",
        "# The proxy's main config; the site is conf.d/default.conf (deploy/nginx/fujian.conf).",
        "user nginx;",
        *_workers(*worker_limits(COMPOSE_NOFILE)),
        "pid /var/run/nginx.pid;",
        "error_log /var/log/nginx/error.log notice;",
        "http {",
        "    include /etc/nginx/mime.types;",
        "    default_type application/octet-stream;",
        "    include /etc/nginx/conf.d/*.conf;",
        "}",
        "",
    ])


def _main_conf(run: Path, snippet: Path) -> str:
    tmp = run / "tmp"
    return "\n".join([
        "# Generated by deploy/cluster.py for `make cluster`; not for editing.",
        # As root, nginx would hand its workers to `nobody`, who cannot write a private run
        # directory (pytest's tmp dirs are 0700): the workers stay the invoking user.
        *([f"user {pwd.getpwuid(0).pw_name};"] if os.geteuid() == 0 else []),
        *_workers(*worker_limits()),
        f"pid {run / 'nginx.pid'};",
        f"error_log {run / 'error.log'} warn;",
        "http {",
        f"    client_body_temp_path {tmp / 'body'};",
        f"    proxy_temp_path {tmp / 'proxy'};",
        f"    fastcgi_temp_path {tmp / 'fastcgi'};",
        f"    uwsgi_temp_path {tmp / 'uwsgi'};",
        f"    scgi_temp_path {tmp / 'scgi'};",
        f"    include {snippet};",
        "}",
        "",
    ])


def _wait_ok(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"exited with {proc.returncode} before {url} answered")
        try:
            if urllib.request.urlopen(url, timeout=2).read() == b"ok":
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer ok in {timeout:.0f} s")


@dataclass
class Replica:
    index: int
    proc: subprocess.Popen
    url: str  # http://127.0.0.1:<port>/fujian

    @property
    def address(self) -> str:
        return self.url.split("//", 1)[1].split("/", 1)[0]

    @property
    def log_path(self) -> Path:
        return self.proc.log_path  # type: ignore[attr-defined]  # set by harness.server.start_app

    def alive(self) -> bool:
        return self.proc.poll() is None


@dataclass
class Cluster:
    """nginx on 127.0.0.1:`port` in front of `replicas` Streamlit processes; `with` stops it all."""

    replicas: int = 2
    port: int | None = None
    run_dir: Path = RUN_DIR
    secret: str | None = None
    script: Path = ROOT / "serve.py"
    extra: list[str] = field(default_factory=list)
    limits: EdgeLimits = field(default_factory=EdgeLimits)
    expose_upstream: bool = False  # X-Upstream: host:port on the app's responses (tests, benchmarks)
    embed: list[str] | None = None  # origins that may frame embed=true views; None: FUJIAN_EMBED_ORIGINS
    nodes: list[Replica] = field(default_factory=list, init=False)
    nginx: subprocess.Popen | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        """The app behind the proxy, e.g. http://127.0.0.1:8080/fujian."""
        return f"http://127.0.0.1:{self.port}/{BASE_PATH}"

    def start(self, timeout: float = 180) -> Cluster:
        from harness.server import free_port as _free_port
        from harness.server import start_app

        if not Path(NGINX).exists():
            raise RuntimeError(f"{NGINX} missing: run `bash scripts/install_nginx.sh` (Debian nginx-light)")
        self.run_dir = Path(self.run_dir)
        if self.run_dir.exists():
            shutil.rmtree(self.run_dir)
        (self.run_dir / "tmp").mkdir(parents=True)
        self.port = self.port or _free_port()
        secret = self.secret or os.environ.get(SECRET_ENV) or secrets.token_hex(32)
        env = {**REPLICA_ENV, SECRET_ENV: secret, "PYTHONUNBUFFERED": "1"}
        started: list[Replica | Exception] = [None] * self.replicas  # type: ignore[list-item]

        def one(i: int) -> None:
            try:
                proc, url = start_app(self.script, env=env, timeout=timeout, base_path=BASE_PATH,
                                      extra=self.extra, log_path=self.run_dir / f"replica-{i}.log")
                started[i] = Replica(i, proc, url)
            except Exception as exc:
                started[i] = exc

        threads = [threading.Thread(target=one, args=(i,)) for i in range(self.replicas)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.nodes = [r for r in started if isinstance(r, Replica)]
        errors = [r for r in started if not isinstance(r, Replica)]
        if errors:
            self.stop()
            raise RuntimeError(f"replica failed to start: {errors[0]}")
        snippet = self.run_dir / "fujian.conf"
        snippet.write_text(render_nginx([r.address for r in self.nodes], f"127.0.0.1:{self.port}",
                                        str(self.run_dir / "cache"), str(self.run_dir / "access.log"),
                                        limits=self.limits, expose_upstream=self.expose_upstream, embed=self.embed),
                           encoding="utf-8")
        conf = self.run_dir / "nginx.conf"
        conf.write_text(_main_conf(self.run_dir, snippet), encoding="utf-8")
        log = open(self.run_dir / "nginx.out", "w")  # noqa: SIM115  (open while nginx runs)
        self.nginx = subprocess.Popen([NGINX, "-p", str(self.run_dir), "-e", str(self.run_dir / "error.log"),
                                       "-c", str(conf), "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_ok(f"{self.url}/_stcore/health", 20, self.nginx)
        except RuntimeError as exc:
            self.stop()
            raise RuntimeError(f"nginx: {exc}; see {self.run_dir / 'error.log'}") from exc
        return self

    def kill(self, index: int) -> None:
        """SIGKILL one replica, as a crash would."""
        node = self.nodes[index]
        if node.alive():
            node.proc.kill()
            node.proc.wait(10)

    def stop(self) -> None:
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.terminate()  # nginx: fast shutdown on SIGTERM
            try:
                self.nginx.wait(10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
        for node in self.nodes:
            if node.alive():
                node.proc.terminate()
        for node in self.nodes:
            try:
                node.proc.wait(10)
            except subprocess.TimeoutExpired:
                node.proc.kill()
                node.proc.wait(5)

    def __enter__(self) -> Cluster:
        return self.start() if self.nginx is None else self

    def __exit__(self, *exc) -> None:
        self.stop()


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _serve(args) -> int:
    cluster = Cluster(replicas=args.replicas, port=args.port, run_dir=Path(args.run_dir),
                      expose_upstream=args.expose_upstream)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    cluster.start()
    pidfile = cluster.run_dir / "cluster.pid"
    reported: set[int] = set()
    try:
        pidfile.write_text(str(os.getpid()))
        print(f"proxy     {cluster.url}/   (nginx, route-cookie affinity)")
        for r in cluster.nodes:
            print(f"replica {r.index} {r.url}/   log {_shown(r.log_path)}")
        print(f"run dir   {_shown(cluster.run_dir)}   (Ctrl-C or `make cluster-stop` stops everything)", flush=True)
        while not stop.wait(1):
            if cluster.nginx is None or cluster.nginx.poll() is not None:
                print("nginx exited; stopping", file=sys.stderr)
                return 1
            for r in cluster.nodes:
                if not r.alive() and r.index not in reported:
                    reported.add(r.index)
                    print(f"replica {r.index} exited ({r.proc.returncode}); the proxy sends its users to the others",
                          file=sys.stderr, flush=True)
        return 0
    finally:
        cluster.stop()
        pidfile.unlink(missing_ok=True)
        print("cluster stopped", flush=True)


def _stop(run_dir: Path) -> int:
    pidfile = run_dir / "cluster.pid"
    if not pidfile.exists():
        print(f"no cluster running ({pidfile} missing)")
        return 0
    pid = int(pidfile.read_text().strip())
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pidfile.unlink(missing_ok=True)
        print("cluster was not running")
        return 0
    for _ in range(150):
        time.sleep(0.2)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            print("cluster stopped")
            return 0
    print(f"cluster (pid {pid}) still running after 30 s", file=sys.stderr)
    return 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080, help="proxy port on 127.0.0.1 (default 8080)")
    parser.add_argument("--run-dir", default=str(RUN_DIR))
    parser.add_argument("--stop", action="store_true", help="stop the cluster started from this run dir")
    parser.add_argument("--render-compose", action="store_true",
                        help=f"rewrite {COMPOSE_CONF.relative_to(ROOT)} and {COMPOSE_MAIN_CONF.relative_to(ROOT)}")
    parser.add_argument("--expose-upstream", action="store_true",
                        help="add X-Upstream: <replica host:port> to the app's responses (off by default)")
    args = parser.parse_args(argv)
    if args.stop:
        return _stop(Path(args.run_dir))
    if args.render_compose:
        COMPOSE_CONF.write_text(render_compose(), encoding="utf-8")
        COMPOSE_MAIN_CONF.write_text(render_compose_main(), encoding="utf-8")
        print(f"wrote {COMPOSE_CONF.relative_to(ROOT)}, {COMPOSE_MAIN_CONF.relative_to(ROOT)}")
        return 0
    return _serve(args)


if __name__ == "__main__":
    sys.exit(main())
