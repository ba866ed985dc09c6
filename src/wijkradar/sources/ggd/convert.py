"""A Gezondheidsmonitor table (rows of the UntypedDataSet) -> one SourceResult per survey year.

Rows carry three dimensions besides the region: Perioden ("2016JJ00"), Leeftijd (18+, 65+) and
Marges (estimate, lower and upper 95 % bound). Each (variable, age, margin) becomes its own
observation variable: `MoeiteMetRondkomen` (18+ estimate), `MoeiteMetRondkomen_65plus`,
`MoeiteMetRondkomen__lo95`, `MoeiteMetRondkomen_65plus__hi95`. Values are percentages, often
as space-padded text; CBS markers mean what they mean in KWB ("." secret -> suppressed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import pyarrow as pa
import yaml

from wijkradar.domain import OBSERVATION_SCHEMA, InputError, Level, Provenance, Region, Variable
from wijkradar.domain.region import gemeente_of, parent_from_code
from wijkradar.sources.base import SourceResult
from wijkradar.sources.cbs_kwb.rawtable import RawTable
from wijkradar.sources.cbs_kwb.values import NotNumeric, parse_column

Warn = Callable[[str], None]

_SUFFIX = re.compile(r"_\d+$")
_PERIOD = re.compile(r"^((?:19|20)\d\d)")
DIMENSIONS = {"ID", "Leeftijd", "Marges", "WijkenEnBuurten", "Perioden"}
IDENTIFIERS = {"Gemeentenaam", "SoortRegio", "Codering"}
MARGIN_TITLES = {"": "", "__lo95": " (ondergrens 95 %-interval)", "__hi95": " (bovengrens 95 %)"}


@dataclass(frozen=True)
class Catalogue:
    base_url: str
    titles: dict[str, str]  # table id -> title
    indeling: dict[str, dict[int, int]]  # table id -> survey year -> division year
    ages: dict[str, tuple[str, str]]  # Leeftijd key -> (suffix, title)
    margins: dict[str, str]  # Marges key -> suffix


@cache
def catalogue() -> Catalogue:
    text = files("wijkradar.sources.ggd").joinpath("tables.yml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    tables = data["tables"]
    return Catalogue(
        base_url=str(data["base_url"]),
        titles={str(k): str(v["title"]) for k, v in tables.items()},
        indeling={
            str(k): {int(a): int(b) for a, b in (v.get("indeling") or {}).items()}
            for k, v in tables.items()
        },
        ages={str(k): (str(v["suffix"]), str(v["title"])) for k, v in data["ages"].items()},
        margins={str(k): str(v) for k, v in data["margins"].items()},
    )


def to_results(
    raw: RawTable,
    provenance_for: Callable[[int, str], Provenance],
    *,
    age_titles: dict[str, str] | None = None,
    levels: Collection[Level] | None = None,
    warn: Warn = lambda message: None,
) -> list[SourceResult]:
    """One result per survey year. `provenance_for(year, title_note)` makes its provenance."""
    columns = {_SUFFIX.sub("", column.strip()): column for column in raw.columns}
    for needed in ("WijkenEnBuurten", "Perioden"):
        if needed not in columns:
            raise InputError(
                raw.path,
                f"no {needed} column: not a Gezondheidsmonitor data set",
                expected="the UntypedDataSet of 50090NED or a successor (WijkenEnBuurten, "
                "Perioden, Leeftijd, Marges and the health variables)",
                found=", ".join(raw.columns[:8]),
            )
    variables = [
        (column, key)
        for key, column in columns.items()
        if key not in DIMENSIONS and key not in IDENTIFIERS
    ]
    codes = [_text(cell) for cell in raw.cells[columns["WijkenEnBuurten"]]]
    row_levels = [_level(raw, i, code, columns["WijkenEnBuurten"]) for i, code in enumerate(codes)]
    ages = _suffixes(raw, columns.get("Leeftijd"), _age_suffixes(age_titles), "Leeftijd", warn)
    margins = _suffixes(raw, columns.get("Marges"), catalogue().margins, "Marges", warn)
    periods = [
        _period(raw, i, cell, columns["Perioden"])
        for i, cell in enumerate(raw.cells[columns["Perioden"]])
    ]
    results = []
    for year in sorted(set(periods)):
        keep = [
            i
            for i in range(raw.n_rows)
            if periods[i] == year
            and ages[i] is not None
            and margins[i] is not None
            and (levels is None or row_levels[i] in levels)
        ]
        suffixes = [f"{ages[i]}{margins[i]}" for i in keep]
        _check_unique(raw, keep, codes, suffixes, columns["WijkenEnBuurten"])
        indeling = catalogue().indeling.get(raw.table_id or "", {}).get(year)
        note = f" (gebiedsindeling {indeling})" if indeling and indeling != year else ""
        if note:
            warn(f"{raw.path}: survey year {year} is given on the {indeling} division")
        provenance = provenance_for(year, note)
        results.append(
            _result(raw, provenance, keep, codes, row_levels, suffixes, variables, columns, note)
        )
    return results


def _result(
    raw: RawTable,
    provenance: Provenance,
    keep: list[int],
    codes: list[str],
    row_levels: list[Level],
    suffixes: list[str],
    variables: list[tuple[str, str]],
    columns: dict[str, str],
    note: str,
) -> SourceResult:
    assert provenance.year is not None
    n = len(keep)
    code_array = pa.array([codes[i] for i in keep], pa.string())
    level_array = pa.array([row_levels[i].value for i in keep], pa.string())
    period = pa.repeat(pa.scalar(provenance.year, pa.int32()), n)
    source_array = pa.repeat(pa.scalar(provenance.source_id, pa.string()), n)
    chunks: list[pa.Table] = []
    described: dict[str, Variable] = {}
    suppressed = missing = 0
    for column, key in variables:
        cells = raw.cells[column]
        try:
            parsed = parse_column([cells[i] for i in keep])
        except NotNumeric as error:
            raise raw.error(
                keep[error.index],
                column,
                "value is not a number",
                expected="a percentage or a CBS marker ('.', 'x', '-', empty)",
                found=error.found,
            ) from None
        if parsed.missing == n:
            continue  # a topic this table does not fill (e.g. asked in another survey year)
        suppressed += parsed.suppressed
        missing += parsed.missing
        names = [key + suffix for suffix in suffixes]
        chunks.append(
            pa.Table.from_arrays(
                [
                    code_array,
                    level_array,
                    period,
                    pa.array(names, pa.string()),
                    parsed.values,
                    parsed.status,
                    source_array,
                ],
                schema=OBSERVATION_SCHEMA,
            )
        )
        known = raw.properties.get(key)
        title = known.title.strip() if known else key
        for suffix in dict.fromkeys(suffixes):
            described.setdefault(
                key + suffix, _variable(key + suffix, title, suffix, note, provenance.source_id)
            )
    observations = pa.concat_tables(chunks) if chunks else OBSERVATION_SCHEMA.empty_table()
    return SourceResult(
        provenance=provenance,
        observations=observations.combine_chunks(),
        regions=_regions(raw, keep, codes, row_levels, columns, provenance.year),
        variables=tuple(described.values()),
        suppressed=suppressed,
        missing=missing,
    )


def _variable(key: str, title: str, suffix: str, note: str, source_id: str) -> Variable:
    age = next((t for s, t in catalogue().ages.values() if s and suffix.startswith(s)), None)
    age = age or next(t for s, t in catalogue().ages.values() if not s)
    margin = next(
        (label for end, label in MARGIN_TITLES.items() if end and suffix.endswith(end)), ""
    )
    description = f"Gezondheidsmonitor, {age}; kleine-domeinschatting van het RIVM{margin}{note}"
    return Variable(
        key=key,
        title=f"{title}, {age}{margin}",
        unit="%",
        source_id=source_id,
        description=description,
    )


def _age_suffixes(age_titles: dict[str, str] | None) -> dict[str, str]:
    """Leeftijd key -> suffix: the known keys, plus keys whose dimension title names 18+/65+."""
    known = {key: suffix for key, (suffix, _) in catalogue().ages.items()}
    for key, title in (age_titles or {}).items():
        for suffix, wanted in catalogue().ages.values():
            if title.strip().lower() == wanted.lower():
                known.setdefault(key.strip(), suffix)
    return known


def _suffixes(
    raw: RawTable, column: str | None, known: dict[str, str], name: str, warn: Warn
) -> list[str | None]:
    if column is None:  # a table without this dimension: every row is the default
        return ["" for _ in range(raw.n_rows)]
    out: list[str | None] = []
    unknown: set[str] = set()
    for cell in raw.cells[column]:
        key = _text(cell)
        suffix = known.get(key)
        if suffix is None:
            unknown.add(key)
        out.append(suffix)
    if unknown:
        warn(
            f"{raw.path}: {name} not read (not 18+/65+ or not a known margin): "
            f"{', '.join(sorted(unknown))}"
        )
    return out


def _level(raw: RawTable, index: int, code: str, column: str) -> Level:
    try:
        return Level.from_code(code)
    except ValueError:
        raise raw.error(
            index,
            column,
            "not a CBS region code",
            expected="a code like NL01, GM0363, WK036300 or BU03630000",
            found=code,
        ) from None


def _period(raw: RawTable, index: int, cell: object, column: str) -> int:
    match = _PERIOD.match(_text(cell))
    if match is None:
        raise raw.error(
            index, column, "not a period", expected="a year such as 2016JJ00", found=_text(cell)
        )
    return int(match.group(1))


def _check_unique(
    raw: RawTable, keep: list[int], codes: list[str], suffixes: list[str], column: str
) -> None:
    first: dict[tuple[str, str], int] = {}
    for i, suffix in zip(keep, suffixes, strict=True):
        key = (codes[i], suffix)
        if key in first:
            rows = (raw.row_numbers[first[key]], raw.row_numbers[i])
            raise InputError(
                raw.path,
                f"region {codes[i]} appears twice for the same year, age and margin,"
                f" in rows {rows[0]} and {rows[1]}",
                row=rows[1],
                column=column,
                expected="one row per region, year, age and margin",
                found=codes[i],
            )
        first[key] = i


def _regions(
    raw: RawTable,
    keep: list[int],
    codes: list[str],
    row_levels: list[Level],
    columns: dict[str, str],
    year: int,
) -> tuple[Region, ...]:
    names = raw.cells.get(columns.get("Gemeentenaam", ""), None)
    seen: dict[str, Region] = {}
    for i in keep:
        code, level = codes[i], row_levels[i]
        if code in seen:
            continue
        name = raw.names.get(code, "")
        if not name and names is not None and level in (Level.GEMEENTE, Level.LAND):
            name = _text(names[i])  # Gemeentenaam is the gemeente's name on wijk/buurt rows too
        parent, gemeente = _parents(code, level)
        seen[code] = Region(code, name or code, level, year, parent, gemeente, None)
    return tuple(seen.values())


def _parents(code: str, level: Level) -> tuple[str | None, str | None]:
    if level in (Level.BUURT, Level.WIJK):
        return parent_from_code(code), gemeente_of(code)
    if level is Level.GEMEENTE:
        return None, code
    return None, None


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()
