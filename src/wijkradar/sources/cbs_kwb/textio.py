"""Bytes -> text and JSON, with errors that name the line and byte offset."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from wijkradar.domain import InputError


def decode_utf8(path: Path, data: bytes, encoding: str = "utf-8") -> str:
    try:
        return data.decode("utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(
            path,
            f"bytes at offset {error.start} are not valid {encoding}",
            row=line,
            expected=f"{encoding.upper()} text (re-save the file as UTF-8, or pass encoding=...)",
            found=f"byte 0x{data[error.start]:02x} at offset {error.start}",
        ) from None


def load_json(path: Path) -> Any:
    text = decode_utf8(path, path.read_bytes())
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            path,
            "not valid JSON (the file may be cut off)",
            row=error.lineno,
            expected="a complete JSON document",
            found=f"{error.msg} at line {error.lineno}, column {error.colno}",
        ) from None


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
