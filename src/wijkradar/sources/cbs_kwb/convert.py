"""RawTable -> SourceResult: identifiers, levels, regions, variables and tidy observations."""

from __future__ import annotations

from collections.abc import Callable, Collection

import pyarrow as pa

from wijkradar.domain import OBSERVATION_SCHEMA, InputError, Level, Provenance, Region, Variable
from wijkradar.domain.region import (
    REGION_CODE_EXAMPLES,
    gemeente_of,
    is_region_code,
    normalise_code,
    parent_from_code,
)
from wijkradar.sources import guard
from wijkradar.sources.base import SourceResult
from wijkradar.sources.cbs_kwb.columns import Aliases, aliases
from wijkradar.sources.cbs_kwb.flags import flag_changes
from wijkradar.sources.cbs_kwb.rawtable import RawTable
from wijkradar.sources.cbs_kwb.values import NotNumeric, parse_column

Warn = Callable[[str], None]

_KINDS = {
    "land": Level.LAND,
    "provincie": Level.PROVINCIE,
    "gemeente": Level.GEMEENTE,
    "wijk": Level.WIJK,
    "buurt": Level.BUURT,
}


def to_result(
    raw: RawTable,
    provenance: Provenance,
    *,
    levels: Collection[Level] | None = None,
    strict: bool = True,
    warn: Warn = lambda message: None,
) -> SourceResult:
    if provenance.year is None:
        raise ValueError("a KWB table needs a reference year")
    names = aliases()
    roles, variables = _classify(raw, names)
    if text := [column for column, key in variables if _is_text(raw, names, key)]:
        # Postcode and coverage codes (MeestVoorkomendePostcode, Dekkingspercentage) are labels,
        # not measures; a String Topic listed in aliases.yml (MateVanStedelijkheid) is still read.
        variables = [(column, key) for column, key in variables if column not in text]
        warn(f"{raw.path}: text column(s) not read as figures: {', '.join(text)}")
    code_column = roles.get("code") or roles.get("codering")
    if code_column is None:
        raise InputError(
            raw.path,
            "no region code column",
            expected="a column WijkenEnBuurten, Codering, gwb_code_10 or gwb_code",
            found=", ".join(raw.columns[:8]),
        )
    if raw.n_rows == 0:
        raise InputError(
            raw.path,
            "no data rows",
            row=2,
            expected="at least one region row after the header",
            found="none",
        )
    codes = [normalise_code(cell) for cell in raw.cells[code_column]]
    row_levels = _levels(raw, codes, code_column, roles.get("kind"))
    _check_unique(raw, codes, code_column)
    _check_unknown(raw, names, variables, strict, warn)

    keep = [i for i, level in enumerate(row_levels) if levels is None or level in levels]
    everything = len(keep) == raw.n_rows
    kept_codes = codes if everything else [codes[i] for i in keep]
    code_array = pa.array(kept_codes, pa.string())
    level_array = pa.array([row_levels[i].value for i in keep], pa.string())
    n = len(keep)
    period = pa.repeat(pa.scalar(provenance.year, pa.int32()), n)
    source_id = provenance.source_id
    source_array = pa.repeat(pa.scalar(source_id, pa.string()), n)

    chunks: list[pa.Table] = []
    suppressed = missing = 0
    for column, key in variables:
        cells = raw.cells[column]
        if not everything:
            cells = [cells[i] for i in keep]
        try:
            parsed = parse_column(cells, typed=raw.typed)
        except NotNumeric as error:
            raise raw.error(
                keep[error.index],
                column,
                "value is not a number",
                expected="a number or a CBS marker ('.', 'x', '-', empty)",
                found=error.found,
            ) from None
        _check_plausible(raw, names, key, column, parsed.values, keep, cells)
        suppressed += parsed.suppressed
        missing += parsed.missing
        chunks.append(
            pa.Table.from_arrays(
                [
                    code_array,
                    level_array,
                    period,
                    pa.repeat(pa.scalar(key, pa.string()), n),
                    parsed.values,
                    parsed.status,
                    source_array,
                ],
                schema=OBSERVATION_SCHEMA,
            )
        )
    observations = pa.concat_tables(chunks) if chunks else OBSERVATION_SCHEMA.empty_table()
    change_column = roles.get("change")
    changes = (
        flag_changes(raw, change_column, codes, row_levels, keep, provenance.year)
        if change_column
        else ()
    )
    return SourceResult(
        provenance=provenance,
        observations=observations,  # chunks share the code column: no combined copy
        regions=_regions(raw, roles, codes, row_levels, keep, provenance.year),
        variables=tuple(_variable(raw, names, key, source_id) for _, key in variables),
        changes=changes,
        suppressed=suppressed,
        missing=missing,
    )


