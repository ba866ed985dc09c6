"""Reach per wijk and month, for analysts and up: counts only, through the disclosure rules.

Definitions (after DDAS: a household is the address a case bundles):
- signals: signals received (signal date in the month), also those not picked up;
- households: distinct addresses with a signal in the month;
- reached: of those, households whose case has a contact attempt with bereikt = ja;
- help accepted: households whose case closed with quick fix / budget advice, or follow-up help
  (financial or not) - codes.HELP_ACCEPTED.
Person-level rows that the retention purge removed live on in reach_aggregates, added here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from wijkradar.compute.disclosure import Linked, release_linked
from wijkradar.methodology.triangulation import load_cached as load_triangulation
from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.arrears import codes
from wijkradar.ops.arrears.cases import NotAllowed
from wijkradar.ops.core.models import (
    Case,
    ContactAttempt,
    Household,
    Partner,
    ReachAggregate,
    Signal,
)

ALL = "*"


@dataclass(frozen=True)
class Fact:
    wijk: str
    month: str
    kind: str
    household: int
    reached: bool
    accepted: bool


@dataclass
class Tally:
    signals: int = 0
    households: set[int] = field(default_factory=set)
    reached: set[int] = field(default_factory=set)
    accepted: set[int] = field(default_factory=set)


@dataclass
class Counts:
    signals: int = 0
    households: int = 0
    reached: int = 0
    accepted: int = 0


def facts(session: Session, gemeente: str, signal_ids: Iterable[int] | None = None) -> list[Fact]:
    """One fact per signal of the gemeente (or only the given signals)."""
    reached = exists().where(ContactAttempt.case_id == Case.id, ContactAttempt.reached.is_(True))
    query = (
        select(
            Signal.id,
            Signal.signal_date,
            Signal.household_id,
            Partner.kind,
            Household.wijk_code,
            Case.result,
            reached,
        )
        .join(Partner, Partner.id == Signal.partner_id)
        .outerjoin(Household, Household.id == Signal.household_id)
        .outerjoin(Case, Case.id == Signal.case_id)
        .where(Signal.gemeente_code == gemeente)
    )
    if signal_ids is not None:
        query = query.where(Signal.id.in_(list(signal_ids)))
    out = []
    for sid, date, household, kind, wijk, result, was_reached in session.execute(query):
        out.append(
            Fact(
                wijk=wijk or "",
                month=f"{date:%Y-%m}",
                kind=kind,
                household=household if household is not None else -sid,
                reached=bool(was_reached),
                accepted=result in codes.HELP_ACCEPTED,
            )
        )
    return out


def tally(rows: Iterable[Fact]) -> dict[tuple[str, str, str], Counts]:
    """(wijk, month, kind or '*') -> counts."""
    tallies: dict[tuple[str, str, str], Tally] = defaultdict(Tally)
    for fact in rows:
        for kind in (fact.kind, ALL):
            t = tallies[(fact.wijk, fact.month, kind)]
            t.signals += 1
            t.households.add(fact.household)
            if fact.reached:
                t.reached.add(fact.household)
            if fact.accepted:
                t.accepted.add(fact.household)
    return {
        key: Counts(t.signals, len(t.households), len(t.reached), len(t.accepted))
        for key, t in tallies.items()
    }


def counts(session: Session, gemeente: str) -> dict[tuple[str, str, str], Counts]:
    """Live facts plus what purges kept."""
    result = tally(facts(session, gemeente))
    for agg in session.scalars(
        select(ReachAggregate).where(ReachAggregate.gemeente_code == gemeente)
    ):
        c = result.setdefault((agg.wijk_code, agg.month, agg.partner_kind), Counts())
        c.signals += agg.signals
        c.households += agg.households
        c.reached += agg.reached
        c.accepted += agg.accepted
    return result


@dataclass(frozen=True)
class ReachRow:
    wijk: str
    month: str
    signals: int | None
    households: int | None
    per_1000: float | None
    reached_pct: int | None
    accepted_pct: int | None
    by_kind: dict[str, int | None]


def _pct(part: int | None, whole: int | None) -> int | None:
    """A share from released counts only: from the exact ones it would give them back (12 of
    14 households is 86 %, which no other pair of counts near 15 gives)."""
    if part is None or not whole:
        return None
    return round(100 * part / whole)


def report(
    session: Session,
    principal: Principal,
    gemeente: str,
    inhabitants: Mapping[str, float | None],
) -> list[ReachRow]:
    """Rows per wijk and month; every count through compute.disclosure."""
    if principal.role not in ("analyst", "coordinator", "admin") or not (
        principal.may_see_aggregates_of(gemeente)
    ):
        raise NotAllowed("no access to the reach figures of this gemeente")
    data = counts(session, gemeente)
    shown = released_signals(data)
    homes = released_households(data, arrears_window()).values
    rows = []
    for (wijk, month, kind), _c in sorted(data.items()):
        if kind != ALL:
            continue
        people = inhabitants.get(wijk)
        signals = shown.cells[(wijk, month)]
        households = homes[("households", wijk, month)]
        rows.append(
            ReachRow(
                wijk=wijk,
                month=month,
                signals=signals,
                households=households,
                # from the released count: the raw one over a published population gives the
                # raw count back
                per_1000=(
                    round(1000 * signals / people, 1) if people and signals is not None else None
                ),
                reached_pct=_pct(homes[("reached", wijk, month)], households),
                accepted_pct=_pct(homes[("accepted", wijk, month)], households),
                by_kind=shown.by_kind[(wijk, month)],
            )
        )
    return rows


@dataclass(frozen=True)
class SignalFigures:
    """The signal counts of a gemeente, released: per (wijk, month), per (wijk, month) and
    partner kind, per wijk over all months, and the gemeente's over all wijken and months;
    `gemeente_range`: what a reader of all of them can infer of the gemeente's (the national
    overview releases its total over the gemeenten with it)."""

    cells: dict[tuple[str, str], int | None]
    by_kind: dict[tuple[str, str], dict[str, int | None]]
    totals: dict[str, int | None]
    gemeente: int | None
    gemeente_range: tuple[int, int] | None = None


#: ("gemeente",), ("wijk", w), ("month", w, m), ("kind", w, m, k), ("kind total", k)
SignalKey = tuple[str, ...]


def signal_sums(
    data: Mapping[tuple[str, str, str], Counts],
) -> tuple[dict[SignalKey, int], list[tuple[SignalKey, list[SignalKey]]]]:
    """The signal counts of a gemeente as figures and the sums between them: ("gemeente",) over
    ("wijk", w), a wijk over its ("month", w, m), a month over its ("kind", w, m, k) (every kind
    of the gemeente, 0 where a month has none), and ("kind total", k) over that kind's months:
    the reach page has a column per kind only where the gemeente has such signals."""
    kinds = sorted({k for (_, _, k) in data if k != ALL})
    cells = sorted((w, m) for (w, m, k) in data if k == ALL)
    wijken = sorted({w for w, _m in cells})
    raw: dict[SignalKey, int] = {("gemeente",): sum(data[(w, m, ALL)].signals for w, m in cells)}
    for wijk in wijken:
        raw[("wijk", wijk)] = sum(data[(w, m, ALL)].signals for w, m in cells if w == wijk)
    for wijk, month in cells:
        raw[("month", wijk, month)] = data[(wijk, month, ALL)].signals
    for wijk, month in cells:
        for kind in kinds:
            got = data.get((wijk, month, kind))
            raw[("kind", wijk, month, kind)] = got.signals if got else 0
    for kind in kinds:
        raw[("kind total", kind)] = sum(raw[("kind", w, m, kind)] for w, m in cells)
    sums: list[tuple[SignalKey, list[SignalKey]]] = [(("gemeente",), [("wijk", w) for w in wijken])]
    sums += [(("wijk", w), [("month", w, m) for x, m in cells if x == w]) for w in wijken]
    if kinds:
        sums += [(("month", w, m), [("kind", w, m, k) for k in kinds]) for w, m in cells]
        sums += [(("kind total", k), [("kind", w, m, k) for w, m in cells]) for k in kinds]
        sums.append((("gemeente",), [("kind total", k) for k in kinds]))
    # a gemeente without signals has no figures to sum (an empty sum would pin its 0)
    return raw, [(parent, children) for parent, children in sums if children]


def released_signals(data: Mapping[tuple[str, str, str], Counts]) -> SignalFigures:
    """Signal counts released as one set of sums (compute.disclosure.release_linked, see
    signal_sums), so none can be worked out by combining them: the gemeente's total is the sum
    of its wijken's (the registers' report beside the white-spot page and the reach page), a
    wijk's the sum of its months, a month's count the sum of its partner kinds (each signal has
    one partner). A kind with no signals in a month is a hidden zero; a wijk or month has a row
    only with signals, and a kind a column only with some, so the reader knows those are not
    zero. The per-kind totals over the gemeente are never shown. The gemeente's total is
    hidden last. A figure hidden to protect another hides what sums to it as well (its months,
    its kinds): shown, they would add up to it again, give or take their rounding."""
    raw, sums = signal_sums(data)
    positive = {key for key, v in raw.items() if key[0] != "kind" and v}
    never = {key for key in raw if key[0] == "kind total"}
    withheld: set[SignalKey] = set()
    while True:
        linked = release_linked(
            raw,
            sums,
            unreleased=never,
            withheld=withheld,
            hide_last={("gemeente",)},
            positive=positive,
        )
        out = linked.values
        hidden = {key for key, v in out.items() if v is None and key not in never}
        # parents come before their children in `sums`, so one pass hides a whole subtree
        for parent, children in sums:
            if parent in hidden:
                hidden.update(children)
        hidden -= never
        if all(out[key] is None for key in hidden):
            break
        withheld = hidden
    cells = {(k[1], k[2]): v for k, v in out.items() if k[0] == "month"}
    by_kind: dict[tuple[str, str], dict[str, int | None]] = {cell: {} for cell in cells}
    for key, value in out.items():
        if key[0] == "kind":
            by_kind[(key[1], key[2])][key[3]] = value
    totals = {k[1]: v for k, v in out.items() if k[0] == "wijk"}
    return SignalFigures(
        cells, by_kind, totals, out[("gemeente",)], linked.ranges.get(("gemeente",))
    )


def wijk_totals(session: Session, principal: Principal, gemeente: str) -> dict[str, int | None]:
    """Signals per wijk over all months, summed before disclosure and released with the
    gemeente's total and the months of the reach report (released_signals)."""
    if not principal.may_see_aggregates_of(gemeente) or principal.role == "outreach":
        raise NotAllowed("no access to the reach figures of this gemeente")
    return released_signals(counts(session, gemeente)).totals


