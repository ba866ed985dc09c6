"""Free text from partners and escalations must not carry personal data.

Partner signals and escalation cases are about areas and rules, never about a person, so their
short texts are checked before they are stored and refused with an explanation when they hold what
looks like a name, a street address, a phone number, an e-mail address, a date of birth or a BSN.

Names and addresses come from `deduce` (the maintained Dutch de-identification library; its lookup
lists know Dutch first names, surnames, tussenvoegsels, streets and places). The checks that need
no word lists are our own, because they must be exact: a BSN only when it passes the 11-test, a
date only when it reads as a date of birth, an address only with a house number or postcode (a
street or place name alone describes an area, which is what a signal is for).

The explanation names the kinds found and never repeats the text, so it is safe to show and log.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

KINDS = ("name", "address", "postcode", "phone", "email", "birthdate", "bsn")

# A date whose year lies this many years or more before today reads as a person's date of birth.
BIRTH_YEAR_MIN_AGE = 12

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Dutch numbers: 06-12345678, 06 1234 5678, 020-1234567, +31 6 12345678, 0031612345678.
_PHONE = re.compile(r"(?<![\w+])(?:\+31|0031|0)[\s-]?(?:\d[\s-]?){9}(?!\d)")
# Nine digits, also written 1234.56.789 or 123 456 789; a sentence's full stop may follow.
_NINE_DIGITS = re.compile(
    r"(?<!\d)(?<!\d\.)(\d{4}[.\s]?\d{2}[.\s]?\d{3}|\d{3}[.\s]\d{3}[.\s]\d{3})(?!\d|\.\d)"
)
_POSTCODE = re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b")
_BIRTH_WORDS = re.compile(
    r"\b(geboren|geb\.|geboortedatum|geboortejaar|born|date of birth|dob)\b", re.I
)
_DATE = re.compile(
    r"\b(\d{1,2})[-/. ](\d{1,2}|jan\w*|feb\w*|maa?r\w*|apr\w*|mei|may|jun\w*|jul\w*|aug\w*|sep\w*"
    r"|o[ck]t\w*|nov\w*|dec\w*)[-/. ](\d{4})\b",
    re.I,
)

_DEDUCE_KINDS = {
    "persoon": "name",
    "patient": "name",
    "telefoonnummer": "phone",
    "emailadres": "email",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    fragment_start: int
    fragment_end: int


_EXPLAIN = {
    "name": {"nl": "een naam van een persoon", "en": "a person's name"},
    "address": {"nl": "een adres met huisnummer", "en": "a street address with a house number"},
    "postcode": {"nl": "een postcode", "en": "a postcode"},
    "phone": {"nl": "een telefoonnummer", "en": "a phone number"},
    "email": {"nl": "een e-mailadres", "en": "an e-mail address"},
    "birthdate": {"nl": "een geboortedatum", "en": "a date of birth"},
    "bsn": {"nl": "een burgerservicenummer (BSN)", "en": "a citizen service number (BSN)"},
}


def bsn_valid(digits: str) -> bool:
    """The 11-test: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a positive multiple of 11."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total > 0 and total % 11 == 0


def find_personal_data(text: str, today: date | None = None) -> list[Finding]:
    """Every place in `text` that looks like personal data, sorted by position, without overlaps."""
    today = today or date.today()
    found: list[Finding] = []
    found += [Finding("email", m.start(), m.end()) for m in _EMAIL.finditer(text)]
    found += [Finding("phone", m.start(), m.end()) for m in _PHONE.finditer(text)]
    found += [Finding("postcode", m.start(), m.end()) for m in _POSTCODE.finditer(text)]
    for m in _NINE_DIGITS.finditer(text):
        if bsn_valid(re.sub(r"\D", "", m.group(1))):
            found.append(Finding("bsn", m.start(), m.end()))
    found += _birthdates(text, today)
    found += _deduce_findings(text)
    return _without_overlaps(found)


def explain(findings: list[Finding], lang: str = "nl") -> str:
    """One sentence naming the kinds found; the personal data itself is never repeated."""
    lang = lang if lang == "en" else "nl"
    kinds = [k for k in KINDS if any(f.kind == k for f in findings)]
    if not kinds:
        return ""
    listed = [_EXPLAIN[k][lang] for k in kinds]
    what = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + _AND[lang] + listed[-1]
    return _SENTENCE[lang].format(what=what)


_AND = {"nl": " en ", "en": " and "}
_SENTENCE = {
    "nl": "De tekst lijkt {what} te bevatten. Beschrijf wat u ziet in de wijk zonder gegevens "
    "waarmee een persoon te herkennen is, en verstuur opnieuw.",
    "en": "The text seems to contain {what}. Describe what you see in the area without details "
    "that identify a person, and submit again.",
}


def _birthdates(text: str, today: date) -> list[Finding]:
    found = []
    for m in _DATE.finditer(text):
        year = int(m.group(3))
        before = text[max(0, m.start() - 25) : m.start()]
        if _BIRTH_WORDS.search(before) or year <= today.year - BIRTH_YEAR_MIN_AGE:
            found.append(Finding("birthdate", m.start(), m.end()))
    return found


def _deduce_findings(text: str) -> list[Finding]:
    with _LOCK:
        doc = _deduce().deidentify(text)
    found = []
    for a in doc.annotations:
        kind = _DEDUCE_KINDS.get(a.tag)
        if a.tag == "locatie" and any(ch.isdigit() for ch in a.text):
            kind = "address"
        if kind:
            found.append(Finding(kind, a.start_char, a.end_char))
    return found


def _without_overlaps(found: list[Finding]) -> list[Finding]:
    # Where two checks match the same span, an exact check wins over deduce's word-list guess
    # (a BSN is not also a "phone number"), so the explanation names the right kind.
    certainty = {"bsn": 0, "email": 1, "phone": 2, "birthdate": 3, "postcode": 4}
    ordered = sorted(found, key=lambda f: (certainty.get(f.kind, 9), f.fragment_start))
    kept: list[Finding] = []
    for f in ordered:
        if all(
            f.fragment_end <= k.fragment_start or f.fragment_start >= k.fragment_end for k in kept
        ):
            kept.append(f)
    return sorted(kept, key=lambda f: f.fragment_start)


_LOCK = threading.Lock()


@cache
def _deduce() -> Any:
    # Loading the lookup lists takes seconds (a first install builds them once, 1-2 minutes), so
    # one instance serves the process; `make` warms it after installing.
    from deduce import Deduce

    return Deduce()


def warm() -> None:
    """Build deduce's lookup structures now rather than on the first submitted text."""
    _deduce()


if __name__ == "__main__":
    warm()
