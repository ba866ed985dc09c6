"""Triangulation "under the radar": per wijk, partner signals over the last 3/6/12 months beside
the monitor's latest stacking and flags, in four classes (thresholds: methodology
triangulation.yml; method and limits: docs/partners-method.md).

- known_signalled: high stacking, signalled (enough signals in the window);
- under_the_radar: high stacking, not signalled - who is not reaching anyone there?
- emerging: not high in the figures, signals rising;
- quiet: neither.
Every count shown passes compute.disclosure; the class itself only says whether a threshold of
partner reports was crossed, never how many persons.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from wijkradar.compute.disclosure import disclose_count, release_linked
from wijkradar.methodology.triangulation import Triangulation
from wijkradar.ops.partners.area_signals import ALL, months_back
from wijkradar.store.ops_context import WijkFigures

CLASSES = ("known_signalled", "under_the_radar", "emerging", "quiet")


@dataclass(frozen=True)
class Trend:
    """Raw counts of one wijk (overall or one characteristic); kept inside this module."""

    windows: dict[int, int]
    recent: int
    baseline: int
    recent_more: int
    signalled: int

    def rising(self, config: Triangulation) -> bool:
        if self.recent < config.min_recent:
            return False
        per_month_recent = self.recent / config.recent_months
        per_month_base = self.baseline / config.baseline_months
        by_ratio = self.recent > 0 and per_month_recent >= config.ratio * per_month_base
        by_direction = self.recent_more >= config.more_share * self.recent
        return by_ratio or by_direction


@dataclass
class WijkClass:
    code: str
    name: str
    gemeente: str
    stacking: int | None
    flags: tuple[str, ...]
    klass: str
    signalled: bool
    rising: bool
    #: disclosed counts per window (months -> count or None when below the threshold)
    windows: dict[int, int | None]
    #: per characteristic: (flagged in the monitor, disclosed signals in the signalled window,
    #: rising)
    characteristics: dict[str, tuple[bool, int | None, bool]] = field(default_factory=dict)
    arrears_per_1000: float | None = None
    arrears_high: bool = False


def months(month: str, config: Triangulation) -> list[str]:
    """`month` and the months before it, as far back as any window or baseline reaches."""
    longest = max(*config.windows, config.recent_months + config.baseline_months)
    return [months_back(month, i) for i in range(longest)]


def span(month: str, config: Triangulation) -> tuple[str, str]:
    """(first, last) month a classification at `month` reads: pass to monthly_counts."""
    back = months(month, config)
    return back[-1], back[0]


def trend(
    counts: Mapping[tuple[str, str, str], tuple[int, int]],
    wijk: str,
    key: str,
    month: str | list[str],
    config: Triangulation,
) -> Trend:
    """Counts of `wijk` and `key` ('*' or a characteristic) in the windows ending at `month`
    (or at the first of the prepared `months(...)` list)."""
    back = months(month, config) if isinstance(month, str) else month
    per_month = [counts.get((wijk, m, key), (0, 0)) for m in back]
    recent, baseline = config.recent_months, config.baseline_months
    return Trend(
        windows={w: sum(n for n, _ in per_month[:w]) for w in config.windows},
        recent=sum(n for n, _ in per_month[:recent]),
        baseline=sum(n for n, _ in per_month[recent : recent + baseline]),
        recent_more=sum(m for _, m in per_month[:recent]),
        signalled=sum(n for n, _ in per_month[: config.signalled_months]),
    )


def classify_one(
    figures: WijkFigures,
    counts: Mapping[tuple[str, str, str], tuple[int, int]],
    month: str | list[str],
    config: Triangulation,
    characteristics: Iterable[str] = (),
) -> WijkClass:
    back = months(month, config) if isinstance(month, str) else month
    overall = trend(counts, figures.code, ALL, back, config)
    signalled = overall.signalled >= config.min_signals
    rising = overall.rising(config)
    high = (figures.stacking or 0) >= config.high_stacking
    if high:
        klass = "known_signalled" if signalled else "under_the_radar"
    else:
        klass = "emerging" if rising else "quiet"
    per: dict[str, tuple[bool, int | None, bool]] = {}
    for key in characteristics:
        t = trend(counts, figures.code, key, back, config)
        per[key] = (key in figures.flags, disclose_count(t.signalled), t.rising(config))
    return WijkClass(
        code=figures.code,
        name=figures.name,
        gemeente=figures.gemeente,
        stacking=figures.stacking,
        flags=figures.flags,
        klass=klass,
        signalled=signalled,
        rising=rising,
        windows={w: disclose_count(n) for w, n in overall.windows.items()},
        characteristics=per,
    )


def released_windows(
    counts: Mapping[tuple[str, str, str], tuple[int, int]],
    key: str,
    back: list[str],
    windows: Iterable[int],
    ranges: dict[tuple[str, str, int], tuple[int, int]] | None = None,
) -> dict[int, tuple[int | None, dict[str, int | None]]]:
    """Per window (months), the gemeente's count of `key` in the last months of `back` and each
    wijk's, released together (compute.disclosure.release_linked).

    Two kinds of sum link them. The gemeente's count is the sum of its wijken's, and both leave
    (the gemeente's profile, each wijk's profile, the radar pages), so a hidden wijk must not
    follow from subtraction. And the windows of one area are nested: its 6 months are its 3
    months plus months 4-6, so a reader subtracts windows too. Each slice between two windows
    (months 4-6, 7-12) is a figure never shown but protected like a hidden one, and a hidden
    window may not be bracketed by the shown windows around it so tightly that it pins a
    sibling in its gemeente's family. `counts` holds the whole gemeente, so every page that
    shows one wijk computes the same figures. A wijk without signals in a window is a known
    zero (the pages say so) that hides nothing. `ranges`, when given, receives what a reader
    can infer of each window (keys (area, "window", months), area "*" for the gemeente)."""
    spans = sorted(set(windows))
    wijken = sorted({w for (w, _month, k) in counts if k == key})
    per_month = {w: [counts.get((w, m, key), (0, 0))[0] for m in back] for w in wijken}
    gemeente = "*"
    cells: dict[tuple[str, str, int], int] = {}
    for area in (gemeente, *wijken):
        own = (
            [sum(n) for n in zip(*per_month.values(), strict=True)]
            if area == gemeente
            else per_month[area]
        )
        own = own or [0] * len(back)
        for shorter, span in itertools.pairwise((0, *spans)):
            cells[(area, "window", span)] = sum(own[:span])
            if shorter:  # the first slice is the first window itself
                cells[(area, "slice", span)] = sum(own[shorter:span])
    # longest windows first: release_linked frees a pinned figure in that order, and a hidden
    # long window leaves the shorter ones hidden under it unbracketed from above
    raw = dict(sorted(cells.items(), key=lambda item: -item[0][2]))
    sums: list[tuple[tuple[str, str, int], list[tuple[str, str, int]]]] = []
    for span in spans:
        sums.append(((gemeente, "window", span), [(w, "window", span) for w in wijken]))
    for span in spans[1:]:
        sums.append(((gemeente, "slice", span), [(w, "slice", span) for w in wijken]))
    for area in (gemeente, *wijken):
        for shorter, span in itertools.pairwise(spans):
            chain = [(area, "window", shorter), (area, "slice", span)]
            sums.append(((area, "window", span), chain))
    # a slice inside an empty window is empty, and known
    known = {c for c, v in raw.items() if c[1] == "window" and v == 0}
    known |= {(a, "slice", s) for (a, _w, s) in known if (a, "slice", s) in raw}
    unreleased = {c for c in raw if c[1] == "slice"} - known
    sums = [(p, ch) for p, ch in sums if p not in known]
    gemeente_cells = {c for c in raw if c[0] == gemeente}
    # zeros are known, so every other window is known to hold at least one signal
    positive = {c for c, v in raw.items() if c[1] == "window" and v}
    linked = release_linked(
        raw,
        sums,
        unreleased=unreleased,
        known=known,
        hide_last=gemeente_cells,
        positive=positive,
    )
    released = linked.values
    if ranges is not None:
        ranges.update({c: r for c, r in linked.ranges.items() if c[1] == "window"})
        ranges.update({c: (0, 0) for c in known if c[1] == "window"})
    out: dict[int, tuple[int | None, dict[str, int | None]]] = {}
    for span in spans:
        parent = released[(gemeente, "window", span)]
        out[span] = (parent, {w: released[(w, "window", span)] for w in wijken})
    return out


def released_gaps(
    counts: Mapping[tuple[str, str, str], tuple[int, int]],
    back: list[str],
    windows: Iterable[int],
    span: int,
    unserved: Iterable[str],
) -> dict[tuple[str, str], int | None]:
    """The white-spot panel's signals on a characteristic in the last `span` months (one of
    `windows`, the longest shown; a signal counts
    once per characteristic it names) and of those the ones on a characteristic no initiative
    serves (`unserved`), per wijk and for the gemeente ("*"): keys ("signals" | "unmet", area).

    Each is the sum of the characteristic rows the signal panel shows for the same window
    (released_windows per characteristic), so subtracting the shown rows must not pin a hidden
    one; the served part (signals minus unmet) is never shown but follows. Released with the
    rows as they are (their released values and what a reader can infer of them), hiding a
    signals or unmet figure first: with those hidden the rows are as safe as alone, so a row
    never changes for this panel."""
    spans = sorted({*windows, span})
    missing = set(unserved)
    keys = sorted({k for (_w, _m, k) in counts if k != ALL})
    wijken = sorted({w for (w, _m, k) in counts if k != ALL})
    # each row's count in the window, per wijk and for the gemeente, in one pass over counts
    recent = set(back[:span])
    in_window: dict[tuple[str, str], int] = defaultdict(int)
    for (w, m, k), (n, _more) in counts.items():
        if k != ALL and m in recent:
            in_window[(k, w)] += n
            in_window[(k, "*")] += n
    raw: dict[tuple[str, ...], int] = {}
    withheld: set[tuple[str, ...]] = set()
    bounds: dict[tuple[str, ...], tuple[int, int]] = {}
    for key in keys:
        ranges: dict[tuple[str, str, int], tuple[int, int]] = {}
        parent, shown = released_windows(counts, key, back, spans, ranges)[span]
        for area, value in (("*", parent), *((w, shown.get(w)) for w in wijken)):
            cell = ("row", key, area)
            low, high = ranges.get((area, "window", span), (0, 0))
            raw[cell] = in_window.get((key, area), 0)
            bounds[cell] = (low, high)
            if value is None and raw[cell]:  # no signals at all: a known zero
                withheld.add(cell)
    sums: list[tuple[tuple[str, ...], list[tuple[str, ...]]]] = []
    first: set[tuple[str, ...]] = set()
    for area in ("*", *wijken):
        total: list[tuple[str, ...]] = [("row", k, area) for k in keys]
        part: list[tuple[str, ...]] = [("row", k, area) for k in keys if k in missing]
        raw[("signals", area)] = sum(raw[c] for c in total)
        raw[("unmet", area)] = sum(raw[c] for c in part)
        raw[("served", area)] = raw[("signals", area)] - raw[("unmet", area)]
        sums += [(("signals", area), total), (("unmet", area), part)]
        sums.append((("signals", area), [("unmet", area), ("served", area)]))
        first |= {("signals", area), ("unmet", area)}
    for figure in ("signals", "unmet", "served"):
        sums.append(((figure, "*"), [(figure, w) for w in wijken]))
    released = release_linked(
        raw,
        [(p, ch) for p, ch in sums if ch],
        unreleased={("served", a) for a in ("*", *wijken)},
        known={c for c in raw if c[0] == "row" and not raw[c]},
        positive={c for c, v in raw.items() if v and c[0] != "served"},
        withheld=withheld,
        bounds=bounds,
        hide_first=first,
    ).values
    return {(f, a): released[(f, a)] for f in ("signals", "unmet") for a in ("*", *wijken)}


def shown_windows(config: Triangulation) -> tuple[int, ...]:
    """Every window a count of one area is shown for (profile panel, radar pages): released
    together by released_windows, so every page computes the same figures."""
    return tuple(sorted({*config.windows, config.signalled_months}))


def classify(
    wijken: Mapping[str, WijkFigures],
    counts: Mapping[tuple[str, str, str], tuple[int, int]],
    month: str,
    config: Triangulation,
    characteristics: Iterable[str] = (),
    arrears: Mapping[str, int | None] | None = None,
) -> list[WijkClass]:
    """One class per wijk of the monitor; `arrears` (wijk -> arrears households in the
    arrears window, as released: reach.released_households) adds the second fast signal per
    1,000 households where shown."""
    keys = tuple(characteristics)
    back = months(month, config)
    spans = shown_windows(config)
    windows = released_windows(counts, ALL, back, spans)
    overall = {w: windows[w][1] for w in config.windows}
    per_key = {
        k: released_windows(counts, k, back, spans)[config.signalled_months][1] for k in keys
    }
    out = []
    for code in sorted(wijken):
        row = classify_one(wijken[code], counts, back, config, keys)
        # the counts shown: the wijk's share of each family (released_windows)
        row.windows = {w: overall[w].get(code) for w in row.windows}
        row.characteristics = {
            k: (flagged, per_key[k].get(code), rising)
            for k, (flagged, _alone, rising) in row.characteristics.items()
        }
        figures = wijken[code]
        if arrears is not None and figures.households:
            # released already; disclosing again changes no released count (10, 15, ...) and
            # keeps a raw count handed in by mistake from showing
            shown = disclose_count(arrears.get(code))
            if shown is not None:
                # from the rounded count: the exact one over published households gives it back
                row.arrears_per_1000 = round(1000 * shown / figures.households, 1)
                row.arrears_high = row.arrears_per_1000 >= config.arrears_high_per_1000
        out.append(row)
    return out


def summary(rows: Iterable[WijkClass]) -> dict[str, int]:
    """Number of wijken per class (counts of areas, not persons: shown as they are)."""
    out: dict[str, int] = defaultdict(int)
    for row in rows:
        out[row.klass] += 1
    return {k: out.get(k, 0) for k in CLASSES}
