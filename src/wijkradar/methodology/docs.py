"""Render docs/methodology.md from the methodology YAML, so the page cannot drift from the data.

`python -m wijkradar.methodology.docs > docs/methodology.md` regenerates it; a test fails when the
committed page differs from render(load()).
"""

from __future__ import annotations

import sys

from wijkradar.compute import disclosure
from wijkradar.domain.methodology import Methodology
from wijkradar.methodology.analysis import load_analysis
from wijkradar.methodology.loader import load

_INTRO = """\
# Wijkradar methodology {version}

*Generated from `methodology/{version}/` by `python -m wijkradar.methodology.docs`; do not edit
by hand. Checksum of the version's files: `{checksum}`.*

Wijkradar follows where the twelve risk characteristics of the TNO system analysis (final report
"Herstelopgave 1 – Kwetsbare Groepen", §2) stack in gemeenten, wijken and buurten, year by year.
It works in the spirit of the CDC Social Vulnerability Index: rank areas, average the ranks per
characteristic, flag the top decile and count the flags.

## How a score is made

All steps run per level (gemeente, wijk, buurt) and year, against a **reference**: the areas of the
same level inside the reference area form the population that is ranked. Stored references: NL01
for every level, each provincie for the levels below it, each gemeente for its own wijken and
buurten.

1. **Indicator value** from source variables (see the catalogue below):
   `value = scale × numerator / Σ denominator`, or the numerator itself. An input the publisher
   suppressed makes the value *suppressed*; a missing input or a zero denominator makes it
   *missing*. Areas with fewer than **{min_population}** inhabitants (`{population_variable}`) get
   status *too_small* and no value. {min_population_reason}
2. **Percentile** per indicator: `p = 100 × (r − 1) / (n − 1)`, with `r` the rank among the `n`
   areas of the reference that have a value. Ties get the average of their ranks. Suppressed,
   missing and too-small values are left out of `n` and keep their status: they are never ranked
   as zero. Indicators where a higher value means *less* vulnerable are negated first, so a higher
   percentile always means more vulnerable.
3. **Characteristic score** `S = mean(p)` over its indicators that have a percentile. A missing
   indicator never lowers a score; the number used is stored (`n_indicators`). No indicator: no
   score.
4. **Flag** when the percentile of `S` among the reference's areas is at least
   `100 × (1 − {top_share})` (the top {top_pct} %). {flag_reason}
5. **Stacking** = the number of flagged risk characteristics (0–12). A **toxic mix** is stacking
   ≥ **{toxic}**.
6. **Theme score** `T = Σ w·S / Σ w` over the characteristics with a score, with the weights `w`
   of the framework below. When the available weight is below {theme_share_pct} % of the theme's
   total weight, the theme has no score.
7. **Overall index** = mean of the risk characteristic scores{transform_text}.
8. **Protection** = `100 − mean(S)` over the protective factors (their indicators are oriented so
   that a higher percentile means less protection); higher is better protected.
9. An area needs at least **{min_chars}** scored risk characteristics; otherwise its status is
   *insufficient_data* and stacking, index and themes are empty, never a guess.
10. **Change** against every earlier year: `Δ stacking` and `Δ index`. When the area's code did
    not exist in the earlier year or the region changed in between (merged, split, new
    boundary), the change is a *break* and has no value. A code that was only renumbered (the
    region changes link it one-to-one to an old code) is compared with the old code's scores.
    Percentiles are relative to their own year: a change means the area moved against the
    others.

The IMD exponential transform (option `index_transform: imd_exponential`) maps each characteristic
score's rank `R = r / n` to `X = −23 × ln(1 − R × (1 − e^(−100/23)))` before averaging, as the
English Indices of Deprivation do with their domains, so a very high score on one characteristic is
not cancelled by low scores on others.

## Disclosure

Every number that leaves Wijkradar passes through `wijkradar.compute.disclosure`: counts of persons
or households from local or operational sources below **{suppress}** are not shown, other such
counts are rounded to a multiple of **{round_to}**. Where such a count leaves beside the counts it
is the sum of (a gemeente and its wijken, a wijk and its buurten or months), rounding alone does not
stop subtraction, so the smallest shown one of the family is hidden too until no hidden count
can be narrowed to fewer than two values (`release_family`, secondary suppression; where it
applies and where not: docs/architecture.md). Figures CBS already published (CBS applied its
own disclosure control), percentages of them, percentiles and scores pass unchanged.

## Partner signals beside the figures

What local partners see (area signals in the workspace) is set beside the latest stacking and
flags in four classes: known and signalled, under the radar, emerging, quiet. The method, its
thresholds (methodology data in `triangulation.yml`), their reasons and its limits are on
[partners-method.md](partners-method.md).
"""


