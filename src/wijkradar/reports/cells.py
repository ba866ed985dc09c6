"""Spreadsheet cells that cannot run: text starting with = + - @ (or a tab / carriage return,
which spreadsheets skip before such a sign) is a formula to Excel and LibreOffice, so a region
name or a publisher taken from a local file could otherwise execute in whoever opens an export.
OWASP's advice: prefix such text with a single quote. Numbers stay numbers, negative ones too.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def neutralise(value: object) -> object:
    """The value as it may go into a CSV or XLSX cell: text that a spreadsheet would evaluate
    gets a leading ', anything else (numbers, None, plain text, numeric text) is unchanged."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if _PLAIN_NUMBER.match(value):
        return value  # "-3" or "+1,5" as text: a number to a spreadsheet, not a formula
    return "'" + value
