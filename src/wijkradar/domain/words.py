"""Interface words in Dutch and English: each feature keeps its own table, all look up alike.

A table is written as key -> {"nl": ..., "en": ...} beside the feature that shows it. It is
checked when it is made (so at import, and by any test that imports it): every key has both
languages, and both name the same {placeholders}, so an English page can never lack a word or
a figure that the Dutch one has. A missing key is an error, not the key shown as text.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

LANGS = ("nl", "en")


class MissingWord(LookupError):
    """A key that the table does not hold (a typo, or a value nobody wrote words for)."""


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


class Words:
    """One feature's words per language; `lookup(lang)` gives the function pages call."""

    def __init__(self, name: str, entries: Mapping[str, Mapping[str, str]]) -> None:
        self.name = name
        problems = []
        for key, entry in entries.items():
            if set(entry) != set(LANGS):
                problems.append(f"{key!r} has {sorted(entry)}, expected {list(LANGS)}")
            elif _placeholders(entry["nl"]) != _placeholders(entry["en"]):
                problems.append(f"{key!r} names other placeholders in nl and en")
        if problems:
            raise ValueError(f"{name} words: " + "; ".join(problems))
        self._tables = {
            lang: {key: entry[lang] for key, entry in entries.items()} for lang in LANGS
        }

    @classmethod
    def per_language(cls, name: str, tables: Mapping[str, Mapping[str, str]]) -> Words:
        """Words kept as one table per language (a catalogue file each): both must hold the
        same keys."""
        if set(tables) != set(LANGS):
            raise ValueError(f"{name} words: languages {sorted(tables)}, expected {list(LANGS)}")
        every = set().union(*(set(table) for table in tables.values()))
        gaps = [
            f"{lang} lacks {sorted(every - set(t))}"
            for lang, t in tables.items()
            if set(t) != every
        ]
        if gaps:
            raise ValueError(f"{name} words: " + "; ".join(gaps))
        first = tables[LANGS[0]]
        return cls(name, {key: {lang: tables[lang][key] for lang in LANGS} for key in first})

    def keys(self) -> frozenset[str]:
        return frozenset(self._tables[LANGS[0]])

    def __contains__(self, key: object) -> bool:
        return key in self._tables[LANGS[0]]

    def extend(
        self,
        name: str,
        entries: Mapping[str, Mapping[str, str]],
        replacing: frozenset[str] = frozenset(),
    ) -> Words:
        """These words over this table's. A key of both must be named in `replacing`, so that a
        feature never hides a shared word by accident (nor names one it does not hide)."""
        hidden = self.keys() & set(entries)
        if hidden != replacing:
            raise ValueError(
                f"{name} words: replace {sorted(hidden)} of {self.name}, "
                f"but name {sorted(replacing)}"
            )
        merged = {key: {lang: self._tables[lang][key] for lang in LANGS} for key in self.keys()}
        return Words(name, {**merged, **entries})

    def lookup(self, lang: str) -> Lookup:
        """The words in `lang`; any language but English reads Dutch (Dutch first)."""
        return Lookup(self, lang if lang in LANGS else LANGS[0])

    def text(self, lang: str, key: str) -> str:
        try:
            return self._tables[lang][key]
        except KeyError:
            raise MissingWord(f"{self.name} words have no {key!r}") from None


class Lookup:
    """w("key", n=3): the word in one language, formatted with the values given."""

    def __init__(self, words: Words, lang: str) -> None:
        self.words = words
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        text = self.words.text(self.lang, key)
        return text.format(**values) if values else text
