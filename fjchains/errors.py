"""The one error type for bad data, carrying where the problem is."""

from __future__ import annotations


class DataValidationError(ValueError):
    """A data or boundary file breaks a rule; says which file, row and what is wrong."""

    def __init__(self, file: str, message: str, row: int | None = None, column: str | None = None,
                 message_zh: str | None = None):
        self.file, self.row, self.column, self.problem = file, row, column, message
        self.zh = f"{file}：{message_zh}" if message_zh else None  # for problems a site operator may cause
        where = file
        if row is not None:
            where += f", line {row}"
        if column:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}")
