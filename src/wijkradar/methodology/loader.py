"""Read methodology/<version>/ and its JSON schemas; return a validated Methodology.

Layout:
    methodology/schemas/*.schema.json
    methodology/<version>/methodology.yml            thresholds and choices
    methodology/<version>/frameworks/characteristics.yml
    methodology/<version>/frameworks/<framework>.yml
    methodology/<version>/indicators/*.yml
    methodology/releases.json                        frozen versions: file checksums
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from referencing import Registry, Resource

from wijkradar.domain import InputError, WijkradarError
from wijkradar.domain.methodology import (
    Characteristic,
    Derivation,
    Framework,
    Indicator,
    Labels,
    Methodology,
    Polarity,
    Settings,
    Theme,
    Weight,
)

_VERSION = re.compile(r"^\d{4}\.\d+$")


def default_root() -> Path:
    """WIJKRADAR_METHODOLOGY, else the repository's methodology/ folder."""
    env = os.environ.get("WIJKRADAR_METHODOLOGY")
    if env:
        return Path(env)
    return _packaged()


@functools.cache
def _packaged() -> Path:
    """The repository's methodology/ folder (resolved once: a profile request asks each time)."""
    return Path(__file__).resolve().parents[3] / "methodology"


def versions(root: Path) -> list[str]:
    """Version folders that hold a methodology.yml (a folder with only a part of a coming
    version, such as its uncertainty.yml, is not yet a version)."""
    found = [
        p.name
        for p in root.iterdir()
        if p.is_dir() and _VERSION.match(p.name) and (p / "methodology.yml").is_file()
    ]
    return sorted(found, key=lambda v: tuple(int(x) for x in v.split(".")))


def latest_version(root: Path | None = None) -> str:
    root = root or default_root()
    if not root.is_dir():
        raise WijkradarError(f"no methodology folder at {root}")
    found = versions(root)
    if not found:
        raise WijkradarError(f"no methodology version under {root}")
    return found[-1]


def version_files(root: Path, version: str) -> list[Path]:
    """All files of a version, sorted by their path relative to the root (for checksums)."""
    base = root / version
    return sorted((p for p in base.rglob("*") if p.is_file()), key=lambda p: p.as_posix())


def version_checksum(root: Path, version: str) -> str:
    """sha256 over 'relative path NUL content' of every file of the version, in path order."""
    digest = hashlib.sha256()
    for path in version_files(root, version):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return "sha256:" + digest.hexdigest()


