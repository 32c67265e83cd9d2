"""The one Markdown report writer: every benchmark that writes a `results/*.md` uses it.

A report is its title, a line with the run's date (UTC) and what was run, the tables and
notes of that benchmark, then the machine and the exact command that re-makes it, so a
figure quoted in a README can be traced to one dated file::

    report = Report("Load test: our app, concurrent sessions", "8 sessions × 60 s")
    report.table(["", ""], rows)
    report.section("Errors").bullets(errors)
    report.machine(machine_info()).command("benchmarks.load_test", "--seconds 60")
    report.write(RESULTS / "load.md")

Each run overwrites its file: `results/` holds the latest run of each benchmark, no older ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from benchmarks.common import write_text

PYTHON = ".venv/bin/python"


def now() -> str:
    """The run's date as every report and JSON result gives it: UTC, ISO 8601, seconds."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def command(module: str, args: str = "") -> str:
    """How to re-run a benchmark (its module, with `python -m`) from the repo root."""
    return f"{PYTHON} -m {module}" + (f" {args}" if args else "")


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def md_table(head: Sequence[object], rows: Iterable[Sequence[object]]) -> list[str]:
    """A Markdown table; a `|` or a line break inside a cell cannot break its row."""
    lines = ["| " + " | ".join(_cell(h) for h in head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        if len(row) != len(head):
            raise ValueError(f"row of {len(row)} cells under {len(head)} headings: {row!r}")
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return lines


class Report:
    """A Markdown report built top to bottom; each method returns the report."""

    def __init__(self, title: str, about: str = "", date: str | None = None):
        self.date = date or now()
        self.lines: list[str] = [f"# {title}", "", self.date + (f" · {about}" if about else ""), ""]

    def section(self, title: str) -> Report:
        self.lines += [f"## {title}", ""]
        return self

    def para(self, *text: str) -> Report:
        """One paragraph; the parts are joined with spaces."""
        self.lines += [" ".join(text), ""]
        return self

    def table(self, head: Sequence[object], rows: Iterable[Sequence[object]]) -> Report:
        self.lines += [*md_table(head, rows), ""]
        return self

    def bullets(self, items: Iterable[object], empty: str = "none") -> Report:
        """A list, or one bullet `empty` when there is nothing to list."""
        self.lines += [f"- {item}" for item in items] or [f"- {empty}"]
        self.lines.append("")
        return self

    def raw(self, lines: Iterable[str]) -> Report:
        """Markdown lines made elsewhere (a table of another shape), then a blank line."""
        self.lines += [*lines, ""]
        return self

    def machine(self, info: Mapping[str, object]) -> Report:
        return self.section("Machine").bullets(f"{k}: {v}" for k, v in info.items())

    def command(self, module: str, args: str = "", note: str = "") -> Report:
        """The command that re-makes this report (and a note after it, e.g. where the method is)."""
        return self.para(f"Command: `{command(module, args)}`" + (f"; {note}" if note else ""))

    def text(self) -> str:
        return "\n".join(self.lines)

    def write(self, path: Path) -> Path:
        write_text(path, self.text())
        return path
