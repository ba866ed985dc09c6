"""Per-partner mapping files: which column of a creditor's export holds which field."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from wijkradar.domain import WijkradarError
from wijkradar.ops.arrears.codes import PARTNER_KINDS

REQUIRED = ("reference", "postcode", "huisnummer", "amount", "signal_date")
OPTIONAL = ("name", "birth_date", "toevoeging", "arrears_start", "crisis", "warm_handover")

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["partner", "kind", "gemeente", "columns"],
    "additionalProperties": False,
    "properties": {
        "partner": {"type": "string", "minLength": 1, "maxLength": 120},
        "kind": {"enum": sorted(PARTNER_KINDS)},
        "gemeente": {"type": "string", "pattern": "^GM[0-9]{4}$"},
        "delimiter": {"type": "string", "minLength": 1, "maxLength": 1},
        "encoding": {"type": "string"},
        "date_format": {"type": "string"},
        "decimal_comma": {"type": "boolean"},
        "sheet": {"type": "string"},
        "columns": {
            "type": "object",
            "required": list(REQUIRED),
            "additionalProperties": False,
            "properties": {key: {"type": "string"} for key in REQUIRED + OPTIONAL},
        },
    },
}


@dataclass(frozen=True)
class Mapping:
    partner: str
    kind: str
    gemeente: str
    columns: dict[str, str]
    delimiter: str = ";"
    encoding: str = "utf-8-sig"
    date_format: str = "%Y-%m-%d"
    decimal_comma: bool = True
    sheet: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def parse(data: Any, source: str) -> Mapping:
    try:
        jsonschema.validate(data, SCHEMA)
    except jsonschema.ValidationError as error:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise WijkradarError(f"{source}: mapping field {where}: {error.message}") from None
    return Mapping(
        partner=data["partner"],
        kind=data["kind"],
        gemeente=data["gemeente"],
        columns=dict(data["columns"]),
        delimiter=data.get("delimiter", ";"),
        encoding=data.get("encoding", "utf-8-sig"),
        date_format=data.get("date_format", "%Y-%m-%d"),
        decimal_comma=data.get("decimal_comma", True),
        sheet=data.get("sheet"),
    )


def load(path: Path) -> Mapping:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise WijkradarError(f"{path}: cannot read mapping file ({type(error).__name__})") from None
    return parse(data, str(path))
