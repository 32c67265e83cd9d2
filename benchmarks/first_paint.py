"""First paint of every page with a map, against the naive app and a floor app, in one run.

Per run, each page in a fresh browser context (1440x900, empty cache), pages interleaved so
drift hits all alike: navigation → 84 counties drawn (ours: and coloured), for the floor app
navigation → title shown; then 4 s more, and the sum of the page's layout-shift entries
(without user input) from navigation on. "Your data" counts from navigation to the map of an
uploaded file drawn, the file chosen as soon as the uploader shows. Called by run_benchmark.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from benchmarks.common import BENCH, JS_DRAWN, ROOT, VIEWPORT, Server, probe, quantiles, start_server
from benchmarks.report import md_table

FLOOR_APP = BENCH / "floor_app.py"
UPLOAD_FILE = ROOT / "tests" / "fixtures" / "counties_utf8.csv"
SETTLE_MS = 4000  # after drawn: the charts arrive (deferred), any late shift is counted
WAIT_MS = 60_000
JS_WATCH_SHIFTS = probe("watchShifts")
JS_SHIFTS = probe("shifts")
JS_TITLE = probe("titleShown")
JS_LEGEND_HAS = probe("legendHas")
UPLOAD_COLUMN = "GDP"  # the first numeric column of UPLOAD_FILE: its choropleth's legend names it


@dataclass(frozen=True)
class PageCase:
    label: str  # as in the report
    app: str  # "ours", "naive" or "floor"
    path: str
    upload: bool = False


CASES = [
    PageCase("floor app (title only)", "floor", "/"),
    PageCase("naive app", "naive", "/"),
    PageCase("ours: overview /", "ours", "/"),
    PageCase("ours: explorer /explorer", "ours", "/explorer"),
    PageCase("ours: chains /chains", "ours", "/chains"),
    PageCase("ours: your data /upload, file loaded", "ours", "/upload", upload=True),
]
OURS_MAP_PAGES = [c.label for c in CASES if c.app == "ours"]


def start_floor() -> Server:
    return start_server("floor", FLOOR_APP)


def one_page(browser, server: Server, case: PageCase) -> dict:
    """One fresh context: navigation → drawn (or title), then the layout shifts."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script(f"({JS_WATCH_SHIFTS})()")
    out: dict = {}
    try:
        t0 = time.perf_counter()
        page.goto(server.url + case.path, wait_until="commit", timeout=WAIT_MS)
        if case.upload:
            page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(UPLOAD_FILE),
                                                                                          timeout=WAIT_MS)
        if case.upload:  # the page's map waits in grey for the file: time the file's own colours
            page.wait_for_function(JS_LEGEND_HAS, arg=UPLOAD_COLUMN, timeout=WAIT_MS, polling="raf")
        else:
            page.wait_for_function(JS_TITLE if case.app == "floor" else JS_DRAWN, timeout=WAIT_MS, polling="raf")
        out["ms"] = (time.perf_counter() - t0) * 1000
        page.wait_for_timeout(SETTLE_MS)
        shifts = page.evaluate(JS_SHIFTS)
        out["cls"] = sum(s["value"] for s in shifts)
        out["shifts"] = shifts
    except Exception as exc:
        out["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    finally:
        out["page_errors"] = errors
        context.close()
    return out


def run_pages(browser, servers: dict[str, Server], runs: int, log=print) -> dict[str, list[dict]]:
    """label -> one result per run (after one untimed warm-up of each case)."""
    results: dict[str, list[dict]] = {c.label: [] for c in CASES}
    for i in range(runs + 1):
        for case in CASES:
            r = one_page(browser, servers[case.app], case)
            if i == 0:
                continue
            results[case.label].append(r)
            log(f"first paint {i}/{runs} {case.label}: " + (r.get("error") or f"{r['ms']:.0f} ms, CLS {r['cls']:.3f}"))
    return results


def summary(results: dict[str, list[dict]]) -> dict[str, dict]:
    out = {}
    for label, runs in results.items():
        ok = [r for r in runs if "error" not in r]
        worst = max(ok, key=lambda r: r["cls"], default=None)
        out[label] = {"ms": quantiles([r["ms"] for r in ok]), "cls": quantiles([r["cls"] for r in ok]),
                      "errors": [r["error"] for r in runs if "error" in r],
                      "worst_shifts": sorted(worst["shifts"], key=lambda s: -s["value"])[:3] if worst else []}
    return out


def table_md(s: dict[str, dict]) -> list[str]:
    """The first paints as a Markdown table: per page its time, its ratios to naive and floor, its layout shift."""
    naive = s["naive app"]["ms"]["median"]
    floor = s["floor app (title only)"]["ms"]["median"]
    rows = []
    for label, v in s.items():
        ms, cls = v["ms"], v["cls"]
        if ms["median"] is None:
            rows.append([label, f"failed: {'; '.join(v['errors'])}", "", "", ""])
            continue
        to_naive, to_floor = (f"{ms['median'] / base:.2f}" if base else "n/a" for base in (naive, floor))
        rows.append([label, f"{ms['median']:.0f} ({ms['p25']:.0f}–{ms['p75']:.0f})", to_naive, to_floor,
                     f"{cls['median']:.3f} ({cls['max']:.3f})"])
    return md_table(["page", "navigation → counties drawn [ms] median (p25–p75)", "÷ naive", "÷ floor",
                     "layout shift: median (max)"], rows)


def targets(s: dict[str, dict]) -> list[tuple[str, bool, str]]:
    """Issue 10: each map page ≤ 0.8 × naive and ≤ 1.6 × floor; layout shift ≤ 0.05 on every page of ours."""
    naive = s["naive app"]["ms"]["median"]
    floor = s["floor app (title only)"]["ms"]["median"]
    out = []
    for label in OURS_MAP_PAGES:
        ms, cls = s[label]["ms"]["median"], s[label]["cls"]["median"]
        if ms is None or not naive or not floor:
            out.append((f"{label}: first paint", False, "no measurement"))
            continue
        out.append((f"{label}: navigation → drawn ≤ 0.8 × naive", ms / naive <= 0.8, f"{ms / naive:.2f}"))
        out.append((f"{label}: navigation → drawn ≤ 1.6 × floor", ms / floor <= 1.6, f"{ms / floor:.2f}"))
        out.append((f"{label}: layout shift ≤ 0.05", cls <= 0.05, f"{cls:.3f}"))
    return out


def worst_shifts_md(s: dict[str, dict]) -> list[str]:
    lines = []
    for label, v in s.items():
        for shift in v["worst_shifts"]:
            if shift["value"] >= 0.005:
                lines.append(f"- {label}: {shift['value']:.3f} at {shift['t']} ms ({shift['what']})")
    return lines or ["- none ≥ 0.005"]