def render(m: Methodology) -> str:
    s = m.settings
    transform = (
        ", after the IMD exponential transform" if s.index_transform == "imd_exponential" else ""
    )
    out = [
        _INTRO.format(
            version=m.version,
            checksum=m.checksum,
            min_population=s.min_population,
            population_variable=s.population_variable,
            min_population_reason=s.min_population_reason,
            top_share=f"{s.flag_top_share:g}",
            top_pct=f"{100 * s.flag_top_share:g}",
            flag_reason=s.flag_reason,
            toxic=s.toxic_mix_threshold,
            theme_share_pct=f"{100 * s.min_theme_weight_share:g}",
            transform_text=transform,
            min_chars=s.min_characteristics,
            suppress=disclosure.SUPPRESS_BELOW,
            round_to=disclosure.ROUND_TO,
        )
    ]
    out.extend(_analysis_section(m.version))
    out.append("## Risk characteristics and their indicators\n")
    for c in (*m.risk_characteristics, *m.protective_factors):
        head = f"{c.number}. " if c.number else "Protective factor: "
        out.append(f"### {head}{c.labels.en} ({c.labels.nl})\n")
        if c.gap:
            out.append(f"*Gap:* {c.gap}\n")
        inds = m.indicators_for(c.id)
        if not inds:
            out.append("No indicator in this version.\n")
            continue
        out.append("| indicator | unit | direction | kind | how obtained |")
        out.append("|---|---|---|---|---|")
        for i in inds:
            how = "; ".join(
                f"{d.source} {d.from_year}–{d.to_year or ''}: `{d.formula()}`"
                for d in i.derivations
            )
            direction = "higher = worse" if i.polarity == "higher_is_worse" else "higher = better"
            kind = i.measure + (f" ({i.proxy_reason})" if i.proxy_reason else "")
            out.append(
                f"| **{i.labels.en}** (`{i.id}`): {i.definition} | {i.unit} | {direction} | "
                f"{kind} | {how} |"
            )
        out.append("")
    for f in m.frameworks:
        out.append(f"## Framework: {f.labels.en} (`{f.id}`)\n")
        out.append("Weights: 0 = barely, 1 = some, 2 = clear, 3 = strong correlation.\n")
        out.append("| characteristic | " + " | ".join(t.labels.en for t in f.themes) + " |")
        out.append("|---|" + "---|" * len(f.themes))
        for c in m.risk_characteristics:
            cells = [str(f.weight(c.id, t.id)) for t in f.themes]
            out.append(f"| {c.number} {c.labels.en} | " + " | ".join(cells) + " |")
        out.append("\nWhy each weight:\n")
        for w in f.weights:
            if w.weight > 0:
                out.append(
                    f"- {m.characteristic(w.characteristic).labels.en} × {w.theme}: "
                    f"{w.weight} — {w.why}"
                )
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _analysis_section(version: str) -> list[str]:
    """Uncertainty, hotspots, peer groups, validity: what the version sets, and where the method
    and its limits are written out (docs/uncertainty.md, by hand: formulas do not live in YAML)."""
    out = ["## Uncertainty, hotspots, comparisons and validity\n"]
    settings = load_analysis(version)
    if settings is None:
        out.append(
            f"Methodology {version} has no `uncertainty.yml`: builds with it compute no intervals,"
            " flag probabilities, hotspots or peer groups. The method is described in"
            " [uncertainty.md](uncertainty.md).\n"
        )
        return out
    units = ", ".join(f"{u} (scale {s:g})" for u, s in settings.binomial_units)
    out.append(
        f"Set in `methodology/{version}/uncertainty.yml`; the method and its limits are in"
        " [uncertainty.md](uncertainty.md).\n"
    )
    out.append("| setting | value |")
    out.append("|---|---|")
    rows = [
        ("interval level", f"{settings.confidence:g}"),
        ("simulation draws / seed", f"{settings.draws} / {settings.seed}"),
        ("references simulated", ", ".join(settings.references)),
        ("published margins", f"`<key>{settings.lower_suffix}`, `<key>{settings.upper_suffix}`"),
        ("binomial model for units", units),
        ("no binomial model", ", ".join(settings.binomial_exclude) or "–"),
        (
            "certain / likely (share of draws agreeing)",
            f"{settings.certain:g} / {settings.likely:g}",
        ),
        (
            "hotspots",
            f"Getis-Ord Gi*, queen contiguity (within {settings.neighbour_tolerance_m:g} m),"
            f" {settings.hotspot_correction}, alpha {settings.hotspot_alpha:g}",
        ),
        (
            "peer group",
            f"{settings.peer_size} nearest gemeenten on "
            + ", ".join(f"{v.variable} ({v.transform})" for v in settings.peer_variables),
        ),
    ]
    out.extend(f"| {k} | {v} |" for k, v in rows)
    out.append("")
    return out


if __name__ == "__main__":
    sys.stdout.write(render(load(sys.argv[1] if len(sys.argv) > 1 else None)))
