"""8 concurrent sessions clicking counties and switching chain filters on our app.

    .venv/bin/python -m benchmarks.load_test [--seconds 60] [--sessions 8] [--protocol-sessions 7] [--seed 1]
    .venv/bin/python -m benchmarks.load_test --protocol-sessions 0   (every session in a browser)
    .venv/bin/python -m benchmarks.load_test --url http://127.0.0.1:8080/fujian   (a running deployment)
    .venv/bin/python -m benchmarks.load_test --replicas 0,1,2   (1 replica direct, then via the proxy on 1 and 2)

`make load` runs the first (`make load URL=…` the third), `make load-cluster` the last.
By default it starts serve.py itself (as `make run` does) and drives /explorer on a free
localhost port. `--url` drives a deployment that is already up (e.g. `make cluster`): no
server is started and no RSS is read. `--replicas 0,1,2` starts the local cluster
(deploy/cluster.py: nginx + N replicas, as `make cluster`) once per count (0: one replica
driven directly, the baseline without the proxy), same load, same run, and reports the RSS
and CPU of every replica and which replica each session landed on (the proxy's X-Upstream).

Of the sessions, `--protocol-sessions` (default 7) have no browser: they speak Streamlit's
websocket protocol; the others (default 1) are real browser sessions, timed to what a person
sees. What a session does, how a click's time is split and why the browsers run niced
(--browser-nice 10; 0 runs them as the server): benchmarks/load_sessions.py.

Errors: Streamlit exception elements on the page, page (JS) errors, failed or non-local
requests, timeouts waiting for the detail panel / the recolour, "Traceback" in the server
log. Writes benchmarks/results/load.json and load.md (load_all_browsers.* with
--protocol-sessions 0, load_url.* with --url, cluster_load.* with --replicas), through
benchmarks/report.py; exits 1 on any error.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import time

from benchmarks.common import (
    RESULTS,
    ROOT,
    PeakRss,
    Server,
    county_points,
    machine_info,
    quantiles,
    start_ours,
    write_json,
)
from benchmarks.load_sessions import Tally, chain_names, drive
from benchmarks.report import Report, now


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60, help="how long every session keeps acting (default 60)")
    parser.add_argument("--sessions", type=int, default=8, help="concurrent sessions (default 8)")
    parser.add_argument("--protocol-sessions", type=int, default=7,
                        help="how many of them speak Streamlit's websocket protocol instead of driving a browser "
                             "(benchmarks/protocol_session.py; default 7: one real browser; 0: all browsers)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--browser-nice", type=int, default=10,
                        help="run the browsers at this niceness, below the server (default 10; 0: as the server)")
    parser.add_argument("--url", help="drive this running app (e.g. http://127.0.0.1:8080/fujian) instead of starting one")
    parser.add_argument("--replicas", help="comma-separated replica counts behind the local proxy, e.g. 1,2 "
                                           "(0: one replica driven directly, without the proxy)")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.replicas:
        return run_cluster(args, [int(n) for n in args.replicas.split(",")])
    return run_single(args)


# ---- one app, started here or at --url -------------------------------------------------

def result_name(args) -> str:
    """The results' file name: one per kind of run, each holding its latest run."""
    if args.url:
        return "load_url"
    return "load_all_browsers" if args.protocol_sessions == 0 else "load"


def run_single(args) -> int:
    points = county_points(min_area=0.002)  # counties big enough to hit at the province-wide zoom
    chains = chain_names()
    started = time.monotonic()
    server = None if args.url else start_ours()
    rss_peak = rss_end = float("nan")
    try:
        if server:
            with PeakRss(server, every=0.5) as sampler:
                tally = asyncio.run(drive(server.url + "/explorer", args.sessions, args.seconds, args.seed, points,
                                          chains, server.proc.pid, args.browser_nice, args.protocol_sessions))
                rss_end = server.rss_mb()
            rss_peak = sampler.peak
        else:
            tally = asyncio.run(drive(args.url.rstrip("/") + "/explorer", args.sessions, args.seconds, args.seed,
                                      points, chains, browser_nice=args.browser_nice,
                                      protocol_sessions=args.protocol_sessions))
    finally:
        if server:
            server.stop()
    if server:
        tracebacks = len(re.findall(r"Traceback", server.log_text()))
        if tracebacks:
            tally.errors.append(f"server log: {tracebacks} Traceback(s), see {server.log.relative_to(ROOT)}")
    check_enough(args, tally)
    result = single_result(args, tally, rss_peak, rss_end, time.monotonic() - started)
    name = result_name(args)
    write_json(RESULTS / f"{name}.json", result)
    single_report(result).write(RESULTS / f"{name}.md")
    for a, b in single_rows(result):
        print(f"{a:45} {b}")
    for e in tally.errors[:20]:
        print("error:", e)
    print(f"wrote {RESULTS / (name + '.json')} and {name}.md")
    return 1 if tally.errors else 0


