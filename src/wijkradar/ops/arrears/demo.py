"""`wijkradar demo` for the workspace: a fictional postcode table, accounts, partner files and
signals for the demo gemeenten, so a new user sees the whole workflow in minutes.

Everything is invented: names are 'Fictief Persoon nnnn', postcodes are drawn per demo buurt,
and the monitor the signals sit in is the synthetic demo build (gemeenten GM98xx).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import select

from wijkradar.ops.accounts import auth
from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.arrears import cases, intake
from wijkradar.ops.arrears.mapping import load as load_mapping
from wijkradar.ops.core import clock, migrate
from wijkradar.ops.core.db import make_engine, session_factory
from wijkradar.ops.core.models import Case, PostcodeBuurt, User
from wijkradar.ops.core.settings import OpsSettings

PASSWORD = "demo-wachtwoord"
PARTNERS = (
    ("Woonstichting Fictief", "huur"),
    ("Energie Fictief", "energie"),
    ("Waterbedrijf Fictief", "water"),
    ("Zorgverzekeraar Fictief", "zorg"),
)
HEADER = (
    "Klantnummer;Naam;Geboortedatum;Postcode;Huisnummer;Toevoeging;Achterstand;Sinds;Signaaldatum"
)
COLUMNS = {
    "reference": "Klantnummer",
    "name": "Naam",
    "birth_date": "Geboortedatum",
    "postcode": "Postcode",
    "huisnummer": "Huisnummer",
    "toevoeging": "Toevoeging",
    "amount": "Achterstand",
    "arrears_start": "Sinds",
    "signal_date": "Signaaldatum",
}


@dataclass(frozen=True)
class DemoResult:
    gemeente: str
    accounts: list[tuple[str, str, str]]  # username, role, gemeente
    upload_file: Path
    upload_mapping: Path
    signals: int


def _postcode(index: int) -> str:
    letters = "ABCDEFGHJKLMNPRTUVWXZ"
    return f"{9100 + index // 40}{letters[(index // 20) % 20]}{letters[index % 20]}"


def seed(
    monitor_db: Path, directory: Path, settings: OpsSettings, seed_value: int = 98
) -> DemoResult:
    from wijkradar.store.ops_context import area_context, buurt_stacking, buurten

    engine = make_engine(settings.db)
    migrate.upgrade(engine)
    factory = session_factory(engine)
    rng = random.Random(seed_value)
    places = buurten(monitor_db)
    gemeenten = sorted({g for _, _, g in places})
    if not gemeenten:
        raise ValueError("the monitor database holds no buurten")
    main = gemeenten[0]
    addresses: dict[str, list[tuple[str, int]]] = {}
    with factory() as session, session.begin():
        for index, (buurt, wijk, gemeente) in enumerate(places):
            pc = _postcode(index)
            existing = session.get(PostcodeBuurt, (pc, 1))
            for nr in range(1, 31):
                if existing is None:
                    session.add(
                        PostcodeBuurt(
                            postcode=pc,
                            huisnummer=nr,
                            buurt_code=buurt,
                            wijk_code=wijk,
                            gemeente_code=gemeente,
                        )
                    )
                addresses.setdefault(gemeente, []).append((pc, nr))
        accounts = [
            ("demo-beheer", "admin", "-"),
            ("demo-coordinator", "coordinator", main),
            ("demo-outreach", "outreach", main),
            ("demo-analist", "analyst", main),
        ]
        for username, role, gemeente in accounts:
            if session.scalar(select(User).where(User.username == username)) is None:
                auth.add_user(
                    session, username, PASSWORD, role, None if gemeente == "-" else gemeente
                )
    out = directory / "werk"
    out.mkdir(parents=True, exist_ok=True)
    today = clock.today()
    files: list[tuple[Path, Path, str]] = []
    person = 0
    for gemeente in gemeenten[:2]:
        spots = rng.sample(addresses[gemeente], min(len(addresses[gemeente]), 260))
        for name, kind in PARTNERS:
            lines = [HEADER]
            for pc, nr in spots:
                if rng.random() > 0.45:
                    continue
                person += 1
                signal_date = today - dt.timedelta(days=rng.randrange(0, 180))
                since = signal_date - dt.timedelta(days=rng.randrange(30, 200))
                born = dt.date(
                    1940 + rng.randrange(60), 1 + rng.randrange(12), 1 + rng.randrange(28)
                )
                amount = rng.choice(
                    [rng.uniform(10, 60), rng.uniform(60, 900), rng.uniform(900, 4000)]
                )
                lines.append(
                    ";".join(
                        [
                            f"{kind[:2].upper()}{person:06d}",
                            f"Fictief Persoon {person:04d}",
                            born.strftime("%d-%m-%Y"),
                            f"{pc[:4]} {pc[4:]}",
                            str(nr),
                            "",
                            f"{amount:.2f}".replace(".", ","),
                            since.strftime("%d-%m-%Y"),
                            signal_date.strftime("%d-%m-%Y"),
                        ]
                    )
                )
            stem = f"{gemeente}-{kind}"
            data = out / f"{stem}.csv"
            data.write_text("\n".join(lines) + "\n", encoding="utf-8")
            mapping = out / f"{stem}.yml"
            mapping.write_text(
                yaml.safe_dump(
                    {
                        "partner": name,
                        "kind": kind,
                        "gemeente": gemeente,
                        "delimiter": ";",
                        "date_format": "%d-%m-%Y",
                        "decimal_comma": True,
                        "columns": COLUMNS,
                    },
                    sort_keys=False,
                    allow_unicode=True,
                ),
                encoding="utf-8",
            )
            files.append((data, mapping, gemeente))
    total = 0
    upload = next(f for f in files if f[2] == main and f[0].stem.endswith("zorg"))
    for data, mapping, gemeente in files:
        if data == upload[0]:
            continue  # left for the user to upload in the workspace
        stacking = buurt_stacking(area_context(monitor_db, gemeente))
        result = intake.import_file(
            factory,
            data.read_bytes(),
            data.name,
            load_mapping(mapping),
            "demo",
            gemeente_scope=None,
            threshold=settings.threshold,
            skip_invalid=True,
            stacking=stacking,
        )
        total += result.added
    _outreach(factory, gemeenten[:2], rng)
    engine.dispose()
    return DemoResult(main, accounts, upload[0], upload[1], total)


def _outreach(factory: object, gemeenten: list[str], rng: random.Random) -> None:
    """Contact attempts and results on part of the cases, so reach has figures."""
    from sqlalchemy.orm import Session, sessionmaker

    assert isinstance(factory, sessionmaker)
    results = [
        "quick_fix",
        "vervolg_financieel",
        "geen_hulp_nodig",
        "geen_contact",
        "zelf_opgelost",
    ]
    today = clock.today()
    for gemeente in gemeenten:
        worker = Principal("demo", "coordinator", gemeente)
        with factory() as session, session.begin():
            assert isinstance(session, Session)
            ids = session.scalars(
                select(Case.id).where(Case.gemeente_code == gemeente, Case.picked_up_on.is_(None))
            ).all()
            for case_id in ids:
                if rng.random() < 0.35:
                    continue
                when = today - dt.timedelta(days=rng.randrange(0, 20))
                reached = rng.random() < 0.6
                cases.record_attempt(
                    session,
                    worker,
                    case_id,
                    rng.choice(["brief", "telefoon", "huisbezoek"]),
                    reached,
                    when,
                    rng.choice(["ochtend", "middag", "avond"]),
                )
                if reached and rng.random() < 0.6:
                    cases.close_case(session, worker, case_id, rng.choice(results))
