"""Monthly figures in DDAS form: counts per DDAS code, ready to compare nationally.

One CSV row per (object, attribute, DDAS value) with the count for the month: Vroegsignaal
by Signaalpartner type and by status; Vroegsignaalzaak by Eindresultaat (cases closed in the
month); Contactpoging by soort and bereikt. Values are the DDAS texts (codes.py). Exact counts:
the export is for the coordinator (audited), who already sees the person-level records.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkradar.ops.arrears import codes
from wijkradar.ops.core.models import Case, ContactAttempt, Partner, Signal

HEADER = ["gemeente", "maand", "object", "attribuut", "waarde", "aantal"]


def _next_month(start: dt.date) -> dt.date:
    return (start + dt.timedelta(days=32)).replace(day=1)


def monthly(session: Session, gemeente: str, start: dt.date) -> str:
    end = _next_month(start)
    month = f"{start:%Y-%m}"
    counts: Counter[tuple[str, str, str]] = Counter()
    for kind, status in session.execute(
        select(Partner.kind, Signal.status)
        .join(Partner)
        .where(
            Signal.gemeente_code == gemeente, Signal.signal_date >= start, Signal.signal_date < end
        )
    ):
        counts[("Vroegsignaal", "type", codes.PARTNER_KINDS[kind])] += 1
        value = "Opgepakt" if status == codes.PICKED_UP else codes.SIGNAL_STATUSES[status]
        counts[("Vroegsignaal", "status", value)] += 1
    for (result,) in session.execute(
        select(Case.result).where(
            Case.gemeente_code == gemeente, Case.closed_on >= start, Case.closed_on < end
        )
    ):
        if result is not None:
            counts[("Vroegsignaalzaak", "resultaat", codes.END_RESULTS[result])] += 1
    for kind, reached in session.execute(
        select(ContactAttempt.kind, ContactAttempt.reached)
        .join(Case, Case.id == ContactAttempt.case_id)
        .where(Case.gemeente_code == gemeente, ContactAttempt.on >= start, ContactAttempt.on < end)
    ):
        counts[("Contactpoging", "soort", codes.CONTACT_KINDS[kind])] += 1
        counts[("Contactpoging", "bereikt", "true" if reached else "false")] += 1
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    for (obj, attribute, value), n in sorted(counts.items()):
        writer.writerow([gemeente, month, obj, attribute, value, n])
    return out.getvalue()
