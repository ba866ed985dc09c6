"""Read methodology/<version>/uncertainty.yml (schema: schemas/uncertainty.schema.json)."""

from __future__ import annotations

from pathlib import Path

from wijkradar.domain import InputError
from wijkradar.domain.analysis import AnalysisSettings, PeerVariable
from wijkradar.methodology.loader import default_root, validate_file

FILE_NAME = "uncertainty.yml"


def load_analysis(version: str, root: Path | None = None) -> AnalysisSettings | None:
    """The analysis settings of a methodology version, or None when it has no uncertainty.yml."""
    root = Path(root) if root else default_root()
    path = root / version / FILE_NAME
    if not path.is_file():
        return None
    raw = validate_file(root, path, "uncertainty")
    certainty = raw["certainty"]
    if certainty["likely"] > certainty["certain"]:
        raise InputError(
            path,
            "certainty.likely must not exceed certainty.certain",
            expected=f"<= {certainty['certain']}",
            found=str(certainty["likely"]),
        )
    return AnalysisSettings(
        version=version,
        confidence=float(raw["confidence"]),
        draws=int(raw["simulation"]["draws"]),
        seed=int(raw["simulation"]["seed"]),
        references=tuple(
            raw["simulation"].get("references", ["national", "provincie", "gemeente"])
        ),
        periods=str(raw["simulation"].get("periods", "all")),
        lower_suffix=raw["margins"]["lower_suffix"],
        upper_suffix=raw["margins"]["upper_suffix"],
        binomial_units=tuple((str(u), float(s)) for u, s in raw["binomial"]["units"].items()),
        binomial_exclude=tuple(e["id"] for e in raw["binomial"].get("exclude", [])),
        certain=float(certainty["certain"]),
        likely=float(certainty["likely"]),
        hotspot_alpha=float(raw["hotspots"]["alpha"]),
        hotspot_correction=raw["hotspots"]["correction"],
        neighbour_tolerance_m=float(raw["hotspots"].get("neighbour_tolerance_m", 0.0)),
        peer_size=int(raw["peers"]["size"]),
        peer_variables=tuple(
            PeerVariable(variable=v["variable"], transform=v["transform"])
            for v in raw["peers"]["variables"]
        ),
    )
