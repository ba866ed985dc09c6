"""What the profile page and the map legend show of uncertainty and peer groups (issue 12).

Kept apart from api/views.py so pages get it from one call each; empty when the build has no
uncertainty results.
"""

from __future__ import annotations

from typing import Any

import duckdb

from wijkradar.domain.observation import Level
from wijkradar.store import analysis

CLASS_TEXT = {
    "nl": {"certain": "zeker", "likely": "waarschijnlijk", "uncertain": "onzeker"},
    "en": {"certain": "certain", "likely": "likely", "uncertain": "uncertain"},
}
MAP_NOTE = {
    "nl": "Zekerheid van de vlaggen op deze kaart (gesimuleerde toevalsvariatie): {parts}.",
    "en": "Certainty of the flags on this map (simulated chance variation): {parts}.",
}


def map_note(
    con: duckdb.DuckDBPyConnection, level: str | None, year: int, reference: str, lang: str
) -> str:
    """One line for the map legend: flagged characteristics per certainty class."""
    if level is None:
        return ""
    counts = analysis.certainty_summary(con, level, year, reference)
    if not counts:
        return ""
    words = CLASS_TEXT["en" if lang == "en" else "nl"]
    parts = ", ".join(f"{counts.get(k, 0)} {words[k]}" for k in ("certain", "likely", "uncertain"))
    return MAP_NOTE["en" if lang == "en" else "nl"].format(parts=parts)


def profile_extra(
    con: duckdb.DuckDBPyConnection,
    code: str,
    year: int,
    reference: str,
    framework: str,
    lang: str,
) -> dict[str, Any]:
    """Flag certainty, stacking and rank intervals, and the peer gemeenten with their scores."""
    words = CLASS_TEXT["en" if lang == "en" else "nl"]
    flags = analysis.flag_certainty(con, code, year, reference)
    stack = analysis.stacking_uncertainty(con, code, year, reference)
    peers = analysis.peers(con, code, year)
    simulated = analysis.simulated_years(con, Level.from_code(code)) if not flags else []
    if peers:
        found = analysis.measures(con, "gemeente", year, "NL01", framework)
        for p in peers:
            p["stacking"] = found["stacking"].get(p["code"])
            p["overall_index"] = found["overall_index"].get(p["code"])
        stackings = [p["stacking"] for p in peers if p["stacking"] is not None]
        indices = [p["overall_index"] for p in peers if p["overall_index"] is not None]
        peer_mean = {
            "stacking": sum(stackings) / len(stackings) if stackings else None,
            "overall_index": sum(indices) / len(indices) if indices else None,
        }
    else:
        peer_mean = {}
    return {
        "flags": {k: {**v, "label": words[str(v["certainty"])]} for k, v in sorted(flags.items())},
        "stacking": stack,
        "peers": peers,
        "peer_mean": peer_mean,
        # a year without simulation (uncertainty.yml periods: latest) says so, not nothing
        "simulated_years": [y for y in simulated if y != year],
        "words": words,
    }
