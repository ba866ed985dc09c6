"""Intake of partner files on both engines: checks, idempotency, households, flags, review."""

from __future__ import annotations

import datetime as dt

import pytest
from ops_helpers import GM_A, csv, mapping, row, run_import, seed_postcodes
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.domain import WijkradarError
from wijkradar.ops.arrears.intake import ImportRejected
from wijkradar.ops.core import clock
from wijkradar.ops.core.models import AuditEntry, Case, Household, Signal


@pytest.fixture(autouse=True)
def frozen() -> object:
    clock.freeze(dt.datetime(2026, 11, 1, 12, 0))
    yield
    clock.freeze(None)


def _count(factory: sessionmaker[Session], model: type) -> int:
    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_bad_rows_are_reported_and_nothing_is_imported(ops_factory: sessionmaker[Session]) -> None:
    seed_postcodes(ops_factory)
    content = csv(
        row("R1"),
        row("R2", pc="0123 AB"),  # postcode cannot start with 0
        row("R3", nr="x"),
        row("R4", amount="-5"),
        row("R5", date="01-12-2027"),  # future
        row("R6", pc="1000 SS"),  # letters PostNL does not use
    )
    with pytest.raises(ImportRejected) as caught:
        run_import(ops_factory, content)
    rejected = caught.value.result.rejected
    assert [(r.row, r.column) for r in rejected] == [
        (3, "Postcode"),
        (4, "Huisnr"),
        (5, "Bedrag"),
        (6, "Datum"),
        (7, "Postcode"),
    ]
    message = str(caught.value)
    assert message.startswith("test.csv: row 3, column 'Postcode': expected a Dutch postcode")
    assert "0123" not in message  # the value itself (person data) is never repeated
    assert _count(ops_factory, Signal) == 0
    # with skip_invalid the valid row goes in, the rest is still reported
    result = run_import(ops_factory, content, skip_invalid=True)
    assert (result.added, len(result.rejected)) == (1, 5)


def test_reimport_adds_nothing(ops_factory: sessionmaker[Session]) -> None:
    seed_postcodes(ops_factory)
    content = csv(row("R1"), row("R2", nr="2"), row("R1"))  # R1 twice in the file too
    first = run_import(ops_factory, content)
    assert (first.added, first.duplicates) == (2, 1)
    second = run_import(ops_factory, content)
    assert (second.added, second.duplicates) == (0, 3)
    assert _count(ops_factory, Signal) == 2
    assert _count(ops_factory, Case) == 2


def test_threshold_marks_not_picked_up(ops_factory: sessionmaker[Session]) -> None:
    seed_postcodes(ops_factory)
    result = run_import(ops_factory, csv(row("R1", amount="49,99"), row("R2", nr="2")))
    assert result.not_picked_up == 1
    with ops_factory() as session:
        statuses = dict(session.execute(select(Signal.reference, Signal.status)).all())
        assert statuses == {"R1": "onterecht", "R2": "nog_niet_opgepakt"}
        assert session.scalar(select(Signal.case_id).where(Signal.reference == "R1")) is None


def test_household_bundles_partners_and_flags(ops_factory: sessionmaker[Session]) -> None:
    seed_postcodes(ops_factory)
    # spelling variants of one address: lower case, space, addition with dash
    run_import(ops_factory, csv(row("H1", pc="1000aa", nr="3", toev="-a", date="05-05-2026")))
    energy = mapping("Energiebedrijf Test", "energie")
    water = mapping("Waterbedrijf Test", "water")
    run_import(
        ops_factory,
        csv(row("E1", pc="1000 AA", nr="3", toev="A", date="10-10-2026", name="Vries, Jan de")),
        energy,
    )
    run_import(
        ops_factory,
        csv(row("W1", pc="1000AA", nr="3", toev="a", date="20-10-2026", name="JAN DE VRIËS")),
        water,
    )
    with ops_factory() as session:
        assert session.scalar(select(func.count()).select_from(Household)) == 1
        assert session.scalar(select(func.count()).select_from(Case)) == 1
        flags = {
            s.reference: (s.multiple, s.successive, s.case_id is not None)
            for s in session.scalars(select(Signal))
        }
        # H1 in May: alone that month; E1/W1 in October: multiple, successive to H1
        assert flags == {
            "H1": (False, False, True),
            "E1": (True, True, True),
            "W1": (True, True, True),
        }
        case = session.scalars(select(Case)).one()
        assert case.priority > 0 and "kinds" in case.priority_reasons


