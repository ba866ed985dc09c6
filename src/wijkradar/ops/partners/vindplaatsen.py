"""The findability register: vindplaatsen (food bank, community centre, library, school, GP),
placed in their buurt and wijk through the postcode-huisnummer table or by their point inside
the monitor's buurt boundaries, and which partners cover which wijken - so gaps are visible.

Adding, importing and removing need a coordinator or editor of the gemeente (or an admin; the
CLI acts as one) and are audited (record type `vindplaats`)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.domain import WijkradarError
from wijkradar.ops.accounts import audit
from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.core import clock
from wijkradar.ops.core.models import PostcodeBuurt
from wijkradar.ops.partners.area_signals import org_wijken
from wijkradar.ops.partners.models import PLACE_KINDS, Vindplaats
from wijkradar.ops.partners.place_points import NL_LAT, NL_LON, BuurtShapes

POSTCODE = re.compile(r"^([1-9]\d{3})\s?([A-Za-z]{2})$")
EDITORS = frozenset({"coordinator", "editor"})
CSV_COLUMNS = ("naam", "soort", "postcode", "huisnummer", "lat", "lon")
MAX_ROWS = 10_000


class NotAllowed(WijkradarError):
    pass


class PlaceRefused(WijkradarError):
    """`problems`: (where, message) pairs; where is a column, or 'file row N column C'."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{w}: {m}" for w, m in problems))
        self.problems = problems


@dataclass(frozen=True)
class PlaceInput:
    """A vindplaats as typed: text fields, checked by `check`."""

    name: str
    kind: str
    postcode: str = ""
    huisnummer: str = ""
    lat: str = ""
    lon: str = ""


@dataclass(frozen=True)
class Placement:
    postcode: str | None
    huisnummer: int | None
    lat: float | None
    lon: float | None
    buurt: str | None
    wijk: str | None


def may_edit(principal: Principal, gemeente: str) -> bool:
    if principal.role == "admin":
        return True
    return principal.role in EDITORS and principal.gemeente_code == gemeente


def _number(text: str) -> float | None:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def check(
    session: Session, gemeente: str, inp: PlaceInput, shapes: BuurtShapes | None
) -> tuple[list[tuple[str, str, str]], Placement | None]:
    """Problems as (column, expected, found), or none and where the place lies."""
    problems: list[tuple[str, str, str]] = []
    if inp.kind not in PLACE_KINDS:
        problems.append(("soort", f"one of {', '.join(PLACE_KINDS)}", repr(inp.kind[:30])))
    name = inp.name.strip()
    if not name or len(name) > 120:
        problems.append(("naam", "1-120 characters", f"{len(name)} characters"))
    pc: str | None = None
    nr: int | None = None
    if inp.postcode.strip() or inp.huisnummer.strip():
        found = POSTCODE.match(inp.postcode.strip())
        if not found:
            problems.append(("postcode", "a postcode like 1234 AB", repr(inp.postcode[:12])))
        else:
            pc = (found.group(1) + found.group(2)).upper()
        text = inp.huisnummer.strip()
        if not text.isdigit() or not 1 <= int(text) <= 99999:
            problems.append(("huisnummer", "a house number 1-99999", repr(text[:12])))
        else:
            nr = int(text)
    lat = lon = None
    if inp.lat.strip() or inp.lon.strip():
        lat, lon = _number(inp.lat), _number(inp.lon)
        if lat is None or not NL_LAT[0] <= lat <= NL_LAT[1]:
            problems.append(
                ("lat", f"a latitude {NL_LAT[0]}-{NL_LAT[1]} (WGS84 degrees)", repr(inp.lat[:20]))
            )
        if lon is None or not NL_LON[0] <= lon <= NL_LON[1]:
            problems.append(
                ("lon", f"a longitude {NL_LON[0]}-{NL_LON[1]} (WGS84 degrees)", repr(inp.lon[:20]))
            )
    if not (inp.postcode.strip() or inp.huisnummer.strip() or inp.lat.strip() or inp.lon.strip()):
        problems.append(("postcode", "postcode and huisnummer, or lat and lon", "neither"))
    if problems:
        return problems, None
    buurt = wijk = None
    if pc is not None and nr is not None:
        place = session.get(PostcodeBuurt, (pc, nr))
        if place is not None and place.gemeente_code != gemeente:
            problems.append(
                ("postcode", f"an address in {gemeente}", f"{pc} {nr} in {place.gemeente_code}")
            )
        elif place is not None:
            buurt, wijk = place.buurt_code, place.wijk_code
    if lat is not None and lon is not None and shapes:
        located = shapes.locate(lat, lon)
        if located is None:
            problems.append(("lat", f"a point inside a buurt of {gemeente}", f"{lat}, {lon}"))
        elif buurt is None:
            buurt, wijk = located
    if problems:
        return problems, None
    return problems, Placement(pc, nr, lat, lon, buurt, wijk)


