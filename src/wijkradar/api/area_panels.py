"""The area profile's two panels from the operational store, beside the monitor's figures:
partner signals (issue 10: counts over the triangulation windows, their direction, the radar
class) and white spots (issue 11: flagged characteristics and groups against the initiatives
serving them, and the unmet share of signals).

Every count of signals leaves through reports.outgoing.release (small counts never shown);
no free text and no partner is named. Without an operational store each panel says so.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Mapping

import duckdb
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.methodology.cache import load_cached
from wijkradar.methodology.triangulation import Triangulation
from wijkradar.methodology.triangulation import load_cached as load_triangulation
from wijkradar.ops.core import clock
from wijkradar.ops.partners import area_signals, radar
from wijkradar.registers import fitgap, groups
from wijkradar.reports.outgoing import rules_summary
from wijkradar.store.ops_context import wijk_figures_on

Counts = Mapping[tuple[str, str, str], tuple[int, int]]
LEVELS = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}


class WindowCount(BaseModel):
    months: int
    signals: int | None = Field(
        description="signals in the last `months` months, rounded to 5; null below 10"
    )
    status: str = Field(description="ok | suppressed (below the small-number threshold)")


class SignalTopic(BaseModel):
    characteristic: str
    label: str
    flagged: bool = Field(description="flagged in the monitor's latest figures")
    windows: list[WindowCount]
    direction: str | None = Field(
        description="more | same | less (triangulation.yml); null while the counts are not shown"
    )


class SignalsPanel(BaseModel):
    """Partner signals of an area (a gemeente: summed over its wijken)."""

    code: str
    level: str
    state: str = Field(
        description="ok | no_store (no operational store) | no_signals | per_wijk (a buurt: "
        "signals are counted per wijk, see `wijk`) | not_applicable (land, provincie)"
    )
    month: str | None = None
    methodology_version: str | None = None
    overall: list[WindowCount] = Field(default_factory=list)
    direction: str | None = None
    topics: list[SignalTopic] = Field(default_factory=list)
    radar_class: str | None = Field(
        default=None,
        description="a wijk's class: known_signalled | under_the_radar | emerging | quiet",
    )
    classes: dict[str, int] | None = Field(
        default=None, description="a gemeente: number of its wijken per class (areas, not persons)"
    )
    wijk: str | None = None
    workspace: str | None = Field(default=None, description="the workspace page (login)")
    disclosure: str = ""


class GapTopic(BaseModel):
    characteristic: str
    label: str
    initiatives: list[str] = Field(description="local initiatives serving it in the gemeente")
    white_spot: bool
    link: str = Field(description="the initiatives register, filtered to it")


class GapGroup(BaseModel):
    group: str
    label: str
    white_spot: bool


class GapArea(BaseModel):
    code: str
    name: str
    white_spots: int = Field(description="flagged characteristics nothing serves there")
    profile: str


class GapPanel(BaseModel):
    """White spots of an area: high need, nothing in place (registers/fitgap.py)."""

    code: str
    level: str
    state: str = Field(
        description="ok | no_store (no operational store) | not_applicable (land, provincie, "
        "or an area without scores in `year`)"
    )
    year: int | None = None
    flagged: list[GapTopic] = Field(default_factory=list)
    groups: list[GapGroup] = Field(default_factory=list)
    signals: WindowCount | None = Field(
        default=None,
        description="partner signals on a characteristic (one per characteristic named) in the "
        "longest window",
    )
    unmet_signals: WindowCount | None = Field(
        default=None, description="of which on a characteristic no local initiative serves"
    )
    unmet_share: float | None = Field(
        default=None, description="percentage, from the shown (rounded) counts only"
    )
    wijken: list[GapArea] = Field(default_factory=list, description="a gemeente: its wijken")
    register_page: str = ""


def _count(months: int, shown: int | None) -> WindowCount:
    return WindowCount(months=months, signals=shown, status="suppressed" if shown is None else "ok")


def family_windows(
    counts: Counts, gemeente: str, key: str, back: list[str], config: Triangulation
) -> dict[str, list[WindowCount]]:
    """The windows of `key` for the gemeente and each of its wijken, released together
    (radar.released_windows, the same figures as the radar pages): a hidden count cannot be
    found by subtracting the other wijken from the gemeente, nor one window from another."""
    out: dict[str, list[WindowCount]] = defaultdict(list)
    released = radar.released_windows(counts, key, back, radar.shown_windows(config))
    for months in config.windows:
        parent, wijken = released[months]
        out[gemeente].append(_count(months, parent))
        for w, shown in wijken.items():
            out[w].append(_count(months, shown))
    return out


def direction(trend: radar.Trend, config: Triangulation) -> str:
    """more: rising by the radar's rule; less: the mirror of it (the baseline's monthly rate at
    least `ratio` times the recent one, over at least `min_recent` signals); else same."""
    if trend.rising(config):
        return "more"
    per_recent = trend.recent / config.recent_months
    per_base = trend.baseline / config.baseline_months
    if trend.baseline >= config.min_recent and per_base >= config.ratio * per_recent:
        return "less"
    return "same"


def _merged(counts: Counts, code: str) -> dict[tuple[str, str, str], tuple[int, int]]:
    """The counts of a wijk, or of all wijken of a gemeente summed, under the area's code."""
    out: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for (wijk, month, key), (n, more) in counts.items():
        if code.startswith("GM") or wijk == code:
            cell = out[(code, month, key)]
            cell[0] += n
            cell[1] += more
    return {k: (v[0], v[1]) for k, v in out.items()}