#: per (wijk, month) and for the gemeente: the parts of its households, each pair adding up
PARTS = (("reached", "unreached"), ("accepted", "not_accepted"))
GEMEENTE = "*"


def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def arrears_window() -> int:
    """Months of the radar's arrears window (triangulation.yml `arrears.window_months`): the
    radar shows each wijk's households over it, so the reach page releases them too."""
    return load_triangulation().arrears_months


def released_households(
    data: Mapping[tuple[str, str, str], Counts], window: int = 0
) -> Linked[tuple[str, ...]]:
    """Households, reached and accepted households per (wijk, month) (the reach page: reached
    and accepted as shares of the households) and summed over the gemeente (the registers'
    report), released together (compute.disclosure.release_linked). Reached and not reached add
    up to the households, so households beside reached give the unreached; and the gemeente's
    figures are the sums of its cells'. The unreached, the not accepted and the gemeente's
    accepted are never shown but follow from what is, so they are protected like hidden counts.
    With `window`, also each wijk's households over the `window` months up to every month
    (the radar's arrears per 1,000 households, which any month may be asked for): a window
    is the sum of its months, and two windows a month apart differ by one month at each end.
    Keys: (figure, wijk, month), ("households_window", wijk, last month), and
    (figure, "*", "*") for the gemeente."""
    cells = sorted((w, m) for (w, m, k) in data if k == ALL)
    raw: dict[tuple[str, ...], int] = {}
    for wijk, month in cells:
        c = data[(wijk, month, ALL)]
        raw[("households", wijk, month)] = c.households
        raw[("reached", wijk, month)] = c.reached
        raw[("unreached", wijk, month)] = c.households - c.reached
        raw[("accepted", wijk, month)] = c.accepted
        raw[("not_accepted", wijk, month)] = c.households - c.accepted
    figures = ("households", *(f for pair in PARTS for f in pair))
    for figure in figures:
        raw[(figure, GEMEENTE, GEMEENTE)] = sum(raw[(figure, w, m)] for w, m in cells)
    sums: list[tuple[tuple[str, ...], list[tuple[str, ...]]]] = []
    for wijk, month in [*cells, (GEMEENTE, GEMEENTE)]:
        for pair in PARTS:
            sums.append((("households", wijk, month), [(f, wijk, month) for f in pair]))
    for figure in figures:
        sums.append(((figure, GEMEENTE, GEMEENTE), [(figure, w, m) for w, m in cells]))
    if window:
        for wijk in sorted({w for w, _m in cells if w}):
            own = [_month_index(m) for w, m in cells if w == wijk]
            for end in range(min(own), max(own) + window):
                months = [_month(i) for i in own if end - window < i <= end]
                key = ("households_window", wijk, _month(end))
                raw[key] = sum(raw[("households", wijk, m)] for m in months)
                sums.append((key, [("households", wijk, m) for m in months]))
    never = {key for key in raw if key[0] in ("unreached", "not_accepted")}
    never.add(("accepted", GEMEENTE, GEMEENTE))
    gemeente = {key for key in raw if key[1] == GEMEENTE}
    # a row exists only with a signal, so with at least one household
    positive = {
        key for key, v in raw.items() if key[0] in ("households", "households_window") and v
    }
    return release_linked(raw, sums, unreleased=never, hide_last=gemeente, positive=positive)