def _store(
    session: Session, gemeente: str, name: str, kind: str, at: Placement, org_id: int | None
) -> Vindplaats:
    row = Vindplaats(
        gemeente_code=gemeente,
        name=name.strip(),
        kind=kind,
        postcode=at.postcode,
        huisnummer=at.huisnummer,
        latitude=at.lat,
        longitude=at.lon,
        buurt_code=at.buurt,
        wijk_code=at.wijk,
        org_id=org_id,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return row


def add(
    session: Session,
    principal: Principal,
    gemeente: str,
    inp: PlaceInput,
    shapes: BuurtShapes | None = None,
    org_id: int | None = None,
) -> Vindplaats:
    """A vindplaats; its buurt and wijk come from the postcode table, else from its point
    inside `shapes` (None when neither knows it: shown as 'not placed'). Audited."""
    if not may_edit(principal, gemeente):
        raise NotAllowed("coordinators and editors of the gemeente only")
    problems, at = check(session, gemeente, inp, shapes)
    if at is None:
        raise PlaceRefused([(c, f"expected {e}, found {f}") for c, e, f in problems])
    row = _store(session, gemeente, inp.name, inp.kind, at, org_id)
    audit.record(session, principal.username, gemeente, "change", "vindplaats", row.id)
    return row


def remove(session: Session, principal: Principal, place_id: int) -> None:
    row = session.get(Vindplaats, place_id)
    if row is None or not may_edit(principal, row.gemeente_code):
        raise NotAllowed(f"no vindplaats {place_id} you may edit")
    audit.record(session, principal.username, row.gemeente_code, "delete", "vindplaats", row.id)
    session.delete(row)


def parse_csv(content: bytes, name: str) -> list[PlaceInput]:
    """Rows naam;soort;postcode;huisnummer;lat;lon (';' or ',' separated, UTF-8)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PlaceRefused([(name, "expected UTF-8 text")]) from None
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(
        io.StringIO(text), delimiter=";" if first.count(";") >= first.count(",") else ","
    )
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise PlaceRefused(
            [
                (
                    f"{name} row 1 column {missing[0]}",
                    f"expected the header {';'.join(CSV_COLUMNS)}, found "
                    f"{';'.join(reader.fieldnames or [])[:80]!r}",
                )
            ]
        )
    out: list[PlaceInput] = []
    for row in reader:
        if len(out) >= MAX_ROWS:
            raise PlaceRefused([(name, f"expected at most {MAX_ROWS} rows")])
        out.append(PlaceInput(*((row.get(c) or "").strip() for c in CSV_COLUMNS)))
    return out


def import_csv(
    factory: sessionmaker[Session],
    principal: Principal,
    gemeente: str,
    content: bytes,
    name: str,
    shapes: BuurtShapes | None = None,
) -> int:
    """Every row or none, in one transaction; problems as 'file row N column C' with what was
    expected and what was found."""
    if not may_edit(principal, gemeente):
        raise NotAllowed("coordinators and editors of the gemeente only")
    rows = parse_csv(content, name)
    with factory() as session, session.begin():
        problems: list[tuple[str, str]] = []
        placed = []
        for number, inp in enumerate(rows, start=2):
            found, at = check(session, gemeente, inp, shapes)
            problems += [
                (f"{name} row {number} column {c}", f"expected {e}, found {f}") for c, e, f in found
            ]
            placed.append((inp, at))
        if problems:
            raise PlaceRefused(problems[:50])
        for inp, at in placed:
            assert at is not None
            row = _store(session, gemeente, inp.name, inp.kind, at, None)
            audit.record(session, principal.username, gemeente, "change", "vindplaats", row.id)
        audit.record(session, principal.username, gemeente, "import", "vindplaats", None)
    return len(rows)


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
