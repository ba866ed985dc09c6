"""Column names -> canonical keys (data in aliases.yml).

OData keys lose their numeric suffix: "AantalInwoners_5" -> "AantalInwoners". The short codes of
CBS's kwb-YYYY.csv/.xlsx files ("a_inw") map through aliases.yml. Short codes are matched before
suffix stripping because several end in digits themselves ("a_00_14", "gwb_code_10"). OData keys
CBS renamed between years (aliases.yml `odata`, e.g. BasisonderwijsVmboMbo1) map to one key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

_SUFFIX = re.compile(r"_\d+$")
ROLES = ("code", "codering", "name", "gemeente_name", "kind", "change", "ignore")


@dataclass(frozen=True)
class Known:
    title: str
    unit: str


@dataclass(frozen=True)
class Aliases:
    roles: dict[str, str]  # normalised identifier name -> role
    short: dict[str, str]  # lower-case short code -> canonical key
    variables: dict[str, Known]  # canonical key -> fallback title and unit
    other_short: frozenset[str]
    renamed: dict[str, str] = field(default_factory=dict)  # other OData key -> canonical key

    def normalise(self, column: str) -> str:
        """The canonical key of a column name as it appears in a file."""
        name = column.strip()
        lower = name.lower()
        if lower in self.short:
            return self.short[lower]
        if lower in self.other_short or lower in self.roles:
            return lower
        if name in self.renamed:  # a full OData key (with suffix) of one table, e.g. Nederland_17
            return self.renamed[name]
        stripped = _SUFFIX.sub("", name)
        return self.renamed.get(stripped, stripped)

    def role(self, key: str) -> str | None:
        """Identifier role of a normalised key, or None for a variable."""
        return self.roles.get(key) or self.roles.get(key.lower())

    def is_known(self, key: str) -> bool:
        return key in self.variables or key in self.other_short or self.role(key) is not None


def parse_aliases(data: Any) -> Aliases:
    if not isinstance(data, dict):
        raise ValueError("aliases.yml: expected a mapping")
    roles: dict[str, str] = {}
    for role, names in (data.get("identifiers") or {}).items():
        if role not in ROLES or not isinstance(names, list):
            raise ValueError(f"aliases.yml: unknown identifier role {role!r} or not a list")
        for name in names:
            roles[str(name)] = role
            roles[str(name).lower()] = role
    short: dict[str, str] = {}
    variables: dict[str, Known] = {}
    renamed: dict[str, str] = {}
    for key, entry in (data.get("variables") or {}).items():
        if not isinstance(entry, dict) or not {"title", "unit"} <= entry.keys():
            raise ValueError(f"aliases.yml: {key}: expected title and unit")
        variables[key] = Known(str(entry["title"]), str(entry["unit"]))
        for code in entry.get("short", []):
            code = str(code).lower()
            if code in short:
                raise ValueError(f"aliases.yml: short code {code} maps to {short[code]} and {key}")
            short[code] = key
        for old in entry.get("odata", []):
            if str(old) in renamed or str(old) in variables:
                raise ValueError(f"aliases.yml: OData key {old} is listed twice")
            renamed[str(old)] = key
    other = frozenset(str(code).lower() for code in data.get("other_short_codes") or [])
    if clash := other & short.keys():
        raise ValueError(f"aliases.yml: short codes listed twice: {sorted(clash)}")
    if both := renamed.keys() & variables.keys():
        raise ValueError(f"aliases.yml: OData keys both canonical and renamed: {sorted(both)}")
    return Aliases(roles, short, variables, other, renamed)


@cache
def aliases() -> Aliases:
    text = files("wijkradar.sources.cbs_kwb").joinpath("aliases.yml").read_text(encoding="utf-8")
    return parse_aliases(yaml.safe_load(text))
