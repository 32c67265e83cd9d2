"""The two kinds of error: a broken data file (the site's), and a bad input (the user's)."""

from __future__ import annotations

from typing import Any, NamedTuple

from fjchains.core.i18n import t


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


class Msg(NamedTuple):
    """A catalogue message inside another one (a reason, a separator's name): localised late."""

    key: str
    values: dict[str, Any]

    def text(self, lang: str) -> str:
        return t(self.key, lang, **_localised(self.values, lang))


def _localised(values: dict[str, Any], lang: str) -> dict[str, Any]:
    """Nested messages in the language; lists joined with the language's separator."""
    out = {}
    for name, value in values.items():
        if isinstance(value, Msg):
            value = value.text(lang)
        elif isinstance(value, (list, tuple)):
            value = t("list_sep", lang).join(map(str, value))
        out[name] = value
    return out


class UserInputError(ValueError):
    """Something a user supplied (a file, breaks, a setting) cannot be used.

    Carries a catalogue key and its values, not finished sentences: `message(lang)` says it
    in the interface language (str() is the English one, for logs and tests).
    """

    def __init__(self, key: str, **values: Any):
        self.key, self.values = key, values
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        return t(self.key, lang, **_localised(self.values, lang))

    @property
    def zh(self) -> str:
        return self.message("zh")

    @property
    def en(self) -> str:
        return self.message("en")

    def __reduce__(self):  # crosses a process boundary (fjchains.upload.sandbox)
        return _rebuild, (type(self), self.key, self.values)


def _rebuild(cls: type[UserInputError], key: str, values: dict[str, Any]) -> UserInputError:
    return cls(key, **values)


class UploadError(UserInputError):
    """An uploaded file that cannot be read or joined."""


class ClassifyError(UserInputError):
    """Values or settings that cannot be classified."""