def test_repeat_signal_same_partner_not_higher(ops_factory: sessionmaker[Session]) -> None:
    seed_postcodes(ops_factory)
    run_import(ops_factory, csv(row("R1", amount="300,00", date="01-09-2026")))
    run_import(ops_factory, csv(row("R1", amount="250,00", date="01-10-2026")))  # lower
    run_import(ops_factory, csv(row("R1", amount="400,00", date="15-10-2026")))  # higher
    with ops_factory() as session:
        got = [
            (s.signal_date.month, s.repeat, s.status)
            for s in session.scalars(select(Signal).order_by(Signal.signal_date))
        ]
    assert got == [
        (9, False, "nog_niet_opgepakt"),
        (10, True, "herhaald"),
        (10, False, "nog_niet_opgepakt"),
    ]


def test_unplaced_other_gemeente_and_name_mismatch_go_to_review(
    ops_factory: sessionmaker[Session],
) -> None:
    seed_postcodes(ops_factory)
    run_import(ops_factory, csv(row("A1", nr="5", name="P. Jansen", born="01-01-1980")))
    result = run_import(
        ops_factory,
        csv(
            row("A2", pc="9999 ZZ"),  # not in the postcode table
            row("A3", pc="2000 AA"),  # in GM9802, file is for GM9801
            row("A4", nr="5", name="K. Bakker", born="02-02-1990"),  # other person, open case
            row("A5", nr="5", name="Piet Jansen"),  # same person: joins the case
        ),
    )
    assert result.review == 3
    with ops_factory() as session:
        reasons = dict(session.execute(select(Signal.reference, Signal.review_reason)).all())
        cases = dict(session.execute(select(Signal.reference, Signal.case_id)).all())
    assert reasons == {
        "A1": None,
        "A2": "unplaced",
        "A3": "other_gemeente",
        "A4": "name_mismatch",
        "A5": None,
    }
    assert cases["A5"] == cases["A1"] is not None
    assert cases["A2"] is cases["A3"] is cases["A4"] is None


def test_import_is_audited_without_person_data(ops_factory: sessionmaker[Session]) -> None:
    seed_postcodes(ops_factory)
    result = run_import(ops_factory, csv(row("R1")))
    with ops_factory() as session:
        entry = session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.record_type, entry.record_id, entry.gemeente_code) == (
        "import",
        "import",
        result.import_id,
        GM_A,
    )


def test_wrong_gemeente_scope_is_refused(ops_factory: sessionmaker[Session]) -> None:
    from decimal import Decimal

    from wijkradar.ops.arrears import intake

    with pytest.raises(WijkradarError, match="you work in GM9802"):
        intake.import_file(
            ops_factory,
            csv(row("R1")),
            "x.csv",
            mapping(),
            "u",
            gemeente_scope="GM9802",
            threshold=Decimal(50),
        )


def test_xlsx_file_with_real_dates_and_numbers(
    ops_factory: sessionmaker[Session], tmp_path: object
) -> None:
    import io

    import openpyxl
    from ops_helpers import HEADER

    seed_postcodes(ops_factory)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(";"))
    sheet.append(
        [
            "X1",
            "J. Jansen",
            None,
            "1000 AA",
            4,
            None,
            250.5,
            dt.date(2026, 8, 1),
            dt.datetime(2026, 10, 3),
        ]
    )
    sheet.append(["X2", "K. Klaas", None, "1000AA", "5", "b", "75,00", None, "03-10-2026"])
    sheet.append([None] * 9)  # blank rows at the end are ignored
    sheet.append(["X3", "L. Lamme", None, "1000 AA", 6, None, -1, None, dt.date(2026, 10, 3)])
    buffer = io.BytesIO()
    book.save(buffer)
    from decimal import Decimal

    from wijkradar.ops.arrears import intake

    with pytest.raises(ImportRejected) as caught:
        intake.import_file(
            ops_factory,
            buffer.getvalue(),
            "partner.xlsx",
            mapping(),
            "u",
            gemeente_scope=None,
            threshold=Decimal(50),
        )
    assert [(r.row, r.column) for r in caught.value.result.rejected] == [(5, "Bedrag")]
    result = intake.import_file(
        ops_factory,
        buffer.getvalue(),
        "partner.xlsx",
        mapping(),
        "u",
        gemeente_scope=None,
        threshold=Decimal(50),
        skip_invalid=True,
    )
    assert result.added == 2
    with ops_factory() as session:
        got = {
            s.reference: (s.amount, s.signal_date, s.toevoeging)
            for s in session.scalars(select(Signal))
        }
    assert got == {
        "X1": (Decimal("250.50"), dt.date(2026, 10, 3), ""),
        "X2": (Decimal("75.00"), dt.date(2026, 10, 3), "B"),
    }
