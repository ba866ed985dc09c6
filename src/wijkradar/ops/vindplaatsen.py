"""The findability register: vindplaatsen (food bank, community centre, library, school, GP),
placed in their buurt and wijk through the postcode-huisnummer table, and which partners cover
which wijken - so gaps are visible."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkradar.domain import WijkradarError
from wijkradar.ops import clock
from wijkradar.ops.area_signals import org_wijken
from wijkradar.ops.models import PostcodeBuurt
from wijkradar.ops.partner_models import PLACE_KINDS, Vindplaats

POSTCODE = re.compile(r"^([1-9]\d{3})\s?([A-Za-z]{2})$")


def add(
    session: Session,
    gemeente: str,
    name: str,
    kind: str,
    postcode: str,
    huisnummer: int,
    org_id: int | None = None,
) -> Vindplaats:
    """A vindplaats; its buurt and wijk come from the postcode table (None when unknown there,
    shown as 'not placed'). A postcode of another gemeente is refused."""
    if kind not in PLACE_KINDS:
        raise WijkradarError(f"kind: expected one of {', '.join(PLACE_KINDS)}, found {kind!r}")
    found = POSTCODE.match(postcode.strip())
    if not found:
        raise WijkradarError(f"postcode: expected 1234 AB, found {postcode!r}")
    if not name.strip() or len(name) > 120:
        raise WijkradarError("name: expected 1-120 characters")
    pc = (found.group(1) + found.group(2)).upper()
    place = session.get(PostcodeBuurt, (pc, huisnummer))
    if place is not None and place.gemeente_code != gemeente:
        raise WijkradarError(f"postcode: {pc} {huisnummer} lies in {place.gemeente_code}")
    row = Vindplaats(
        gemeente_code=gemeente,
        name=name.strip(),
        kind=kind,
        postcode=pc,
        huisnummer=huisnummer,
        buurt_code=place.buurt_code if place else None,
        wijk_code=place.wijk_code if place else None,
        org_id=org_id,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return row


def listing(session: Session, gemeente: str) -> list[Vindplaats]:
    return list(
        session.scalars(
            select(Vindplaats)
            .where(Vindplaats.gemeente_code == gemeente)
            .order_by(Vindplaats.wijk_code, Vindplaats.name)
        )
    )


@dataclass(frozen=True)
class Coverage:
    wijk: str
    partners: list[str]
    places: dict[str, int]

    @property
    def gap(self) -> bool:
        """No partner works here and no vindplaats lies here."""
        return not self.partners and not self.places


def coverage(session: Session, gemeente: str, wijken: list[str]) -> dict[str, Coverage]:
    """Per wijk of the monitor: the partners that work there and the vindplaatsen by kind."""
    partners = org_wijken(session, gemeente)
    places: dict[str, dict[str, int]] = {}
    for row in listing(session, gemeente):
        if row.wijk_code:
            kinds = places.setdefault(row.wijk_code, {})
            kinds[row.kind] = kinds.get(row.kind, 0) + 1
    return {w: Coverage(w, partners.get(w, []), places.get(w, {})) for w in wijken}
