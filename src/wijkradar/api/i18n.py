"""Translations: the nl/en strings are data files in wijkradar/web/i18n/; this only loads them."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

LANGS = ("nl", "en")
WEB = Path(__file__).resolve().parents[1] / "web"


@cache
def _data(lang: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((WEB / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))
    return data


@cache
def catalogue(lang: str) -> dict[str, str]:
    return {k: v for k, v in _data(lang).items() if isinstance(v, str)}


@cache
def units(lang: str) -> dict[str, str]:
    """The "units" map: the methodology's (Dutch) units as this language writes them."""
    return {str(k): str(v) for k, v in _data(lang).get("units", {}).items()}


class Translator:
    """t("key", name=...) -> the string in this language, formatted; the key itself if unknown."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGS else LANGS[0]
        self._strings = catalogue(self.lang)
        self._units = units(self.lang)

    def __call__(self, key: str, **values: Any) -> str:
        text = self._strings.get(key, key)
        return text.format(**values) if values else text

    def unit(self, unit: str) -> str:
        """A unit in this language; units the map lacks ("%", "km") read the same in both."""
        return self._units.get(unit, unit)
