"""The personal-data check for free text in the registers (escalations).

The project's check is `wijkradar.ops.textcheck` (lead, branch `textcheck`, API
find_personal_data(text) -> list[Finding], explain(findings, lang) -> str). Until that lands on
this branch, this module carries a minimal stand-in with the same API (BSN by the 11-test,
e-mail, phone, postcode + number, dates); once it lands, `check` calls it instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS_NL = {
    "bsn": "een BSN",
    "email": "een e-mailadres",
    "phone": "een telefoonnummer",
    "address": "een adres",
    "postcode": "een postcode",
    "birthdate": "een (geboorte)datum",
    "name": "een naam",
}
KINDS_EN = {
    "bsn": "a BSN",
    "email": "an e-mail address",
    "phone": "a phone number",
    "address": "an address",
    "postcode": "a postcode",
    "birthdate": "a (birth) date",
    "name": "a name",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    fragment_start: int
    fragment_end: int


def _bsn_ok(digits: str) -> bool:
    weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


PATTERNS = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")),
    ("phone", re.compile(r"(?<!\d)(?:\+31|0031|0)[\s-]?(?:\d[\s-]?){9}(?!\d)")),
    ("postcode", re.compile(r"\b[1-9]\d{3}\s?[A-Z]{2}\b")),
    ("birthdate", re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}\b")),
    (
        "address",
        re.compile(r"\b[A-Z][a-z]+(?:straat|laan|weg|plein|gracht|kade|dijk)\s+\d+", re.I),
    ),
)


def find_personal_data(text: str) -> list[Finding]:
    found = [Finding(kind, m.start(), m.end()) for kind, rx in PATTERNS for m in rx.finditer(text)]
    for m in re.finditer(r"(?<!\d)\d{9}(?!\d)", text):
        if _bsn_ok(m.group(0)):
            found.append(Finding("bsn", m.start(), m.end()))
    return sorted(found, key=lambda f: f.fragment_start)


def explain(findings: list[Finding], lang: str = "nl") -> str:
    words = KINDS_EN if lang == "en" else KINDS_NL
    kinds = ", ".join(dict.fromkeys(words.get(f.kind, f.kind) for f in findings))
    if lang == "en":
        return f"The text seems to contain personal data ({kinds}); describe the case without it."
    return f"De tekst lijkt persoonsgegevens te bevatten ({kinds}); beschrijf de casus zonder."