@functools.cache
def _terms(lang: str) -> dict[str, dict[str, str]]:
    """Characteristic and group names (methodology and the groups' seed file: fixed while the
    server runs), read once per language."""
    return groups.terms(lang)


@functools.cache
def _labels(lang: str) -> dict[str, str]:
    return {c.id: getattr(c.labels, lang) for c in load_cached().risk_characteristics}


def signals_panel(
    factory: sessionmaker[Session] | None,
    con: duckdb.DuckDBPyConnection,
    code: str,
    flagged: list[str],
    lang: str,
) -> SignalsPanel:
    level = LEVELS.get(code[:2], "")
    base = SignalsPanel(
        code=code, level=level or "other", state="ok", disclosure=rules_summary(lang)
    )
    if level == "":
        base.state = "not_applicable"
        return base
    if level == "buurt":
        base.state, base.wijk = "per_wijk", "WK" + code[2:8]
        return base
    if factory is None:
        base.state = "no_store"
        return base
    config = load_triangulation()
    month = f"{clock.today():%Y-%m}"
    back = radar.months(month, config)
    gemeente = "GM" + code[2:6]
    with factory() as session, session.begin():
        counts = area_signals.monthly_counts(session, gemeente)
    # the class first: a wijk high in the figures without any signal is "under the radar"
    figures = wijk_figures_on(con, gemeente)
    if level == "wijk":
        base.workspace = f"/werk/radar/{code}"
        if code in figures:
            base.radar_class = radar.classify_one(figures[code], counts, back, config).klass
    else:
        base.workspace = f"/werk/radar?gemeente={code}"
        base.classes = radar.summary(radar.classify(figures, counts, month, config))
    base.month, base.methodology_version = month, config.version
    mine = _merged(counts, code)
    if not any(mine.get((code, m, area_signals.ALL), (0, 0))[0] for m in back):
        base.state = "no_signals"
        return base
    labels = _labels(lang)
    overall = radar.trend(mine, code, area_signals.ALL, back, config)
    base.overall = family_windows(counts, gemeente, area_signals.ALL, back, config)[code]
    longest = max(config.windows)
    shown = base.overall[config.windows.index(longest)].signals is not None
    base.direction = direction(overall, config) if shown else None
    for key in labels:
        t = radar.trend(mine, code, key, back, config)
        if not t.windows[longest] and key not in flagged:
            continue
        family = family_windows(counts, gemeente, key, back, config)
        windows = family.get(code) or [_count(w, None) for w in config.windows]
        base.topics.append(
            SignalTopic(
                characteristic=key,
                label=labels[key],
                flagged=key in flagged,
                windows=windows,
                direction=direction(t, config) if windows[-1].signals is not None else None,
            )
        )
    return base


