"""Errors a user can act on: each names the file, the row and what was expected."""

from __future__ import annotations

from pathlib import Path


class WijkradarError(Exception):
    """Base for errors shown to the user without a traceback (CLI exit code 2)."""


class InputError(WijkradarError):
    """Bad input: which file, which row (1-based, as a spreadsheet shows it), what was expected."""

    def __init__(
        self,
        path: str | Path,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        found: str | None = None,
    ) -> None:
        self.path = str(path)
        self.problem = problem
        self.row = row
        self.column = column
        self.expected = expected
        self.found = found
        super().__init__(str(self))

    def __reduce__(self) -> tuple[object, ...]:
        # The keyword-only fields would be lost by Exception's pickling, which replays args;
        # a build's parse worker (pipeline.ahead) sends its errors to the build this way.
        fields = (self.path, self.problem, self.row, self.column, self.expected, self.found)
        return (_input_error, (type(self), *fields))

    def __str__(self) -> str:
        where = [self.path]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = f"{', '.join(where)}: {self.problem}"
        if self.expected is not None:
            text += f"; expected {self.expected}"
        if self.found is not None:
            text += f", found {self.found!r}"
        return text


def _input_error(
    cls: type[InputError],
    path: str,
    problem: str,
    row: int | None,
    column: str | None,
    expected: str | None,
    found: str | None,
) -> InputError:
    return cls(path, problem, row=row, column=column, expected=expected, found=found)
