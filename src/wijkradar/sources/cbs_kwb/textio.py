"""Bytes -> text and JSON, with errors that name the line and byte offset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wijkradar.domain import InputError
from wijkradar.sources import guard


def decode_utf8(path: Path, data: bytes, encoding: str = "utf-8") -> str:
    return guard.decode_text(path, data, encoding)


def load_json(path: Path) -> Any:
    data = guard.read_input(path, "a JSON file of a CBS OData dump")
    return guard.parse_json(path, decode_utf8(path, data))


def json_records(path: Path) -> list[dict[str, Any]]:
    """The "value" list of an OData v3 JSON response."""
    document = load_json(path)
    records = document.get("value") if isinstance(document, dict) else None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise InputError(
            path,
            "not an OData response",
            expected='{"value": [{...}, ...]}',
            found=type(document).__name__,
        )
    return records
