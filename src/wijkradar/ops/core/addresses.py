"""Dutch addresses and names, normalised so that spelling variants meet; address -> buurt/wijk."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkradar.ops.core.models import PostcodeBuurt

#: 4 digits (first not 0) and 2 letters; PostNL does not use the letter pairs SA, SD and SS
_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s?([A-Z]{2})$")
_UNUSED_LETTERS = frozenset({"SA", "SD", "SS"})
#: tussenvoegsels: ignored when comparing surnames ("de Vries" = "Vries, de" = "DE VRIES")
_PARTICLES = frozenset(
    {
        *("van", "de", "der", "den", "het", "ter", "ten", "te", "in", "op", "aan", "bij"),
        *("uit", "'t", "d'", "l'", "la", "le", "du", "des", "del", "da", "di", "von", "zu"),
    }
)


def postcode(text: str) -> str | None:
    """'1234 ab' -> '1234AB'; None when not a Dutch postcode."""
    match = _POSTCODE.match(text.strip().upper())
    if not match or match.group(2) in _UNUSED_LETTERS:
        return None
    return match.group(1) + match.group(2)


def house_number(text: str) -> int | None:
    value = text.strip()
    if not value.isdigit():
        return None
    number = int(value)
    return number if 1 <= number <= 99999 else None


def addition(text: str) -> str:
    """Huisnummertoevoeging: 'a', '-A', ' A ' -> 'A'; at most 4 characters (DDAS AN4)."""
    return re.sub(r"[\s\-/]", "", text).upper()[:4]


def address_key(pc: str, number: int, toev: str) -> str:
    return f"{pc}|{number}|{toev}"


def name_key(name: str) -> str:
    """Surname words without case, diacritics, tussenvoegsels and initials, sorted:
    'J. de Vriës' and 'Vries, Jan de' share 'vries'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z']+", plain)
    kept = sorted({w.strip("'") for w in words if w not in _PARTICLES and len(w.strip("'")) > 1})
    return " ".join(kept)


def same_person(key_a: str, key_b: str) -> bool:
    """Names are compatible when either is unknown or they share a word."""
    if not key_a or not key_b:
        return True
    return bool(set(key_a.split()) & set(key_b.split()))


@dataclass(frozen=True)
class Place:
    buurt_code: str
    wijk_code: str
    gemeente_code: str


def placements(session: Session, postcodes: set[str]) -> dict[tuple[str, int], Place]:
    """(postcode, huisnummer) -> buurt/wijk/gemeente for the given postcodes (one query per
    1,000 postcodes)."""
    found: dict[tuple[str, int], Place] = {}
    codes = sorted(postcodes)
    for start in range(0, len(codes), 1000):
        rows = session.execute(
            select(PostcodeBuurt).where(PostcodeBuurt.postcode.in_(codes[start : start + 1000]))
        ).scalars()
        for row in rows:
            found[(row.postcode, row.huisnummer)] = Place(
                row.buurt_code, row.wijk_code, row.gemeente_code
            )
    return found
