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

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from wijkradar.compute.disclosure import disclose_count, release_family
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


def released_window(
    counts: Mapping[tuple[str, str, str], tuple[int, int]],
    key: str,
    back: list[str],
    window: int,
) -> tuple[int | None, dict[str, int | None]]:
    """The gemeente's count of `key` in the last `window` months of `back` and each wijk's,
    released as one family (compute.disclosure.release_family): the gemeente's figure is the sum
    of its wijken's, and both leave (the gemeente's profile, each wijk's profile, the radar
    pages), so a hidden wijk must not follow from subtraction. `counts` holds the whole
    gemeente, so every page that shows one wijk computes the same family. A wijk without
    signals in the window is left out: the pages say so, a known zero that hides nothing."""
    wijken = sorted({w for (w, _month, k) in counts if k == key})
    raw = {w: sum(counts.get((w, m, key), (0, 0))[0] for m in back[:window]) for w in wijken}
    present = [w for w in wijken if raw[w]]
    parent, children = release_family(sum(raw[w] for w in present), [raw[w] for w in present])
    shown = dict(zip(present, children, strict=True))
    return parent, {w: shown.get(w) for w in wijken}


def classify(
    wijken: Mapping[str, WijkFigures],
    counts: Mapping[tuple[str, str, str], tuple[int, int]],
    month: str,
    config: Triangulation,
    characteristics: Iterable[str] = (),
    arrears: Mapping[str, int] | None = None,
) -> list[WijkClass]:
    """One class per wijk of the monitor; `arrears` (wijk -> arrears households in the
    arrears window) adds the second fast signal per 1,000 households where present."""
    keys = tuple(characteristics)
    back = months(month, config)
    overall = {w: released_window(counts, ALL, back, w)[1] for w in config.windows}
    per_key = {k: released_window(counts, k, back, config.signalled_months)[1] for k in keys}
    out = []
    for code in sorted(wijken):
        row = classify_one(wijken[code], counts, back, config, keys)
        # the counts shown: the wijk's share of each family (released_window)
        row.windows = {w: overall[w].get(code) for w in row.windows}
        row.characteristics = {
            k: (flagged, per_key[k].get(code), rising)
            for k, (flagged, _alone, rising) in row.characteristics.items()
        }
        figures = wijken[code]
        if arrears is not None and figures.households:
            n = arrears.get(code, 0)
            shown = disclose_count(n)
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