def unmet(counts: Counts, code: str, serving: Mapping[str, object], months: int) -> tuple[int, int]:
    """(signals on a characteristic, of which on one nothing serves), raw, last `months`."""
    back = set(radar.months(f"{clock.today():%Y-%m}", load_triangulation())[:months])
    total = missed = 0
    for (_area, month, key), (n, _more) in _merged(counts, code).items():
        if key == area_signals.ALL or month not in back:
            continue
        total += n
        missed += n if key not in serving else 0
    return total, missed


def _gap_family(
    counts: Counts, gemeente: str, code: str, serving: Mapping[str, object], months: int
) -> tuple[WindowCount, WindowCount]:
    """(signals, of which unmet) of `code`, released with the gemeente and its wijken and with
    the characteristic rows of the signal panel they add up (radar.released_gaps)."""
    config = load_triangulation()
    back = radar.months(f"{clock.today():%Y-%m}", config)
    keys = {k for (_w, _m, k) in counts if k != area_signals.ALL}
    figures = radar.released_gaps(
        counts, back, radar.shown_windows(config), months, keys - set(serving)
    )
    area = "*" if code == gemeente else code
    return _count(months, figures.get(("signals", area))), _count(
        months, figures.get(("unmet", area))
    )


def gap_panel(
    con: duckdb.DuckDBPyConnection,
    factory: sessionmaker[Session] | None,
    code: str,
    year: int | None,
    lang: str,
) -> GapPanel:
    level = LEVELS.get(code[:2], "other")
    gemeente = "GM" + code[2:6]
    base = GapPanel(code=code, level=level, state="ok", year=year)
    # the register's gemeente page has a row per wijk: a buurt points to its wijk's row
    row = "" if level == "gemeente" else f"#area-WK{code[2:8]}"
    base.register_page = f"/registers/witte-vlekken/{gemeente}{row}"
    if level == "other":
        base.state = "not_applicable"
        return base
    if factory is None:
        base.state = "no_store"
        return base
    terms = _terms(lang)
    with factory() as session, session.begin():
        serving = fitgap.serving(session, gemeente)
        gap = fitgap.area_gap(con, session, code, year, serving)
        if gap is None:
            base.state = "not_applicable"
            return base
        counts = area_signals.monthly_counts(session, gemeente) if level != "buurt" else {}
        wijken = (
            fitgap.area_gaps(con, session, gemeente, "wijk", year) if level == "gemeente" else []
        )
    chars = terms["characteristic"]
    for c in gap.flagged:
        base.flagged.append(
            GapTopic(
                characteristic=c,
                label=chars.get(c, c),
                initiatives=gap.covered.get(c, []),
                white_spot=c in gap.white_spots,
                link=f"/registers/initiatieven?gemeente={gemeente}&kenmerk={c}",
            )
        )
    base.groups = [
        GapGroup(group=g, label=terms["group"].get(g, g), white_spot=g in gap.group_white_spots)
        for g in gap.groups_in_need
    ]
    if counts:
        months = max(load_triangulation().windows)
        total, _missed = unmet(counts, code, serving, months)
        if total:
            base.signals, base.unmet_signals = _gap_family(counts, gemeente, code, serving, months)
            shown, gone = base.signals.signals, base.unmet_signals.signals
            if shown and gone is not None:
                base.unmet_share = round(100 * gone / shown)
    base.wijken = [
        GapArea(
            code=w.code, name=w.name, white_spots=len(w.white_spots), profile=f"/gebied/{w.code}"
        )
        for w in wijken
    ]
    return base
