"""Why an area has no score: a reason code with integer parameters, and its words per language.

Scoring stores the code and parameters (area_status_reasons) next to the English sentence it
always stored (area_scores.status_reason, which exports show); readers word the code in their own
language from TEXTS, so no reader has to parse a sentence.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

TOO_SMALL = "too_small"  # params: min_population
POPULATION_UNKNOWN = "population_unknown"  # no params
INSUFFICIENT_CHARACTERISTICS = "insufficient_characteristics"  # params: scored, total, needed

TEXTS: dict[str, dict[str, str]] = {
    TOO_SMALL: {
        "nl": "minder dan {min_population} inwoners",
        "en": "fewer than {min_population} inhabitants",
    },
    POPULATION_UNKNOWN: {
        "nl": "aantal inwoners onbekend",
        "en": "number of inhabitants unknown",
    },
    INSUFFICIENT_CHARACTERISTICS: {
        "nl": "{scored} van {total} risicokenmerken gescoord, {needed} nodig",
        "en": "{scored} of {total} risk characteristics scored, {needed} needed",
    },
}


def text(code: str, params: Mapping[str, int], lang: str = "en") -> str:
    """The reason in `lang` (nl unless en); an unknown code is returned as it is."""
    wording = TEXTS.get(code)
    if wording is None:
        return code
    return wording["en" if lang == "en" else "nl"].format(**params)


def encode_params(params: Mapping[str, int]) -> str:
    """Parameters as stored: a JSON object with sorted keys."""
    return json.dumps({k: int(v) for k, v in params.items()}, sort_keys=True)


def decode_params(stored: str | None) -> dict[str, int]:
    if not stored:
        return {}
    data = json.loads(stored)
    return {str(k): int(v) for k, v in data.items()}
