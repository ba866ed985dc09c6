"""Translations: the nl/en strings are data files in wijkradar/web/i18n/; this only loads them."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

LANGS = ("nl", "en")
WEB = Path(__file__).resolve().parents[1] / "web"


@cache
def catalogue(lang: str) -> dict[str, str]:
    text = (WEB / "i18n" / f"{lang}.json").read_text(encoding="utf-8")
    data: dict[str, str] = json.loads(text)
    return data


class Translator:
    """t("key", name=...) -> the string in this language, formatted; the key itself if unknown."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGS else LANGS[0]
        self._strings = catalogue(self.lang)

    def __call__(self, key: str, **values: Any) -> str:
        text = self._strings.get(key, key)
        return text.format(**values) if values else text