def check_enough(args, tally: Tally) -> None:
    """A run where a kind of session made no click or no filter change measured nothing: an error."""
    browsers = args.sessions - args.protocol_sessions
    if browsers and (not tally.click_ms or not tally.filter_ms):
        tally.errors.append(f"too few actions: {len(tally.click_ms)} clicks, {len(tally.filter_ms)} filter changes")
    if args.protocol_sessions and (not tally.protocol_click_ms or not tally.protocol_filter_ms):
        tally.errors.append(f"too few protocol actions: {len(tally.protocol_click_ms)} clicks, "
                            f"{len(tally.protocol_filter_ms)} filter changes")


def single_result(args, tally: Tally, rss_peak: float, rss_end: float, elapsed: float) -> dict:
    """Everything a report needs, as written to the JSON file."""
    return {
        "date": now(), "target": args.url or "serve.py",
        "sessions": args.sessions, "protocol_sessions": args.protocol_sessions, "seconds": args.seconds,
        "seed": args.seed, "browser_nice": args.browser_nice, "elapsed_s": elapsed,
        "actions": tally.actions, "clicks": len(tally.click_ms), "filter_changes": len(tally.filter_ms),
        "skipped_points": tally.skipped, "ui_retries": tally.ui_retries,
        "click_to_detail_ms": quantiles(tally.click_ms), "filter_to_recolour_ms": quantiles(tally.filter_ms),
        "protocol_click_ms": quantiles(tally.protocol_click_ms), "protocol_filter_ms": quantiles(tally.protocol_filter_ms),
        "rss_peak_mb": rss_peak, "rss_end_mb": rss_end, "errors": tally.errors, "error_count": len(tally.errors),
        "open_ms": quantiles(tally.open_ms), "click_split_ms": click_split(tally),
        "cpu_s": tally.cpu, "cores": os.cpu_count(), "machine": machine_info(),
    }


def single_rows(r: dict) -> list[tuple[str, str]]:
    rss = "not measured (--url)" if r["target"].startswith("http") else f"{r['rss_peak_mb']:.0f} / {r['rss_end_mb']:.0f}"
    return [("sessions × seconds", f"{r['sessions']} × {r['seconds']:g} s"),
            ("of which without a browser (websocket protocol)", str(r["protocol_sessions"])),
            ("actions (clicks + filter changes)",
             f"{r['actions']} ({r['clicks'] + r['protocol_click_ms']['n']} + "
             f"{r['filter_changes'] + r['protocol_filter_ms']['n']})"),
            ("browser sessions: click → detail on screen p50 / p95 [ms]", _q(r["click_to_detail_ms"])),
            ("browser sessions: filter change → map restyled p50 / p95 [ms]", _q(r["filter_to_recolour_ms"])),
            ("protocol sessions: click → run finished with the detail p50 / p95 [ms]", _q(r["protocol_click_ms"])),
            ("protocol sessions: filter change → run finished with the map p50 / p95 [ms]", _q(r["protocol_filter_ms"])),
            (f"page open ({r['sessions']} at once) → counties drawn p50 / p95 [ms]", _q(r["open_ms"])),
            *[(f"click: {part} p50 / p95 [ms]", _q(q)) for part, q in r["click_split_ms"].items()],
            ("CPU in the acting window: server / browsers / protocol sessions [s]",
             _cpu_text(r["cpu_s"], r["seconds"], r["cores"])),
            ("server RSS peak / at end [MB]", rss),
            ("option clicks the open list did not take (retried)", str(r["ui_retries"])),
            ("errors", str(r["error_count"]))]


