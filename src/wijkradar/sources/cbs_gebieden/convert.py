"""A "Gebieden in Nederland" table (RawTable) -> provinces and the gemeente -> provincie link.

Each row is one gemeente of 1 January of the table's year: the region key RegioS ("GM0363  "),
then pairs of topics Code_n / Naam_n+1 per classification (gemeente, COROP, GGD region,
provincie, ...). The numeric suffixes differ between years, so the provincie pair is found by
its values: the Code_n column whose codes all start with "PV" (PV20 Groningen ... PV31 Limburg).
"""

from __future__ import annotations

import re

from wijkradar.domain import InputError, Level, Region
from wijkradar.domain.region import REGION_CODE_EXAMPLES, is_region_code, normalise_code
from wijkradar.sources.cbs_kwb.rawtable import RawTable

_CODE = re.compile(r"^Code_(\d+)$")


def to_regions(raw: RawTable, year: int) -> tuple[Region, ...]:
    """Province Regions (parent left to the hierarchy: the land of the year) and gemeente
    Regions whose parent and provincie_code are their province."""
    key_column = _gemeente_column(raw)
    codes = [normalise_code(cell) for cell in raw.cells[key_column]]
    rows = [i for i, code in enumerate(codes) if code.startswith("GM")]
    if not rows:
        raise InputError(
            raw.path,
            "no gemeente rows",
            column=key_column,
            expected="region codes like GM0363",
            found=", ".join(codes[:3]),
        )
    gemeente_name = _name_column(raw, _gemeente_code_column(raw, codes, rows))
    pv_code, pv_name = _province_columns(raw, rows)

    provinces: dict[str, str] = {}
    gemeenten: list[Region] = []
    for i in rows:
        code = codes[i]
        province = normalise_code(raw.cells[pv_code][i])
        for column, value in ((key_column, code), (pv_code, province)):
            if not is_region_code(value):
                raise raw.error(
                    i, column, "not a CBS region code", expected=REGION_CODE_EXAMPLES, found=value
                )
        name = _text(raw.cells[pv_name][i]) or province
        if not province.startswith("PV"):
            raise raw.error(
                i,
                pv_code,
                f"gemeente {code} has no provincie",
                expected="a provincie code like PV26",
                found=province,
            )
        if provinces.setdefault(province, name) != name:
            raise raw.error(
                i,
                pv_name,
                f"provincie {province} has two names",
                expected=provinces[province],
                found=name,
            )
        title = raw.names.get(code) or (_text(raw.cells[gemeente_name][i]) if gemeente_name else "")
        gemeenten.append(
            Region(code, title or code, Level.GEMEENTE, year, province, code, province)
        )
    regions = [
        Region(code, name, Level.PROVINCIE, year, None, None, code)
        for code, name in sorted(provinces.items())
    ]
    return (*regions, *gemeenten)


def _gemeente_column(raw: RawTable) -> str:
    if "RegioS" in raw.cells:
        return "RegioS"
    for column in raw.columns:
        if _CODE.match(column):
            return column
    raise InputError(
        raw.path,
        "no region column",
        expected="RegioS or a Code_n column (a 'Gebieden in Nederland' table)",
        found=", ".join(raw.columns[:8]),
    )


def _gemeente_code_column(raw: RawTable, codes: list[str], rows: list[int]) -> str | None:
    """The Code_n topic that repeats the gemeente code (its Naam_n+1 holds the name)."""
    for column in raw.columns:
        if _CODE.match(column) and all(_text(raw.cells[column][i]) == codes[i] for i in rows):
            return column
    return None


def _province_columns(raw: RawTable, rows: list[int]) -> tuple[str, str]:
    for column in raw.columns:
        if not _CODE.match(column):
            continue
        values = [_text(raw.cells[column][i]) for i in rows]
        if values and all(v.startswith("PV") for v in values if v) and any(values):
            name = _name_column(raw, column)
            if name is not None:
                return column, name
    raise InputError(
        raw.path,
        "no provincie columns",
        expected="a Code_n column with codes PV20-PV31 and its Naam_n+1 column",
        found=", ".join(c for c in raw.columns if _CODE.match(c))[:200],
    )


def _name_column(raw: RawTable, code_column: str | None) -> str | None:
    if code_column is None or not (match := _CODE.match(code_column)):
        return None
    name = f"Naam_{int(match.group(1)) + 1}"
    return name if name in raw.cells else None


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()
