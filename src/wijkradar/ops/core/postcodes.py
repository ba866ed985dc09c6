"""The postcode-huisnummer -> buurt table (CBS publishes one per year; the demo makes one)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.domain import WijkradarError
from wijkradar.ops.core import addresses
from wijkradar.ops.core.models import PostcodeBuurt
from wijkradar.ops.core.sqlutil import chunks

_CODES = (
    ("buurt", re.compile(r"^BU\d{8}$")),
    ("wijk", re.compile(r"^WK\d{6}$")),
    ("gemeente", re.compile(r"^GM\d{4}$")),
)


def load_table(factory: sessionmaker[Session], rows: Iterable[list[str]], source: str) -> int:
    """Rows postcode;huisnummer;buurt;wijk;gemeente (a header row is skipped). One transaction."""
    records: dict[tuple[str, int], PostcodeBuurt] = {}
    for number, cells in enumerate(rows, start=1):
        if number == 1 and cells and cells[0].strip().lower() == "postcode":
            continue
        if len(cells) != 5:
            raise WijkradarError(f"{source}: row {number}: expected 5 columns, found {len(cells)}")
        pc = addresses.postcode(cells[0])
        nr = addresses.house_number(cells[1])
        if pc is None or nr is None:
            raise WijkradarError(f"{source}: row {number}: expected a postcode and house number")
        for (name, pattern), value in zip(_CODES, cells[2:], strict=True):
            if not pattern.match(value.strip()):
                raise WijkradarError(
                    f"{source}: row {number}, column {name}: expected a code like "
                    f"{pattern.pattern}, found {value.strip()[:12]!r}"
                )
        records[(pc, nr)] = PostcodeBuurt(
            postcode=pc,
            huisnummer=nr,
            buurt_code=cells[2].strip(),
            wijk_code=cells[3].strip(),
            gemeente_code=cells[4].strip(),
        )
    with factory() as session, session.begin():
        for batch in chunks({pc for pc, _ in records}):
            session.execute(delete(PostcodeBuurt).where(PostcodeBuurt.postcode.in_(batch)))
        session.add_all(records.values())
    return len(records)