def single_report(r: dict) -> Report:
    url = r["target"] if r["target"].startswith("http") else None
    md = Report("Load test: our app, concurrent sessions", f"{r['elapsed_s']:.0f} s in all"
                + (f" · target {url}" if url else ""), date=r["date"])
    md.table(["", ""], single_rows(r))
    md.section("Errors").bullets(r["errors"][:50])
    return md.machine(r["machine"]).command(
        "benchmarks.load_test", f"--seconds {r['seconds']:g} --sessions {r['sessions']} --protocol-sessions "
        f"{r['protocol_sessions']} --seed {r['seed']} --browser-nice {r['browser_nice']}" + (f" --url {url}" if url else ""))


def _q(d: dict) -> str:
    return "n/a" if not d["n"] else f"{d['median']:.0f} / {d['p95']:.0f} (max {d['max']:.0f})"


def click_split(tally: Tally) -> dict[str, dict]:
    return {"browser, click → message sent": quantiles(tally.to_server_ms),
            "server, sent → last reply received": quantiles(tally.server_ms),
            "browser, reply → detail on screen": quantiles(tally.render_ms)}


def _cpu_text(cpu: dict[str, float], seconds: float, cores: int | None) -> str:
    if not cpu:
        return "not measured"
    sides = ("server", "browsers", "this process")
    whole = (cores or 1) * seconds
    return (" / ".join(f"{cpu.get(s, 0):.0f}" for s in sides) + f" of {whole:.0f} core-seconds ("
            + " / ".join(f"{100 * cpu.get(s, 0) / whole:.0f} %" for s in sides) + ")")


# ---- the local cluster: 1 replica direct, then through the proxy on N ------------------

def _cpu_seconds(pid: int) -> float:
    import psutil

    try:
        t = psutil.Process(pid).cpu_times()
        return t.user + t.system
    except psutil.NoSuchProcess:
        return float("nan")


def cluster_run(args, n: int, points: dict, chains: list[str]) -> dict:
    """The load on n replicas (0: one replica driven directly, without the proxy)."""
    from deploy.cluster import Cluster, EdgeLimits

    started = time.monotonic()
    # every simulated user comes from 127.0.0.1: the per-address limits scaled to them;
    # X-Upstream tells which replica serves each session
    limits = EdgeLimits().scaled(max(1.0, args.sessions / 4))
    with Cluster(replicas=max(n, 1), run_dir=RESULTS / "logs" / f"cluster-{n}", expose_upstream=True,
                 limits=limits) as cluster:
        target = cluster.nodes[0].url if n == 0 else cluster.url  # 0: the replica itself, no proxy
        servers = [Server(f"replica-{r.index}", r.proc, r.url, r.log_path) for r in cluster.nodes]
        cpu0 = [_cpu_seconds(r.proc.pid) for r in cluster.nodes]
        load0 = os.getloadavg()[0]
        samplers = [PeakRss(s, every=0.5) for s in servers]
        for smp in samplers:
            smp.__enter__()
        try:
            tally = asyncio.run(drive(target + "/explorer", args.sessions, args.seconds, args.seed, points, chains,
                                      browser_nice=args.browser_nice))
            rss_end = [s.rss_mb() for s in servers]
            cpu = [_cpu_seconds(r.proc.pid) - c for r, c in zip(cluster.nodes, cpu0)]
        finally:
            for smp in samplers:
                smp.__exit__(None, None, None)
        load1 = os.getloadavg()[0]
        addresses = [r.address for r in cluster.nodes]
        for node in cluster.nodes:
            if "Traceback" in node.log_path.read_text(encoding="utf-8", errors="replace"):
                tally.errors.append(f"replica {node.index}: Traceback in {node.log_path.relative_to(ROOT)}")
    if n == 0:
        tally.upstreams = {i: addresses[0] for i in range(args.sessions)}
    if len(tally.upstreams) < args.sessions:
        tally.errors.append(f"only {len(tally.upstreams)} of {args.sessions} sessions reported their replica")
    per = [{"replica": i, "sessions": sum(1 for u in tally.upstreams.values() if u == a),
            "rss_peak_mb": smp.peak, "rss_end_mb": rss_end[i], "cpu_s": cpu[i]}
           for i, (a, smp) in enumerate(zip(addresses, samplers))]
    return {
        "replicas": n, "elapsed_s": time.monotonic() - started, "load_avg_1min_before_after": [load0, load1],
        "sessions_held": args.sessions - len(tally.failed_sessions), "actions": tally.actions,
        "clicks": len(tally.click_ms), "filter_changes": len(tally.filter_ms), "ui_retries": tally.ui_retries,
        "click_to_detail_ms": quantiles(tally.click_ms), "filter_to_recolour_ms": quantiles(tally.filter_ms),
        "per_replica": per, "errors": tally.errors, "error_count": len(tally.errors),
    }