def _registry(root: Path) -> Registry:
    registry: Registry = Registry()
    for path in sorted((root / "schemas").glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        registry = registry.with_resource(contents["$id"], Resource.from_contents(contents))
    return registry


def validate_file(root: Path, path: Path, schema_name: str) -> dict[str, Any]:
    """Parse a YAML file and validate it against schemas/<schema_name>.schema.json."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise InputError(path, f"not valid YAML: {error}") from None
    schema = json.loads((root / "schemas" / f"{schema_name}.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema, registry=_registry(root))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top)"
        raise InputError(path, f"does not match {schema_name} schema at {where}: {first.message}")
    if not isinstance(data, dict):
        raise InputError(path, "expected a mapping at the top")
    return data


def _labels(raw: dict[str, str]) -> Labels:
    return Labels(nl=raw["nl"], en=raw["en"])


def load(version: str | None = None, root: Path | None = None) -> Methodology:
    """Load, validate (schemas + cross-references) and freeze one methodology version."""
    root = Path(root) if root else default_root()
    version = version or latest_version(root)
    base = root / version
    if not base.is_dir():
        raise WijkradarError(f"methodology version {version} not found under {root}")

    raw = validate_file(root, base / "methodology.yml", "methodology")
    if raw["version"] != version:
        raise InputError(
            base / "methodology.yml",
            "version does not match its folder",
            expected=version,
            found=raw["version"],
        )
    settings = Settings(
        population_variable=raw["population_variable"],
        min_population=raw["min_population"],
        flag_top_share=float(raw["flag"]["top_share"]),
        toxic_mix_threshold=raw["toxic_mix_threshold"],
        min_characteristics=raw["min_characteristics"],
        min_theme_weight_share=float(raw["min_theme_weight_share"]),
        index_transform=raw["index_transform"],
        min_population_reason=raw.get("min_population_reason", ""),
        flag_reason=raw["flag"].get("reason", ""),
    )

    chars_path = base / "frameworks" / "characteristics.yml"
    raw_chars = validate_file(root, chars_path, "characteristics")
    characteristics = tuple(
        Characteristic(
            id=c["id"],
            labels=_labels(c["labels"]),
            protective=False,
            number=c["number"],
            gap=c.get("gap", ""),
        )
        for c in raw_chars["risk_characteristics"]
    ) + tuple(
        Characteristic(
            id=c["id"], labels=_labels(c["labels"]), protective=True, gap=c.get("gap", "")
        )
        for c in raw_chars["protective_factors"]
    )

    indicators: list[Indicator] = []
    for path in sorted((base / "indicators").glob("*.yml")):
        for ind in validate_file(root, path, "indicators")["indicators"]:
            indicators.append(_indicator(ind))

    frameworks = tuple(
        _framework(validate_file(root, path, "framework"))
        for path in sorted((base / "frameworks").glob("*.yml"))
        if path.name != "characteristics.yml"
    )
    methodology = Methodology(
        version=version,
        title=_labels(raw["title"]),
        settings=settings,
        indicators=tuple(indicators),
        characteristics=characteristics,
        frameworks=frameworks,
        checksum=version_checksum(root, version),
    )
    check_references(methodology, base)
    return methodology


def _indicator(raw: dict[str, Any]) -> Indicator:
    derivations = []
    for d in raw["derivations"]:
        den = d.get("denominator", ())
        derivations.append(
            Derivation(
                source=d["source"],
                from_year=d["from_year"],
                to_year=d.get("to_year"),
                numerator=d["numerator"],
                denominator=(den,) if isinstance(den, str) else tuple(den),
                scale=float(d.get("scale", 1.0)),
            )
        )
    return Indicator(
        id=raw["id"],
        labels=_labels(raw["labels"]),
        definition=raw["definition"],
        unit=raw["unit"],
        polarity=Polarity(raw["polarity"]),
        measure=raw["measure"],
        serves=raw["serves"],
        levels=tuple(raw["levels"]),
        derivations=tuple(derivations),
        proxy_reason=raw.get("proxy_reason", ""),
    )


def _framework(raw: dict[str, Any]) -> Framework:
    weights = tuple(
        Weight(characteristic=c, theme=t, weight=cell["w"], why=cell["why"])
        for c, row in raw["weights"].items()
        for t, cell in row.items()
    )
    return Framework(
        id=raw["id"],
        labels=_labels(raw["labels"]),
        themes=tuple(Theme(id=t["id"], labels=_labels(t["labels"])) for t in raw["themes"]),
        weights=weights,
    )


def check_references(m: Methodology, base: Path) -> None:
    """What a schema cannot say: ids unique, references resolve, every characteristic covered."""
    char_ids = [c.id for c in m.characteristics]
    _unique(char_ids, base / "frameworks" / "characteristics.yml", "characteristic id")
    numbers = sorted(c.number for c in m.risk_characteristics if c.number is not None)
    if numbers != list(range(1, 13)):
        raise InputError(
            base / "frameworks" / "characteristics.yml",
            "risk characteristics must be numbered 1..12 once each",
            found=str(numbers),
        )
    _unique([i.id for i in m.indicators], base / "indicators", "indicator id")
    for ind in m.indicators:
        if ind.serves not in char_ids:
            raise InputError(
                base / "indicators",
                f"indicator {ind.id} serves an unknown characteristic",
                expected=", ".join(char_ids),
                found=ind.serves,
            )
    for c in m.risk_characteristics:
        if not m.indicators_for(c.id) and not c.gap:
            raise InputError(
                base / "frameworks" / "characteristics.yml",
                f"characteristic {c.id} has no indicator and no stated gap",
            )
    risk_ids = {c.id for c in m.risk_characteristics}
    for f in m.frameworks:
        path = base / "frameworks" / f"{f.id}.yml"
        theme_ids = {t.id for t in f.themes}
        for w in f.weights:
            if w.characteristic not in risk_ids:
                raise InputError(
                    path, "weight for an unknown risk characteristic", found=w.characteristic
                )
            if w.theme not in theme_ids:
                raise InputError(path, "weight for an unknown theme", found=w.theme)
        for t in f.themes:
            if not any(w.theme == t.id and w.weight > 0 for w in f.weights):
                raise InputError(path, f"theme {t.id} has no characteristic with weight > 0")


def _unique(ids: list[str], path: Path, what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise InputError(path, f"duplicate {what}", found=i)
        seen.add(i)
