"""`wijkradar demo` for partner signals: fictional partner organisations, a partner account,
area signals over the last 14 months and vindplaatsen for the demo gemeenten (GM98xx).

Two gemeenten get partners: the workspace demo's first gemeente (account demo-partner) and the
demo gemeente with the most wijken (account demo-beleid, an analyst). The signals are drawn so
that every class of the triangulation occurs there: wijken with high stacking alternate between
signalled and silent (under the radar), low ones between a rise in the last three months
(emerging) and a trickle (quiet). Everything is invented and labelled 'Fictief'.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.ops.accounts import auth
from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.core import clock
from wijkradar.ops.core.models import PostcodeBuurt, User
from wijkradar.ops.partners import area_signals, vindplaatsen
from wijkradar.ops.partners.models import BANDS, PLACE_KINDS, PartnerOrg
from wijkradar.ops.partners.monitor_cache import buurt_shapes
from wijkradar.ops.partners.place_points import BuurtShapes

if TYPE_CHECKING:
    from wijkradar.store.ops_context import WijkFigures

ORGS = (
    ("Huisartsenpraktijk Fictief", "huisarts"),
    ("Basisschool Fictief", "school"),
    ("Voedselbank Fictief", "voedselbank"),
    ("Sociaal wijkteam Fictief", "sociaal_wijkteam"),
    ("Buurthuis Fictief", "buurthuis"),
)
#: the demo acts as an admin when it adds vindplaatsen (audited as "demo")
DEMO = Principal("demo", "admin", None)
TEXTS = (
    "Meer vragen aan de balie over de energierekening.",
    "Ouderen komen minder naar de koffieochtend.",
    "Jongeren zonder dagbesteding hangen vaker rond het winkelcentrum.",
    "Gezinnen melden zich later en met grotere zorgen.",
    "",
)


@dataclass(frozen=True)
class PartnerDemo:
    orgs: int
    signals: int
    places: int
    accounts: list[tuple[str, str, str]]  # username, role, gemeente


def seed_partners(
    monitor_db: Path, factory: sessionmaker[Session], password: str, seed_value: int = 10
) -> PartnerDemo:
    from wijkradar.store.ops_context import wijk_figures

    rng = random.Random(seed_value)
    figures = wijk_figures(monitor_db)
    per_gemeente: dict[str, list[str]] = {}
    for code, f in sorted(figures.items()):
        per_gemeente.setdefault(f.gemeente, []).append(code)
    if not per_gemeente:
        return PartnerDemo(0, 0, 0, [])
    # the workspace demo's main gemeente (the first) and the one with the most wijken
    first = min(per_gemeente)
    largest = max(per_gemeente, key=lambda g: (len(per_gemeente[g]), g))
    gemeenten = sorted({first, largest})
    accounts = [("demo-partner", "partner", first), ("demo-beleid", "analyst", largest)]
    chars = area_signals.characteristic_ids()
    groups = area_signals.group_ids()
    this_month = f"{clock.today():%Y-%m}"
    n_orgs = n_signals = n_places = 0
    for gemeente in gemeenten:
        wijken = per_gemeente[gemeente]
        with factory() as session, session.begin():
            if session.scalar(select(PartnerOrg).where(PartnerOrg.gemeente_code == gemeente)):
                continue  # seeded before
            # the last wijk is left without partner, to show a coverage gap
            covered = wijken[:-1] if len(wijken) > 2 else wijken
            orgs = []
            for index, (name, kind) in enumerate(ORGS):
                share = covered[index % 2 :: 2] or covered
                orgs.append(area_signals.add_org(session, gemeente, name, kind, share))
            n_orgs += len(orgs)
            for username, role, where in accounts:
                if where == gemeente and not session.scalar(
                    select(User).where(User.username == username)
                ):
                    if role == "partner":
                        area_signals.add_member(session, username, password, orgs[0])
                    else:
                        auth.add_user(session, username, password, role, gemeente)
            plan = _plan(wijken, covered, figures)
            for code in wijken:
                for back in range(14):
                    month = area_signals.months_back(this_month, back)
                    rate = _rate(plan[code], back, figures[code].stacking or 0)
                    for _ in range(_poisson(rng, rate)):
                        flagged = [c for c in figures[code].flags if c in chars]
                        picked = rng.sample(flagged, min(2, len(flagged))) if flagged else []
                        rising = plan[code] == "emerging" and back < 3
                        inp = area_signals.SignalInput(
                            wijk=code,
                            month=month,
                            characteristics=picked or [rng.choice(chars)],
                            groups=[rng.choice(groups)] if rng.random() < 0.6 else [],
                            direction="meer"
                            if rising
                            else rng.choice(("gelijk", "gelijk", "minder")),
                            band=rng.choice(BANDS[:3]),
                            text=rng.choice(TEXTS),
                        )
                        area_signals.submit(session, rng.choice(orgs), inp, "demo", "web")
                        n_signals += 1
            n_places += _places(session, gemeente, orgs, rng, buurt_shapes(monitor_db, gemeente))
    return PartnerDemo(n_orgs, n_signals, n_places, accounts)


def _plan(wijken: list[str], covered: list[str], figures: dict[str, WijkFigures]) -> dict[str, str]:
    """The class each wijk is drawn towards: high-stacking wijken alternate between signalled
    and silent, low ones between emerging and quiet; an uncovered wijk gets no signals."""
    plan: dict[str, str] = {}
    high = low = 0
    for code in wijken:
        if code not in covered:
            plan[code] = "silent"
        elif (figures[code].stacking or 0) >= 3:
            plan[code] = ("signalled", "silent")[high % 2]
            high += 1
        else:
            plan[code] = ("emerging", "quiet")[low % 2]
            low += 1
    return plan


def _rate(plan: str, back: int, stacking: int) -> float:
    """Expected signals in a month `back` months ago."""
    if plan == "signalled":
        return 0.8 + 0.4 * stacking
    if plan == "emerging":
        return 3.0 if back < 3 else 0.2
    if plan == "quiet":
        return 0.2
    return 0.0


def _places(
    session: Session,
    gemeente: str,
    orgs: list[PartnerOrg],
    rng: random.Random,
    shapes: BuurtShapes,
) -> int:
    """A vindplaats in about two thirds of the buurten of the postcode table; every third also
    gets a point (its buurt's centre, where that lies inside the buurt), so the map shows both
    exact and approximate markers."""
    rows = session.scalars(
        select(PostcodeBuurt)
        .where(PostcodeBuurt.gemeente_code == gemeente, PostcodeBuurt.huisnummer == 1)
        .order_by(PostcodeBuurt.postcode)
    ).all()
    added = 0
    for row in rows:
        if rng.random() < 0.35:
            continue
        kind = rng.choice(PLACE_KINDS[:5])
        lat = lon = ""
        centre = shapes.centre(row.buurt_code) if added % 3 == 0 else None
        if centre is not None and shapes.locate(*centre) == (row.buurt_code, row.wijk_code):
            lat, lon = f"{centre[0]:.5f}", f"{centre[1]:.5f}"
        vindplaatsen.add(
            session,
            DEMO,
            gemeente,
            vindplaatsen.PlaceInput(
                f"{kind.capitalize()} Fictief {row.buurt_code[-4:]}",
                kind,
                row.postcode,
                "1",
                lat,
                lon,
            ),
            shapes if lat else None,
            rng.choice(orgs).id if rng.random() < 0.5 else None,
        )
        added += 1
    return added


def _poisson(rng: random.Random, rate: float) -> int:
    if rate <= 0:
        return 0
    # Knuth's method is fine for the small rates used here
    limit, k, p = pow(2.718281828459045, -rate), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
