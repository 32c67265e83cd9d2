"""How fast hostile input is answered (issue 9): the seconds the tests used to assert, measured.

    .venv/bin/python -m benchmarks.budgets [--no-browser]   (part of `make benchmark`)

The tests (tests/test_hostile.py, tests/e2e/test_hostile.py) check what happens: which message
each attack file gets, that the other session's click is answered. How long that takes
depends on the machine and on what else runs on it, so it is measured here, against these
criteria (issue 9):

- each attack file's message, through the upload sandbox as the app calls it: S1 and S2 within
  5 s, the others within the sandbox's own limit (fjchains.core.limits.PARSE_TIMEOUT_S);
- the budget checks alone (read_upload, in this process) refuse S1, S2 and S3 (wide) within 2 s;
- csv.Sniffer on a line of nearly 100,000 characters within 1 s; 84 lines of 8,000 characters
  read within 2 s;
- a child over its time budget (1 s) is killed and reported within 4 s;
- in the browser (headless Chromium, a server of its own): while one session uploads S1, S2
  and S3 (zip bomb), its message within 5 s each, and another session's map clicks answered
  within 2 s each.

Writes benchmarks/results/budgets.md; exits 1 if a criterion is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import select
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from benchmarks.common import RESULTS, county_points
from fjchains.core import limits
from fjchains.core.errors import UploadError

MB = 1024 * 1024
ISOLATED = ("s1_quadratic_sniff.csv", "s2_dimension.xlsx", "s3_zip_bomb.xlsx", "s3_shared_strings.xlsx",
            "s3_unmatched.csv", "s3_wide.csv", "s4_big_cell.xlsx", "s4_big_cell.csv")
IN_PROCESS = ("s1_quadratic_sniff.csv", "s2_dimension.xlsx", "s3_wide.csv")
BROWSER = (("s1_quadratic_sniff.csv", "350582", "晋江市"), ("s2_dimension.xlsx", "350181", "福清市"),
           ("s3_zip_bomb.xlsx", "350981", "福安市"))
UPLOAD_INPUT = "[data-testid=stFileUploaderDropzoneInput]"

Row = tuple[str, float, float]  # what, seconds, limit


def _seconds(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    with contextlib.suppress(UploadError, sandbox_error()):  # each case ends in a refusal: only its time counts
        fn()
    return time.perf_counter() - started


def sandbox_error() -> type[Exception]:
    from fjchains.upload.sandbox import SandboxError

    return SandboxError


def package_cases() -> list[Row]:
    from fjchains.data.names import build_aliases
    from fjchains.data.tables import load_tables
    from fjchains.upload import reader, sandbox
    from fjchains.upload.reader import read_upload
    from fjchains.upload.userdata import load_user_file_isolated
    from tests.hostile import generate

    tables = load_tables()
    aliases = build_aliases(tables.counties, tables.former_names)
    sandbox.warm_up()  # the forkserver's first start imports pandas: not part of any budget
    rows: list[Row] = []
    for name in ISOLATED:
        content = generate.FILES[name][0]()
        limit = 5.0 if name.startswith(("s1", "s2")) else limits.PARSE_TIMEOUT_S
        rows.append((f"message for {name} (sandbox)",
                     _seconds(partial(load_user_file_isolated, name, content, aliases, tables.counties)), limit))
    import openpyxl  # noqa: F401  (its first import is no part of a budget)

    for name in IN_PROCESS:
        content = generate.FILES[name][0]()
        rows.append((f"budget checks refuse {name} (in process)", _seconds(partial(read_upload, name, content)), 2.0))
    line = 'adcode,value,note\n350582,1,"' + 'A,""' * 24_990 + '"\n350583,2,x\n'
    rows.append(("sniff a 100,000-character line", _seconds(lambda: reader._sniff_delimiter(line.splitlines())), 1.0))
    cell = "x" * 40
    text = "adcode," + ",".join(f"c{i}" for i in range(199)) + "\n"
    text += "".join(f"{350582 + i}," + ",".join([cell] * 199) + "\n" for i in range(84))
    rows.append(("read 84 lines of 8,000 characters", _seconds(lambda: read_upload("wide.csv", text.encode())), 2.0))
    rows.append(("child over its 1 s budget killed", _seconds(
        lambda: sandbox.run_isolated(select.select, [], [], [], 30, timeout=1, memory=200 * MB)), 4.0))
    return rows


def browser_cases() -> list[Row]:
    from playwright.sync_api import sync_playwright

    from fjchains.core import paths
    from harness.server import CHROMIUM, CHROMIUM_ARGS, start_app, stop_app
    from tests.e2e.helpers import click_latlng, instrument, map_frame, wait_idle
    from tests.hostile import generate

    points = county_points()
    rows: list[Row] = []
    proc, url = start_app(paths.ROOT / "serve.py", env={"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"})
    try:
        with sync_playwright() as pw, tempfile.TemporaryDirectory() as scratch:
            # two people, two browsers, one server
            browsers = [pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS) for _ in range(2)]
            try:
                pages = []
                for b in browsers:
                    context = b.new_context(viewport={"width": 1440, "height": 900})
                    instrument(context)
                    pages.append(context.new_page())
                attacker, other = pages

                def click(adcode: str, name: str) -> float:
                    started = time.perf_counter()
                    click_latlng(other, points[adcode]["lat"], points[adcode]["lng"])
                    other.locator(".st-key-detail_panel").get_by_text(name).first.wait_for(timeout=60_000)
                    return time.perf_counter() - started

                other.goto(f"{url}/explorer")
                map_frame(other)
                wait_idle(other)
                attacker.goto(f"{url}/upload")
                ok = Path(scratch) / "ok.csv"
                ok.write_bytes(generate.s7_extremes())
                attacker.locator(UPLOAD_INPUT).set_input_files(str(ok))  # starts the sandbox: not timed
                attacker.get_by_text("匹配 5 行").first.wait_for(timeout=60_000)
                wait_idle(attacker)
                rows.append(("other session's click, no attack", click("350521", "惠安县"), 2.0))
                wait_idle(other)
                for name, adcode, county in BROWSER:
                    path = Path(scratch) / name
                    path.write_bytes(generate.FILES[name][0]())
                    started = time.perf_counter()
                    attacker.locator(UPLOAD_INPUT).set_input_files(str(path))
                    rows.append((f"other session's click during {name}", click(adcode, county), 2.0))
                    attacker.locator("[data-testid=stAlert]").filter(has_text="无法使用该文件").filter(
                        has_text=name.split(".")[0]).first.wait_for(timeout=60_000)
                    rows.append((f"message for {name} (browser)", time.perf_counter() - started, 5.0))
                    wait_idle(attacker)
                    wait_idle(other)
            finally:
                for b in browsers:
                    b.close()
    finally:
        stop_app(proc)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-browser", action="store_true", help="the package cases only")
    args = parser.parse_args(argv)
    rows = package_cases() + ([] if args.no_browser else browser_cases())
    load = os.getloadavg()
    lines = ["# Hostile input: time to the answer", "",
             f"{dt.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, load average at the end "
             f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (`.venv/bin/python -m benchmarks.budgets`, "
             "part of `make benchmark`). One measurement each, wall time.", "",
             "| what | seconds | limit | within |", "| --- | --- | --- | --- |"]
    lines += [f"| {what} | {s:.2f} | {limit:g} | {'yes' if s <= limit else '**no**'} |" for what, s, limit in rows]
    report = "\n".join(lines) + "\n"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "budgets.md").write_text(report, encoding="utf-8")
    print(report)
    return 0 if all(s <= limit for _, s, limit in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
