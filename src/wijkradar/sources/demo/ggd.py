"""A fictional GGD health-monitor export per wijk, plus the LocalCsv mapping that reads it.

The percentages follow the same latent factors as the KWB figures (population-weighted per wijk):
  poor perceived health  ~ 20 + 5 d + 4 a      psychological distress ~ 9 + 3 d - a + 1.5 c'
  severe loneliness      ~ 10 + 3 d + 2 a      little control         ~ 4 + 2 d + a
with c' = 1 for survey years after the corona crisis began (2020 onwards) and normal noise.
Wijken under 300 inhabitants are '.' (too few respondents), one cell is left empty. The file
uses ';' and a decimal comma, as Dutch spreadsheet exports do.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from wijkradar.sources.demo.figures import Latent
from wijkradar.sources.demo.geography import YearLayout

PUBLISHER = "Wijkradar demo (synthetisch)"
LICENCE = "CC0 1.0 (synthetic)"
SURVEY_YEARS = (2020, 2022)  # the GGD monitor for adults runs every two to four years
MIN_INHABITANTS = 300

COLUMNS = (
    ("ervaren_gezondheid_matig_slecht", "ggd_ervaren_gezondheid_matig_slecht",
     "Ervaren gezondheid matig of slecht", "% van volwassenen (18+) dat de eigen gezondheid "
     "matig of slecht noemt"),
    ("psychische_klachten", "ggd_psychische_klachten", "Psychische klachten",
     "% van volwassenen met een hoog risico op angst of depressie (K10)"),
    ("ernstig_eenzaam", "ggd_ernstig_eenzaam", "Ernstig eenzaam",
     "% van volwassenen dat zich (zeer) ernstig eenzaam voelt"),
    ("weinig_regie", "ggd_weinig_regie", "Weinig regie over eigen leven",
     "% van volwassenen met weinig eigen regie (Pearlin-schaal)"),
)  # fmt: skip


def survey_years(years: list[int]) -> list[int]:
    """The monitor years inside the demo's range; else its last year."""
    chosen = [y for y in SURVEY_YEARS if y in years]
    return chosen or [max(years)]


def write(
    csv_path: Path,
    mapping_path: Path,
    layouts: dict[int, YearLayout],
    latent: Latent,
    seed: int,
) -> None:
    lines = ["wijkcode;jaar;" + ";".join(c[0] for c in COLUMNS) + ";respondenten"]
    weights = latent.population
    for year in survey_years(sorted(layouts)):
        rng = np.random.default_rng([seed, 5, year])
        after_corona = 1.0 if year >= 2020 else 0.0
        for unit in layouts[year].wijken:
            uids = list(unit.uids)
            w = weights[uids] / weights[uids].sum()
            d = float(w @ latent.deprivation[uids])
            a = float(w @ latent.age[uids])
            people = float(weights[uids].sum())
            if people < MIN_INHABITANTS:
                lines.append(f"{unit.code};{year};.;.;.;.;{round(people * 0.05)}")
                continue
            values = (
                20 + 5 * d + 4 * a + rng.normal(0, 1.5),
                9 + 3 * d - a + 1.5 * after_corona + rng.normal(0, 1.0),
                10 + 3 * d + 2 * a + rng.normal(0, 1.2),
                4 + 2 * d + a + rng.normal(0, 0.6),
            )
            cells = [f"{min(max(v, 0.5), 80):.1f}".replace(".", ",") for v in values]
            lines.append(f"{unit.code};{year};" + ";".join(cells) + f";{round(people * 0.05)}")
    # One empty cell: a question the GGD did not ask in one wijk.
    parts = lines[1].split(";")
    if parts[3] != ".":
        parts[3] = ""
        lines[1] = ";".join(parts)
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = {
        "publisher": PUBLISHER,
        "title": "GGD-gezondheidsmonitor per wijk (fictief) — SYNTHETISCHE DEMO / synthetic demo",
        "licence": LICENCE,
        "table_id": "ggd-monitor-demo",
        "region_column": "wijkcode",
        "period_column": "jaar",
        "delimiter": ";",
        "columns": {
            column: {"variable": key, "unit": "%", "title": title, "description": description}
            for column, key, title, description in COLUMNS
        },
    }
    mapping_path.write_text(
        yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
