"""Personal-data check of free text (interim: the lead's branch `textcheck` replaces this module
with the maintained version using `deduce`; the API below is the agreed one).

Finds what looks like a BSN (9 digits passing the 11-test), e-mail address, Dutch phone number,
date of birth, postcode with house number, street address or a name after a title/honorific.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    kind: str  # name|address|phone|email|birthdate|bsn|postcode
    fragment_start: int
    fragment_end: int


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(
    r"(?<!\d)(\+31[\s-]?|0031[\s-]?|0)(6[\s-]?\d{8}|[1-9]\d{1,2}[\s-]?\d{6,7})(?!\d)"
)
_DATE = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](19|20)\d{2}(?!\d)")
_POSTCODE = re.compile(r"(?<!\w)[1-9]\d{3}\s?[A-Z]{2}(?!\w)")
_STREET = re.compile(
    r"\b[A-Z][a-z]+(straat|laan|weg|plein|gracht|kade|singel|dreef|hof|steeg)\s+\d+[a-zA-Z]?\b"
)
_NAME = re.compile(
    r"\b(?i:meneer|mevrouw|mevr\.?|mw\.?|dhr\.?|de heer|familie|fam\.?)\s+"
    r"((van|de|der|den|ter|ten)\s+)*[A-Z][a-z]+"
)
_NINE = re.compile(r"(?<!\d)\d{9}(?!\d)")


def _bsn(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0 and digits != "000000000"


def find_personal_data(text: str) -> list[Finding]:
    found: list[Finding] = []
    for kind, pattern in (
        ("email", _EMAIL),
        ("phone", _PHONE),
        ("birthdate", _DATE),
        ("postcode", _POSTCODE),
        ("address", _STREET),
        ("name", _NAME),
    ):
        found += [Finding(kind, m.start(), m.end()) for m in pattern.finditer(text)]
    found += [Finding("bsn", m.start(), m.end()) for m in _NINE.finditer(text) if _bsn(m[0])]
    return sorted(found, key=lambda f: f.fragment_start)


_WORDS = {
    "name": ("een naam", "a name"),
    "address": ("een adres", "an address"),
    "phone": ("een telefoonnummer", "a phone number"),
    "email": ("een e-mailadres", "an e-mail address"),
    "birthdate": ("een geboortedatum", "a date of birth"),
    "bsn": ("een BSN", "a BSN"),
    "postcode": ("een postcode", "a postcode"),
}


def explain(findings: list[Finding], lang: str = "nl") -> str:
    kinds = sorted({f.kind for f in findings})
    index = 1 if lang == "en" else 0
    what = ", ".join(_WORDS[k][index] for k in kinds)
    if lang == "en":
        return f"The text seems to hold personal data ({what}); describe the situation without it."
    return f"De tekst lijkt persoonsgegevens te bevatten ({what}); beschrijf de situatie zonder."