def _classify(raw: RawTable, names: Aliases) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Identifier columns by role, and (column, canonical key) for every variable column."""
    roles: dict[str, str] = {}
    variables: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for column in raw.columns:
        key = names.normalise(column)
        role = names.role(key)
        if role is not None:
            roles.setdefault(role, column)
            continue
        if key in seen:
            raise InputError(
                raw.path,
                f"columns {seen[key]!r} and {column!r} both hold {key}",
                column=column,
                expected="each variable once",
                found=column,
            )
        seen[key] = column
        variables.append((column, key))
    return roles, variables


def _is_text(raw: RawTable, names: Aliases, key: str) -> bool:
    return key in raw.text_keys and key not in names.variables


def _levels(
    raw: RawTable, codes: list[str], code_column: str, kind_column: str | None
) -> list[Level]:
    kinds = raw.cells[kind_column] if kind_column else None
    levels: list[Level] = []
    for i, code in enumerate(codes):
        if not is_region_code(code):
            raise raw.error(
                i, code_column, "not a CBS region code", expected=REGION_CODE_EXAMPLES, found=code
            )
        level = Level.from_code(code)
        if kinds is not None:
            text = ("" if kinds[i] is None else str(kinds[i])).strip()
            stated = _KINDS.get(text.lower())
            if stated is not level:
                assert kind_column is not None
                raise raw.error(
                    i,
                    kind_column,
                    f"region kind and code disagree for {code}",
                    expected=level.value.capitalize(),
                    found=text,
                )
        levels.append(level)
    return levels


def _check_unique(raw: RawTable, codes: list[str], code_column: str) -> None:
    first: dict[str, int] = {}
    for i, code in enumerate(codes):
        if code in first:
            rows = (raw.row_numbers[first[code]], raw.row_numbers[i])
            raise InputError(
                raw.path,
                f"region code {code} appears twice, in rows {rows[0]} and {rows[1]}",
                row=rows[1],
                column=code_column,
                expected="each region once per table",
                found=code,
            )
        first[code] = i


def _check_unknown(
    raw: RawTable, names: Aliases, variables: list[tuple[str, str]], strict: bool, warn: Warn
) -> None:
    unknown = [
        column for column, key in variables if key not in raw.properties and not names.is_known(key)
    ]
    if not unknown:
        return
    if strict:
        known = sorted(names.variables)
        raise InputError(
            raw.path,
            f"unknown column(s): {', '.join(unknown)}",
            column=unknown[0],
            expected=f"KWB columns from DataProperties.json or aliases.yml ({len(known)} known, "
            f"e.g. {', '.join(known[:5])}); `wijkradar build --keep-unknown-columns` "
            "(strict=False) keeps them",
            found=", ".join(unknown),
        )
    warn(f"{raw.path}: kept unknown column(s) under their own key: {', '.join(unknown)}")


def _regions(
    raw: RawTable,
    roles: dict[str, str],
    codes: list[str],
    levels: list[Level],
    keep: list[int],
    year: int,
) -> tuple[Region, ...]:
    name_cells = raw.cells[roles["name"]] if "name" in roles else None
    gemeente_cells = raw.cells[roles["gemeente_name"]] if "gemeente_name" in roles else None
    regions = []
    for i in keep:
        code, level = codes[i], levels[i]
        name = raw.names.get(code)
        if not name and name_cells is not None:
            name = _text(name_cells[i])
        if not name and gemeente_cells is not None and level in (Level.GEMEENTE, Level.LAND):
            # Gemeentenaam holds the gemeente's own name only on gemeente (and land) rows.
            name = _text(gemeente_cells[i])
        parent, gemeente = _parents(code, level)
        regions.append(Region(code, name or code, level, year, parent, gemeente, None))
    return tuple(regions)


def _parents(code: str, level: Level) -> tuple[str | None, str | None]:
    """Parent and gemeente from the code: BUggggwwbb -> WKggggww -> GMgggg.

    A gemeente's province is not in KWB, so its parent stays None here.
    """
    if level in (Level.BUURT, Level.WIJK):
        return parent_from_code(code), gemeente_of(code)
    if level is Level.GEMEENTE:
        return None, code
    return None, None


def _check_plausible(
    raw: RawTable,
    names: Aliases,
    key: str,
    column: str,
    values: pa.Array,
    keep: list[int],
    cells: list[object],
) -> None:
    """No value outside what its unit allows (a negative count, a share above 100 %)."""
    unit = _variable(raw, names, key, "").unit
    index = guard.first_implausible(values, unit)
    if index is not None:
        raise raw.error(
            keep[index],
            column,
            f"impossible value for unit {unit!r}",
            expected=guard.describe_bounds(unit),
            found=str(cells[index]).strip(),
        )


def _variable(raw: RawTable, names: Aliases, key: str, source_id: str) -> Variable:
    known = raw.properties.get(key) or names.variables.get(key)
    if known is None:
        return Variable(key=key, title=key, unit="", source_id=source_id)
    return Variable(key=key, title=known.title, unit=known.unit, source_id=source_id)


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()
