"""The flake drill: the browser tier (`pytest -m e2e`) several times in a row while a busy loop
per core keeps the CPU full, as on a loaded machine; failures per test and the time of each run.

    .venv/bin/python scripts/flake_drill.py [--runs 3] [--burners N] [-- extra pytest arguments]

The burners are plain Python loops started here (one per core unless --burners says) and
stopped at the end, whatever happens. Writes benchmarks/results/flake_drill.md (and prints
it); exits 1 if any test failed in any run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULT = ROOT / "benchmarks" / "results" / "flake_drill.md"
BURN = "while True:\n    pass\n"


def _burners(count: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", BURN]) for _ in range(count)]


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _outcomes(junit: Path) -> dict[str, str]:
    """Test id -> "passed", "failed", "error" or "skipped", from pytest's JUnit XML."""
    out: dict[str, str] = {}
    if not junit.exists():
        return out
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = f"{case.get('classname', '')}::{case.get('name', '')}"
        kinds = {child.tag for child in case}
        out[name] = ("failed" if "failure" in kinds else "error" if "error" in kinds
                     else "skipped" if "skipped" in kinds else "passed")
    return out


def _run(index: int, extra: list[str], scratch: Path) -> tuple[float, int, dict[str, str]]:
    junit = scratch / f"run-{index}.xml"
    started = time.monotonic()
    code = subprocess.call([sys.executable, "-m", "pytest", "-m", "e2e", "-q", "-p", "no:cacheprovider",
                            f"--junitxml={junit}", *extra], cwd=ROOT)
    return time.monotonic() - started, code, _outcomes(junit)


def _minutes(seconds: float) -> str:
    return f"{int(seconds // 60)} min {seconds % 60:04.1f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--burners", type=int, default=os.cpu_count() or 2, help="busy loops (default: one per core)")
    parser.add_argument("pytest_args", nargs="*", help="after --: more arguments for pytest")
    args = parser.parse_args(argv)

    started_at = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    runs: list[tuple[float, int, dict[str, str], tuple[float, float, float]]] = []
    burners = _burners(args.burners)
    try:
        with tempfile.TemporaryDirectory(prefix="flake-drill-") as scratch:
            for i in range(1, args.runs + 1):
                seconds, code, outcomes = _run(i, args.pytest_args, Path(scratch))
                runs.append((seconds, code, outcomes, os.getloadavg()))
                bad = sorted(k for k, v in outcomes.items() if v in ("failed", "error"))
                print(f"flake drill: run {i}/{args.runs} took {_minutes(seconds)}, exit {code}, "
                      f"{len(bad)} failed {bad}", flush=True)
                _report(runs, args, started_at)  # kept after each run: a drill cut short still says what it saw
    finally:
        _stop(burners)
    print(_report(runs, args, started_at))
    return 1 if any(code != 0 for _, code, _, _ in runs) else 0


def _report(runs, args, started_at: str) -> str:
    failures: Counter[str] = Counter()
    for _, _, outcomes, _ in runs:
        failures.update(k for k, v in outcomes.items() if v in ("failed", "error"))
    lines = [
        "# Flake drill",
        "",
        f"{started_at}, {os.cpu_count()} cores, {args.burners} busy loops running throughout "
        f"(`make flake-drill`, scripts/flake_drill.py): `pytest -m e2e {' '.join(args.pytest_args)}`, "
        f"{len(runs)} of {args.runs} runs in a row.",
        "",
        "| run | time | tests | passed | failed | skipped | exit | load average (1/5/15 min) at its end |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for i, (seconds, code, outcomes, load) in enumerate(runs, start=1):
        counts = Counter(outcomes.values())
        lines.append(f"| {i} | {_minutes(seconds)} | {len(outcomes)} | {counts['passed']} | "
                     f"{counts['failed'] + counts['error']} | {counts['skipped']} | {code} | "
                     f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} |")
    lines += ["", "Failures per test (runs that failed it):", ""]
    lines += [f"- `{name}`: {n} of {len(runs)}" for name, n in failures.most_common()] or ["- none"]
    report = "\n".join(lines) + "\n"
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(report, encoding="utf-8")
    return report


if __name__ == "__main__":
    sys.exit(main())
