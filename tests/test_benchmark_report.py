"""The benchmarks' one Markdown writer (benchmarks/report.py), and the result files it wrote:
each report is what its benchmark's report function makes of the JSON written beside it, so
the two cannot disagree and a README quoting either quotes the same run. No benchmark runs."""

from __future__ import annotations

import json

import pytest

from benchmarks.report import PYTHON, Report, command, md_table, now
from fjchains.core import paths

RESULTS = paths.ROOT / "benchmarks" / "results"


def test_a_report_has_title_date_tables_machine_and_the_command_that_remakes_it(tmp_path):
    md = Report("Load test", "8 sessions", date="2026-01-02T03:04:05+00:00")
    md.table(["what", "value"], [["a | b", 1], ["two\nlines", 2.5]])
    md.section("Errors").bullets([])
    md.machine({"cpus": 2}).command("benchmarks.load_test", "--seconds 60", note="method: benchmarks/README.md")
    target = md.write(tmp_path / "sub" / "load.md")
    assert target.read_text(encoding="utf-8") == md.text()
    assert md.text().splitlines() == [
        "# Load test", "", "2026-01-02T03:04:05+00:00 · 8 sessions", "",
        "| what | value |", "|---|---|", "| a \\| b | 1 |", "| two lines | 2.5 |", "",
        "## Errors", "", "- none", "",
        "## Machine", "", "- cpus: 2", "",
        "Command: `.venv/bin/python -m benchmarks.load_test --seconds 60`; method: benchmarks/README.md",
    ]
    assert md.text().endswith("\n")
    assert not list((tmp_path / "sub").glob("*.tmp"))


def test_rows_must_fit_the_head():
    with pytest.raises(ValueError, match="2 headings"):
        md_table(["a", "b"], [["1", "2", "3"]])


def test_dates_are_utc_and_commands_run_from_the_repo_root():
    assert now().endswith("+00:00")
    assert command("benchmarks.spatial_benchmark") == f"{PYTHON} -m benchmarks.spatial_benchmark"


def _json(name: str) -> dict:
    return json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8"))


def test_each_result_file_is_its_json_rendered_by_its_benchmark():
    from benchmarks import load_test, run_benchmark, session_cost

    latest = _json("latest")
    made = {
        "latest": run_benchmark.report(latest, latest["first_paint"]),
        "load": load_test.single_report(_json("load")),
        "cluster_load": load_test.cluster_report(_json("cluster_load")),
        "session_cost": session_cost.report(_json("session_cost")),
    }
    for name, md in made.items():
        assert (RESULTS / f"{name}.md").read_text(encoding="utf-8") == md.text(), name


def test_results_hold_the_latest_run_only():
    """Each run overwrites its files; older runs live in git history, not beside the latest."""
    assert [p.name for p in RESULTS.iterdir() if "earlier" in p.name or p.name.endswith(".tmp")] == []


def test_a_flooders_own_failed_run_is_excused_with_the_errors_chained_to_it():
    """The rerun flood's own failed runs (a widget registration race in the flooding session)
    come as a chained traceback: the KeyError, then the error raised while handling it. Both are
    the flooder's; a traceback of its own after them is not."""
    from benchmarks.floods import unexpected_tracebacks

    flooder = ("2026-12-06 22:06:05.376 Uncaught app execution\nTraceback (most recent call last):\n"
               '  File "session_state.py", line 776\nKeyError\n\n'
               "During handling of the above exception, another exception occurred:\n\n"
               "Traceback (most recent call last):\n  File \"widgets.py\"\nKeyError: 'w_chains'\n")
    other = "Exception in ASGI application\nTraceback (most recent call last):\n  File \"x.py\"\nValueError: boom\n"
    assert unexpected_tracebacks(flooder, flooded=True) == []
    assert len(unexpected_tracebacks(flooder, flooded=False)) == 2
    found = unexpected_tracebacks(flooder + other, flooded=True)
    assert len(found) == 1 and "ValueError: boom" in found[0]
