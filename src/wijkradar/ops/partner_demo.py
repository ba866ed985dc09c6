"""`wijkradar demo` for partner signals: fictional partner organisations, a partner account,
area signals over the last 14 months and vindplaatsen for the demo gemeenten (GM98xx).

The signals are drawn so that every class of the triangulation occurs: most wijken with high
stacking get signals, some deliberately none (under the radar); some wijken with low stacking
get a rise in the last three months (emerging). Everything is invented and labelled 'Fictief'.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.ops import area_signals, clock, vindplaatsen
from wijkradar.ops.models import PostcodeBuurt, User
from wijkradar.ops.partner_models import BANDS, PLACE_KINDS, PartnerOrg

ORGS = (
    ("Huisartsenpraktijk Fictief", "huisarts"),
    ("Basisschool Fictief", "school"),
    ("Voedselbank Fictief", "voedselbank"),
    ("Sociaal wijkteam Fictief", "sociaal_wijkteam"),
    ("Buurthuis Fictief", "buurthuis"),
)
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
    account: tuple[str, str, str]


def seed_partners(
    monitor_db: Path, factory: sessionmaker[Session], password: str, seed_value: int = 10
) -> PartnerDemo:
    from wijkradar.store.ops_context import wijk_figures

    rng = random.Random(seed_value)
    figures = wijk_figures(monitor_db)
    gemeenten = sorted({f.gemeente for f in figures.values()})[:2]
    chars = area_signals.characteristic_ids()
    groups = area_signals.group_ids()
    this_month = f"{clock.today():%Y-%m}"
    n_orgs = n_signals = n_places = 0
    account = ("demo-partner", "partner", gemeenten[0] if gemeenten else "-")
    for gemeente in gemeenten:
        wijken = sorted(c for c, f in figures.items() if f.gemeente == gemeente)
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
            if gemeente == gemeenten[0] and not session.scalar(
                select(User).where(User.username == account[0])
            ):
                area_signals.add_member(session, account[0], password, orgs[0])
            for code in wijken:
                stacking = figures[code].stacking or 0
                quiet_high = stacking >= 3 and rng.random() < 0.3
                emerging = stacking < 3 and rng.random() < 0.3
                for back in range(14):
                    month = area_signals.months_back(this_month, back)
                    if quiet_high or code not in covered:
                        rate = 0.0
                    elif emerging:
                        rate = 2.5 if back < 3 else 0.2
                    else:
                        rate = 0.5 + 0.5 * stacking
                    for _ in range(_poisson(rng, rate)):
                        org = rng.choice(orgs)
                        flagged = [c for c in figures[code].flags if c in chars]
                        picked = rng.sample(flagged, min(2, len(flagged))) if flagged else []
                        inp = area_signals.SignalInput(
                            wijk=code,
                            month=month,
                            characteristics=picked or [rng.choice(chars)],
                            groups=[rng.choice(groups)] if rng.random() < 0.6 else [],
                            direction="meer"
                            if emerging and back < 3
                            else rng.choice(("meer", "gelijk", "gelijk", "minder")),
                            band=rng.choice(BANDS[:3]),
                            text=rng.choice(TEXTS),
                        )
                        area_signals.submit(session, org, inp, "demo", "web")
                        n_signals += 1
            n_places += _places(session, gemeente, orgs, rng)
    return PartnerDemo(n_orgs, n_signals, n_places, account)


def _places(session: Session, gemeente: str, orgs: list[PartnerOrg], rng: random.Random) -> int:
    """One or two vindplaatsen in about two thirds of the buurten of the postcode table."""
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
        vindplaatsen.add(
            session,
            gemeente,
            f"{kind.capitalize()} Fictief {row.buurt_code[-4:]}",
            kind,
            row.postcode,
            1,
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
