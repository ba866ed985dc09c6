"""Numbers as a reader of the language expects them: Dutch writes 12.345,6 and English 12,345.6.

One function for pages, the terminal and Dutch CSV, so a figure reads the same everywhere.
"""

from __future__ import annotations


def number(value: float | None, lang: str = "nl", decimals: int | None = None) -> str:
    """`value` with thousands separators and the language's decimal sign; "" for None.

    decimals fixes the precision (indexes: 1, so that 91.0 in one table does not read 91 in the
    next); None shows whole numbers without decimals and others with one.
    """
    if value is None:
        return ""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    text = f"{value:,.{decimals}f}"  # 12,345.6
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text