@dataclass(frozen=True)
class GemeenteReach:
    """A gemeente's early signals summed over wijken and months, released."""

    signals: int | None
    households: int | None
    reached: int | None


def released_gemeenten(
    per_gemeente: Mapping[str, Mapping[tuple[str, str, str], Counts]],
) -> tuple[GemeenteReach | None, dict[str, GemeenteReach]]:
    """Each gemeente's totals (its own linked sums: released_signals, released_households) and
    the national totals over them, released together: the national overview's total minus the
    gemeente reports' totals must not pin a gemeente hidden there. The national figures sum the
    gemeenten's, and households the reached and unreached; where a reader could pin a figure,
    a national figure is hidden first - a gemeente's figures stand on its reach page and report
    with their own sums, and hiding one there would hide its wijken and months too. With
    the national figures hidden the gemeenten are as safe as alone, so no gemeente figure is
    ever hidden here. National: None when no gemeente has signals."""
    raw: dict[tuple[str, str], int] = {}
    withheld: set[tuple[str, str]] = set()
    bounds: dict[tuple[str, str], tuple[int, int]] = {}
    own: dict[str, GemeenteReach] = {}
    window = arrears_window()
    for code, data in sorted(per_gemeente.items()):
        signals = released_signals(data)
        homes = released_households(data, window)
        total = (GEMEENTE, GEMEENTE)
        own[code] = GemeenteReach(
            signals.gemeente,
            homes.values[("households", *total)],
            homes.values[("reached", *total)],
        )
        cells = [c for (_w, _m, k), c in data.items() if k == ALL]
        raw[("signals", code)] = sum(c.signals for c in cells)
        if signals.gemeente is None:
            withheld.add(("signals", code))
        if signals.gemeente_range is not None:
            bounds[("signals", code)] = signals.gemeente_range
        raw[("households", code)] = sum(c.households for c in cells)
        raw[("reached", code)] = sum(c.reached for c in cells)
        raw[("unreached", code)] = raw[("households", code)] - raw[("reached", code)]
        for figure in ("households", "reached", "unreached"):
            bounds[(figure, code)] = homes.ranges[(figure, *total)]
            if homes.values[(figure, *total)] is None:
                withheld.add((figure, code))
    if not own or not any(raw[("signals", code)] for code in own):
        return None, own
    figures = ("signals", "households", "reached", "unreached")
    for figure in figures:
        raw[(figure, "NL")] = sum(raw[(figure, code)] for code in own)
    sums = [((f, "NL"), [(f, code) for code in own]) for f in figures]
    sums += [(("households", key), [("reached", key), ("unreached", key)]) for key in ("NL", *own)]
    national = {(f, "NL") for f in figures}
    out = release_linked(
        raw,
        sums,
        unreleased={("unreached", "NL")},
        withheld=withheld,
        bounds=bounds,
        hide_first=national,
        # a gemeente in the overview has signals, so households (its report says so)
        positive={key for key, v in raw.items() if key[0] in ("signals", "households") and v},
    ).values
    return GemeenteReach(
        out[("signals", "NL")], out[("households", "NL")], out[("reached", "NL")]
    ), own
