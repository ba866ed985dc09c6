"""The words of `wijkradar show` and `wijkradar rank`, in Dutch and English.

Labels of indicators, characteristics and themes come from the methodology; everything else the
two commands print is here, so a language is complete in one place. Why an area has no score is
worded by compute.reasons (a stored code with parameters), which the profile already carries in
its language.
"""

from __future__ import annotations

LANGS = ("nl", "en")

TEXT: dict[str, dict[str, str]] = {
    "nl": {
        "char": "Risicokenmerk",
        "score": "Score",
        "flag": "Vlag",
        "ind": "Indicatoren",
        "stack": "Stapeling",
        "toxic": "giftige mix",
        "index": "Index",
        "prot": "Bescherming (0–100, hoger = beter beschermd)",
        "themes": "Thema's",
        "theme": "Thema",
        "trend": "Verloop",
        "why": "Waarom gemarkeerd",
        "src": "Bronnen",
        "status": "Status",
        "none": "geen gemarkeerde kenmerken",
        "parent": "Gemiddelde in {name}",
        "country": "Gemiddelde in Nederland",
        "reference": "referentie",
        "methodology": "methodologie",
        "percentile": "percentiel",
        "percentile_h": "Percentiel",
        "indicator": "Indicator",
        "value": "Waarde",
        "measure": "Meting",
        "source": "Bron",
        "gap": "geen open bron",
        "rank": "#",
        "code": "Code",
        "name": "Naam",
        "gemeente": "Gemeente",
        "no_source": "—",
        "protective_mark": "(+) = beschermende factor; score = bescherming (hoger = beter)",
        "demo": "synthetische gegevens, geen echte cijfers; niet gebruiken voor beleid",
        "break": "reeksbreuk {year_from}–{year_to}: {note}",
        "scale_index": "0–100, hoger = kwetsbaarder",
    },
    "en": {
        "char": "Risk characteristic",
        "score": "Score",
        "flag": "Flag",
        "ind": "Indicators",
        "stack": "Stacking",
        "toxic": "toxic mix",
        "index": "Index",
        "prot": "Protection (0–100, higher = better protected)",
        "themes": "Themes",
        "theme": "Theme",
        "trend": "Trend",
        "why": "Why flagged",
        "src": "Sources",
        "status": "Status",
        "none": "no flagged characteristics",
        "parent": "Average in {name}",
        "country": "Average in the Netherlands",
        "reference": "reference",
        "methodology": "methodology",
        "percentile": "percentile",
        "percentile_h": "Percentile",
        "indicator": "Indicator",
        "value": "Value",
        "measure": "Measure",
        "source": "Source",
        "gap": "no open source",
        "rank": "#",
        "code": "Code",
        "name": "Name",
        "gemeente": "Municipality",
        "no_source": "—",
        "protective_mark": "(+) = protective factor; score = protection, higher = better protected",
        "demo": "synthetic data, no real figures; do not use for policy",
        "break": "series break {year_from}–{year_to}: {note}",
        "scale_index": "0–100, higher = more vulnerable",
    },
}

# Stored statuses (indicator_values / indicator_ranks / *_scores) as shown.
STATUS: dict[str, dict[str, str]] = {
    "nl": {
        "ok": "ok",
        "suppressed": "geheim (bron)",
        "missing": "ontbreekt",
        "too_small": "te weinig inwoners",
        "insufficient_data": "te weinig gegevens",
        "unranked": "niet te rangschikken",
    },
    "en": {
        "ok": "ok",
        "suppressed": "secret (source)",
        "missing": "missing",
        "too_small": "too few inhabitants",
        "insufficient_data": "insufficient data",
        "unranked": "not rankable",
    },
}

LEVELS: dict[str, dict[str, str]] = {
    "nl": {
        "land": "land",
        "provincie": "provincie",
        "gemeente": "gemeente",
        "wijk": "wijk",
        "buurt": "buurt",
    },
    "en": {
        "land": "country",
        "provincie": "province",
        "gemeente": "municipality",
        "wijk": "district",
        "buurt": "neighbourhood",
    },
}

MEASURES: dict[str, dict[str, str]] = {
    "nl": {"direct": "direct", "proxy": "benadering"},
    "en": {"direct": "direct", "proxy": "proxy"},
}

# Methodology units are Dutch; English output names them in English.
UNITS: dict[str, dict[str, str]] = {
    "nl": {},
    "en": {
        "per 100 inwoners": "per 100 inhabitants",
        "per 1 000 inwoners": "per 1 000 inhabitants",
        "aantal": "count",
    },
}

RANK_BY: dict[str, dict[str, str]] = {
    "nl": {
        "stacking": "stapeling",
        "index": "index",
        "theme": "thema",
        "protective": "bescherming (laagste eerst)",
        "char": "kenmerk",
    },
    "en": {
        "stacking": "stacking",
        "index": "index",
        "theme": "theme",
        "protective": "protection (lowest first)",
        "char": "characteristic",
    },
}


def lang_of(lang: str) -> str:
    """The language to use: nl unless en is asked for."""
    return "en" if lang.strip().lower() == "en" else "nl"


def status_text(status: str, lang: str) -> str:
    return STATUS[lang].get(status, status)


def unit_text(unit: str, lang: str) -> str:
    return UNITS[lang].get(unit, unit)


def level_text(level: str, lang: str) -> str:
    return LEVELS[lang].get(level, level)