def run_cluster(args, counts: list[int]) -> int:
    """The same load through the proxy on 1, 2, … replicas, one after the other, same run."""
    points = county_points(min_area=0.002)
    chains = chain_names()
    runs = []
    for n in counts:
        runs.append(cluster_run(args, n, points, chains))
        r = runs[-1]
        print(f"{n} replica(s): {r['sessions_held']}/{args.sessions} sessions held, {r['actions']} actions, "
              f"click p50/p95 {_q(r['click_to_detail_ms'])} ms, {r['error_count']} errors", flush=True)
    result = {"date": now(), "sessions": args.sessions, "seconds": args.seconds, "seed": args.seed, "runs": runs,
              "machine": machine_info()}
    write_json(RESULTS / "cluster_load.json", result)
    cluster_report(result).write(RESULTS / "cluster_load.md")
    print(f"wrote {RESULTS / 'cluster_load.json'} and cluster_load.md")
    return 1 if any(r["errors"] for r in runs) else 0


def _replicas_label(n: int, short: bool = True) -> str:
    if n == 0:
        return "1, no proxy" if short else "1 replica, no proxy"
    return str(n) if short else f"{n} replica(s)"


def cluster_report(result: dict) -> Report:
    runs, sessions = result["runs"], result["sessions"]
    counts = [r["replicas"] for r in runs]
    md = Report("Load through the proxy: " + " vs ".join("1 without proxy" if n == 0 else str(n) for n in counts)
                + " replica(s)",
                f"{sessions} sessions × {result['seconds']:g} s per run, the same seed, one after the other in the same "
                "run; nginx with route-cookie affinity on 127.0.0.1 in front of N `streamlit run` replicas "
                "(deploy/cluster.py, as `make cluster`), browsers on the same machine.", date=result["date"])
    md.table(["replicas", "sessions held", "actions (clicks + filters)", "click → detail p50 / p95 [ms]",
              "filter → restyled p50 / p95 [ms]", "sessions per replica", "RSS peak per replica [MB]",
              "CPU per replica [s]", "errors", "load avg before → after"],
             [[_replicas_label(r["replicas"]), f"{r['sessions_held']}/{sessions}",
               f"{r['actions']} ({r['clicks']} + {r['filter_changes']})", _q(r["click_to_detail_ms"]),
               _q(r["filter_to_recolour_ms"]), " / ".join(str(p["sessions"]) for p in r["per_replica"]),
               " / ".join(f"{p['rss_peak_mb']:.0f}" for p in r["per_replica"]),
               " / ".join(f"{p['cpu_s']:.0f}" for p in r["per_replica"]), r["error_count"],
               "{:.1f} → {:.1f}".format(*r["load_avg_1min_before_after"])] for r in runs])
    md.section("Errors").bullets(f"{_replicas_label(r['replicas'], short=False)}: {e}"
                                 for r in runs for e in (r["errors"][:20] or ["none"]))
    return md.machine(result["machine"]).command(
        "benchmarks.load_test", f"--replicas {','.join(str(n) for n in counts)} --seconds {result['seconds']:g} "
        f"--sessions {sessions} --seed {result['seed']}")


if __name__ == "__main__":
    sys.exit(main())
