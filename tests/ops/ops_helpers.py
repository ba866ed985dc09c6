"""Small builders for operational tests: a postcode table, a partner file and its mapping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.arrears import intake
from wijkradar.ops.arrears.mapping import Mapping, parse
from wijkradar.ops.core.models import PostcodeBuurt

GM_A = "GM9801"
GM_B = "GM9802"
HEADER = "Klantnr;Naam;Geboren;Postcode;Huisnr;Toev;Bedrag;Sinds;Datum"


def seed_postcodes(factory: sessionmaker[Session]) -> None:
    """1000AA-1000AZ numbers 1-20 in GM9801 (two wijken), 2000AA numbers 1-20 in GM9802."""
    with factory() as session, session.begin():
        for letter, wijk in (("A", "01"), ("B", "02")):
            for nr in range(1, 21):
                session.add(
                    PostcodeBuurt(
                        postcode=f"1000A{letter}",
                        huisnummer=nr,
                        buurt_code=f"BU9801{wijk}01",
                        wijk_code=f"WK9801{wijk}",
                        gemeente_code=GM_A,
                    )
                )
        for nr in range(1, 21):
            session.add(
                PostcodeBuurt(
                    postcode="2000AA",
                    huisnummer=nr,
                    buurt_code="BU98020101",
                    wijk_code="WK980201",
                    gemeente_code=GM_B,
                )
            )


def mapping(
    partner: str = "Woonstichting Test", kind: str = "huur", gemeente: str = GM_A
) -> Mapping:
    data: dict[str, Any] = {
        "partner": partner,
        "kind": kind,
        "gemeente": gemeente,
        "delimiter": ";",
        "date_format": "%d-%m-%Y",
        "decimal_comma": True,
        "columns": {
            "reference": "Klantnr",
            "name": "Naam",
            "birth_date": "Geboren",
            "postcode": "Postcode",
            "huisnummer": "Huisnr",
            "toevoeging": "Toev",
            "amount": "Bedrag",
            "arrears_start": "Sinds",
            "signal_date": "Datum",
        },
    }
    return parse(data, "test mapping")


def row(
    ref: str,
    pc: str = "1000 AA",
    nr: str = "1",
    amount: str = "120,00",
    date: str = "01-10-2026",
    name: str = "J. de Vries",
    born: str = "",
    toev: str = "",
    since: str = "01-08-2026",
) -> str:
    return ";".join([ref, name, born, pc, nr, toev, amount, since, date])


def csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def run_import(
    factory: sessionmaker[Session],
    content: bytes,
    m: Mapping | None = None,
    threshold: str = "50",
    **kwargs: Any,
) -> intake.ImportResult:
    return intake.import_file(
        factory,
        content,
        "test.csv",
        m or mapping(),
        "tester",
        gemeente_scope=None,
        threshold=Decimal(threshold),
        **kwargs,
    )


COORD_A = Principal("coord-a", "coordinator", GM_A)
OUTREACH_A = Principal("worker-a", "outreach", GM_A)
COORD_B = Principal("coord-b", "coordinator", GM_B)
ANALYST_A = Principal("analyst-a", "analyst", GM_A)
ADMIN = Principal("admin", "admin", None)
TODAY = dt.date(2026, 11, 1)
