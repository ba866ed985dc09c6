"""An offline OData v3 dump: one folder per table (TableInfos, DataProperties, data set).

A data set may be split into pages, as fetched: UntypedDataSet-0001.json, -0002.json, ...
The untyped set is preferred: it keeps CBS's markers, so secret and unavailable differ.
"""

from __future__ import annotations

from operator import itemgetter
from pathlib import Path
from typing import Any

from wijkradar.domain import InputError
from wijkradar.sources import guard
from wijkradar.sources.cbs_kwb.columns import Known, aliases
from wijkradar.sources.cbs_kwb.rawtable import RawTable
from wijkradar.sources.cbs_kwb.textio import json_records

MARKER_FILES = ("TableInfos.json", "UntypedDataSet.json", "TypedDataSet.json")


GEBIEDEN_TITLE = "Gebieden in Nederland"


def is_gebieden_dump(folder: Path) -> bool:
    """A dump of CBS's "Gebieden in Nederland" (gemeente -> provincie, ...), not a KWB table.

    Told by the TableInfos title or by its region dimension RegioS in DataProperties (KWB's is
    WijkenEnBuurten); both files are small, so nothing large is read.
    """
    title = str(table_info(folder).get("Title") or "")
    if title.strip().startswith(GEBIEDEN_TITLE):
        return True
    path = folder / "DataProperties.json"
    if not path.is_file():
        return False
    return any(
        prop.get("Key") == "RegioS" and "Dimension" in str(prop.get("Type", ""))
        for prop in json_records(path)
    )


def is_survey_dump(folder: Path) -> bool:
    """A dump of a table with Leeftijd/Marges dimensions (the Gezondheidsmonitor), not KWB."""
    path = folder / "DataProperties.json"
    if not path.is_file():
        return False
    return any(
        prop.get("Key") in ("Leeftijd", "Marges") and "Dimension" in str(prop.get("Type", ""))
        for prop in json_records(path)
    )


def is_dump_file(path: Path) -> bool:
    stem = path.stem.split("-")[0]
    return path.suffix == ".json" and stem in (
        "TableInfos",
        "DataProperties",
        "WijkenEnBuurten",
        "RegioS",
        "Leeftijd",
        "UntypedDataSet",
        "TypedDataSet",
    )


def dump_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.iterdir() if path.is_file() and is_dump_file(path))


def pages(folder: Path, name: str) -> list[Path]:
    single = folder / f"{name}.json"
    if single.is_file():
        return [single]
    return sorted(folder.glob(f"{name}-[0-9]*.json"))


def table_info(folder: Path) -> dict[str, Any]:
    path = folder / "TableInfos.json"
    if not path.is_file():
        return {}
    records = json_records(path)
    return records[0] if records else {}


def read_dump(folder: Path) -> RawTable:
    info = table_info(folder)
    typed = False
    files = pages(folder, "UntypedDataSet")
    if not files:
        files, typed = pages(folder, "TypedDataSet"), True
    if not files:
        raise InputError(
            folder,
            "no data set in this OData dump",
            expected="UntypedDataSet.json or TypedDataSet.json",
        )
    records: list[dict[str, Any]] = []
    row_numbers: list[int] = []
    first_path = files[0]
    for path in files:
        page = json_records(path)
        row_numbers.extend(range(len(records) + 1, len(records) + len(page) + 1))
        records.extend(page)
        guard.check_cells(path, len(records) * len(records[0]) if records else 0)
    columns = list(records[0]) if records else []
    cells = _pivot(first_path, records, columns)
    properties, text_keys = _properties(folder)
    return RawTable(
        path=first_path,
        columns=columns,
        cells=cells,
        row_numbers=row_numbers,
        typed=typed,
        table_id=_text(info.get("Identifier")),
        title=_text(info.get("Title")),
        period=_text(info.get("Period")),
        properties=properties,
        names=_names(folder),
        text_keys=text_keys,
    )


def _properties(folder: Path) -> tuple[dict[str, Known], frozenset[str]]:
    """Title and unit per Topic, and the Topics whose Datatype is "String".

    CBS's Datatype is one of Double, Float, Integer, Long (numbers) or String.
    """
    path = folder / "DataProperties.json"
    if not path.is_file():
        return {}, frozenset()
    names = aliases()
    known: dict[str, Known] = {}
    text: set[str] = set()
    for prop in json_records(path):
        if prop.get("Type") != "Topic" or not prop.get("Key"):
            continue
        key = names.normalise(str(prop["Key"]))
        title = str(prop.get("Title") or key).strip()
        known[key] = Known(title=title, unit=str(prop.get("Unit") or "").strip())
        if str(prop.get("Datatype") or "").strip() == "String":
            text.add(key)
    return known, frozenset(text)


def _names(folder: Path) -> dict[str, str]:
    names: dict[str, str] = {}
    for path in pages(folder, "WijkenEnBuurten"):
        for item in json_records(path):
            key, title = item.get("Key"), item.get("Title")
            if key and title:
                names[str(key).strip()] = str(title).strip()
    return names


def _text(value: object) -> str | None:
    return None if value is None else str(value).strip() or None


def _pivot(
    path: Path, records: list[dict[str, Any]], columns: list[str]
) -> dict[str, list[object]]:
    """Records -> columns, in C (itemgetter, zip) rather than one dict lookup per cell."""
    width = len(columns)
    if width and all(len(record) == width for record in records):
        try:
            rows = list(map(itemgetter(*columns), records)) if width > 1 else None
        except KeyError:
            pass
        else:
            if rows is None:
                return {columns[0]: [record[columns[0]] for record in records]}
            return {c: list(col) for c, col in zip(columns, zip(*rows, strict=True), strict=True)}
    for index, record in enumerate(records):
        if len(record) != width or any(c not in record for c in columns):
            different = [c for c in columns if c not in record] or sorted(
                set(record) - set(columns)
            )
            raise InputError(
                path,
                "record has other fields than the first record",
                row=index + 1,
                expected=f"{width} fields",
                found=", ".join(different),
            )
    return {c: [] for c in columns}
