"""Synthetic KWB figures: latent factors per buurt drive every variable, with noise and trends.

Per buurt three latent factors (standard-normal-ish) are drawn once:
  deprivation d = gemeente effect + wijk effect + buurt noise
  age a         = wijk effect + buurt noise        (higher = older population)
  urbanity u    = gemeente level + small buurt noise
Each variable is a smooth function of (d, a, u), a persistent buurt-specific noise term, a small
yearly noise term, a slow trend in t = year - 2019, and a corona term c (1.0 in 2020, 0.6 in 2021,
else 0). Counts are integers at buurt level and summed upwards, so parts never exceed totals and
wijk = sum of buurten, gemeente = sum of wijken. Percentages and means are aggregated as weighted
means (weights named per variable); ratios (per 1 000, density, household size) are recomputed
from the aggregated counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wijkradar.sources.demo.geography import Geography, Unit

Array = NDArray[np.float64]

CORONA = {2020: 1.0, 2021: 0.6}
BASE_YEAR = 2019


@dataclass(frozen=True)
class Spec:
    """One published variable: canonical key, CBS-style title and unit, how it aggregates."""

    key: str
    title: str
    unit: str
    decimals: int
    group: str  # CBS topic group
    agg: str  # sum | mean | ratio | class
    weight: str = ""  # for mean: the count that weighs it


VARIABLES: tuple[Spec, ...] = (
    Spec("AantalInwoners", "Aantal inwoners", "aantal", 0, "Bevolking", "sum"),
    Spec("Mannen", "Mannen", "aantal", 0, "Bevolking", "sum"),
    Spec("Vrouwen", "Vrouwen", "aantal", 0, "Bevolking", "sum"),
    Spec("k_0Tot15Jaar", "0 tot 15 jaar", "aantal", 0, "Bevolking", "sum"),
    Spec("k_15Tot25Jaar", "15 tot 25 jaar", "aantal", 0, "Bevolking", "sum"),
    Spec("k_25Tot45Jaar", "25 tot 45 jaar", "aantal", 0, "Bevolking", "sum"),
    Spec("k_45Tot65Jaar", "45 tot 65 jaar", "aantal", 0, "Bevolking", "sum"),
    Spec("k_65JaarOfOuder", "65 jaar of ouder", "aantal", 0, "Bevolking", "sum"),
    Spec("HuishoudensTotaal", "Huishoudens totaal", "aantal", 0, "Bevolking", "sum"),
    Spec("Eenpersoonshuishoudens", "Eenpersoonshuishoudens", "aantal", 0, "Bevolking", "sum"),
    Spec("HuishoudensZonderKinderen", "Huishoudens zonder kinderen", "aantal", 0, "Bevolking",
         "sum"),
    Spec("HuishoudensMetKinderen", "Huishoudens met kinderen", "aantal", 0, "Bevolking", "sum"),
    Spec("GemiddeldeHuishoudensgrootte", "Gemiddelde huishoudensgrootte", "aantal", 1,
         "Bevolking", "ratio"),
    Spec("Bevolkingsdichtheid", "Bevolkingsdichtheid", "aantal inwoners per km²", 0,
         "Bevolking", "ratio"),
    Spec("GemiddeldeWOZWaardeVanWoningen", "Gemiddelde WOZ-waarde van woningen",
         "x 1 000 euro", 0, "Wonen", "mean", "HuishoudensTotaal"),
    Spec("HuurwoningenTotaal", "Huurwoningen totaal", "%", 0, "Wonen", "mean",
         "HuishoudensTotaal"),
    Spec("InBezitWoningcorporatie", "In bezit woningcorporatie", "%", 0, "Wonen", "mean",
         "HuishoudensTotaal"),
    Spec("OpleidingsniveauLaag", "Opleidingsniveau laag", "aantal", 0, "Onderwijs", "sum"),
    Spec("OpleidingsniveauMiddelbaar", "Opleidingsniveau middelbaar", "aantal", 0, "Onderwijs",
         "sum"),
    Spec("OpleidingsniveauHoog", "Opleidingsniveau hoog", "aantal", 0, "Onderwijs", "sum"),
    Spec("Nettoarbeidsparticipatie", "Nettoarbeidsparticipatie", "%", 1, "Arbeid", "mean",
         "_p1575"),
    Spec("PercentageZelfstandigen", "Percentage zelfstandigen", "%", 1, "Arbeid", "mean",
         "_p1575"),
    Spec("GemiddeldInkomenPerInwoner", "Gemiddeld inkomen per inwoner", "x 1 000 euro", 1,
         "Inkomen", "mean", "AantalInwoners"),
    Spec("k_40PersonenMetLaagsteInkomen", "40% personen met laagste inkomen", "%", 0, "Inkomen",
         "mean", "AantalInwoners"),
    Spec("HuishoudensMetEenLaagInkomen", "Huishoudens met een laag inkomen", "%", 1, "Inkomen",
         "mean", "HuishoudensTotaal"),
    Spec("HuishOnderOfRondSociaalMinimum", "Huishoudens onder of rond sociaal minimum", "%", 1,
         "Inkomen", "mean", "HuishoudensTotaal"),
    Spec("PersonenPerSoortUitkeringBijstand", "Personen per soort uitkering; Bijstand",
         "aantal", 0, "Sociale zekerheid", "sum"),
    Spec("PersonenPerSoortUitkeringAO", "Personen per soort uitkering; AO", "aantal", 0,
         "Sociale zekerheid", "sum"),
    Spec("PersonenPerSoortUitkeringWW", "Personen per soort uitkering; WW", "aantal", 0,
         "Sociale zekerheid", "sum"),
    Spec("PersonenPerSoortUitkeringAOW", "Personen per soort uitkering; AOW", "aantal", 0,
         "Sociale zekerheid", "sum"),
    Spec("JongerenMetJeugdzorgInNatura", "Jongeren met jeugdzorg in natura", "aantal", 0,
         "Zorg", "sum"),
    Spec("PercentageJongerenMetJeugdzorg", "Percentage jongeren met jeugdzorg", "%", 1, "Zorg",
         "ratio"),
    Spec("WmoClienten", "Wmo-cliënten", "aantal", 0, "Zorg", "sum"),
    Spec("WmoClientenRelatief", "Wmo-cliënten relatief", "per 1 000 inwoners", 0, "Zorg",
         "ratio"),
    Spec("GeweldsEnSeksueleMisdrijven", "Gewelds- en seksuele misdrijven", "per 1 000 inwoners",
         1, "Criminaliteit", "mean", "AantalInwoners"),
    Spec("BedrijfsvestigingenTotaal", "Bedrijfsvestigingen totaal", "aantal", 0, "Bedrijven",
         "sum"),
    Spec("GIHandelEnHoreca", "G+I Handel en horeca", "aantal", 0, "Bedrijven", "sum"),
    Spec("AfstandTotHuisartsenpraktijk", "Afstand tot huisartsenpraktijk", "km", 1,
         "Nabijheid voorzieningen", "mean", "AantalInwoners"),
    Spec("AfstandTotGroteSupermarkt", "Afstand tot grote supermarkt", "km", 1,
         "Nabijheid voorzieningen", "mean", "AantalInwoners"),
    Spec("AfstandTotKinderdagverblijf", "Afstand tot kinderdagverblijf", "km", 1,
         "Nabijheid voorzieningen", "mean", "AantalInwoners"),
    Spec("AfstandTotSchool", "Afstand tot school", "km", 1, "Nabijheid voorzieningen", "mean",
         "AantalInwoners"),
    Spec("OppervlakteLand", "Oppervlakte land", "ha", 0, "Oppervlakte", "sum"),
    Spec("MateVanStedelijkheid", "Mate van stedelijkheid", "1-5", 0, "Stedelijkheid", "class"),
)  # fmt: skip

SPECS = {spec.key: spec for spec in VARIABLES}

# Cells CBS keeps secret for very small buurten (income and benefits).
SECRET_WHEN_TINY = (
    "GemiddeldInkomenPerInwoner",
    "k_40PersonenMetLaagsteInkomen",
    "HuishoudensMetEenLaagInkomen",
    "HuishOnderOfRondSociaalMinimum",
    "PersonenPerSoortUitkeringBijstand",
    "PersonenPerSoortUitkeringAO",
    "PersonenPerSoortUitkeringWW",
    "PersonenPerSoortUitkeringAOW",
)
TINY_LIMIT = 50

# Address density (per km², a stand-in for CBS's omgevingsadressendichtheid) -> class 1..5.
_URBAN_CLASS_LIMITS = (2500.0, 1500.0, 1000.0, 500.0)


@dataclass(frozen=True)
class Latent:
    deprivation: Array
    age: Array
    urbanity: Array
    population: Array  # base-year inhabitants
    growth: Array  # yearly growth rate
    area_ha: Array
    noise: Array  # persistent per-buurt noise, one row per use

    @property
    def size(self) -> int:
        return len(self.population)


def draw_latent(geography: Geography, area_ha: Array, seed: int) -> Latent:
    """Latent factors per buurt uid; persistent over the years."""
    rng = np.random.default_rng([seed, 2])
    n = geography.buurt_count
    gm = geography.buurt_gemeente
    n_gm = len(geography.gemeenten)
    gm_dep = rng.normal(0, 0.5, n_gm)
    gm_urb = rng.uniform(-1.0, 1.3, n_gm)
    wijk_of = np.zeros(n, dtype=np.int64)
    w = 0
    for gemeente in geography.gemeenten:
        for wijk in gemeente.wijken:
            wijk_of[wijk.buurten] = w
            w += 1
    wk_dep = rng.normal(0, 0.6, w)
    wk_age = rng.normal(0, 0.5, w)
    deprivation = gm_dep[gm] + wk_dep[wijk_of] + 0.5 * rng.standard_normal(n)
    age = wk_age[wijk_of] + 0.8 * rng.standard_normal(n)
    urbanity = gm_urb[gm] + 0.3 * rng.standard_normal(n)
    density = 250.0 * np.exp(1.1 * urbanity + 0.4 * rng.standard_normal(n))
    population = np.clip(area_ha / 100.0 * density, 80.0, 7000.0)
    tiny = geography.tiny
    population[tiny] = rng.uniform(12, 45, int(tiny.sum()))
    growth = 0.004 + 0.006 * urbanity + 0.004 * rng.standard_normal(n)
    growth[tiny] = 0.0
    return Latent(
        deprivation=deprivation,
        age=age,
        urbanity=urbanity,
        population=population,
        growth=growth,
        area_ha=area_ha,
        noise=rng.standard_normal((24, n)),
    )


def buurt_values(latent: Latent, geography: Geography, year: int, seed: int) -> dict[str, Array]:
    """Every variable (plus helper counts starting with "_") for every buurt uid in `year`."""
    rng = np.random.default_rng([seed, 3, year])
    n = latent.size
    t = float(year - BASE_YEAR)
    c = CORONA.get(year, 0.0)
    d, a, u, z = latent.deprivation, latent.age, latent.urbanity, latent.noise

    def jitter(scale: float) -> Array:
        return scale * rng.standard_normal(n)

    inhabitants = np.rint(latent.population * (1 + latent.growth) ** t * (1 + jitter(0.01)))
    inhabitants = np.maximum(inhabitants, 5)
    inhabitants[geography.tiny] = np.minimum(inhabitants[geography.tiny], TINY_LIMIT - 1)
    v: dict[str, Array] = {"AantalInwoners": inhabitants}
    men = np.rint(inhabitants * np.clip(0.495 + 0.01 * z[0] + jitter(0.003), 0.4, 0.6))
    v["Mannen"], v["Vrouwen"] = men, inhabitants - men

    logits = (
        np.vstack(
            [
                np.log(0.17) - 0.3 * a + 0.05 * d,
                np.log(0.12) + 0.3 * u,
                np.log(0.25) + 0.15 * u - 0.2 * a,
                np.log(0.27) + 0.05 * a,
                np.log(0.19) + 0.6 * a + 0.025 * t,
            ]
        )
        + 0.1 * z[1:6]
    )
    shares = np.exp(logits) / np.exp(logits).sum(axis=0)
    ages = _split_counts(inhabitants, shares)
    for key, row in zip(
        ("k_0Tot15Jaar", "k_15Tot25Jaar", "k_25Tot45Jaar", "k_45Tot65Jaar", "k_65JaarOfOuder"),
        ages,
        strict=True,
    ):
        v[key] = row

    size = np.clip(2.2 - 0.25 * u - 0.15 * a - 0.1 * d + 0.08 * z[6] - 0.005 * t, 1.25, 3.2)
    households = np.maximum(np.rint(inhabitants / size), 1)
    households = np.minimum(households, inhabitants)
    one = np.clip(0.37 + 0.1 * u + 0.07 * a + 0.05 * d + 0.03 * z[7] + 0.003 * t, 0.1, 0.85)
    kids = np.clip((1 - one) * (0.5 - 0.12 * a + 0.03 * z[8]), 0.03, 0.9)
    hh = _split_counts(households, np.vstack([one, kids, 1 - one - kids]))
    v["HuishoudensTotaal"] = households
    v["Eenpersoonshuishoudens"], v["HuishoudensMetKinderen"] = hh[0], hh[1]
    v["HuishoudensZonderKinderen"] = hh[2]

    v["GemiddeldeWOZWaardeVanWoningen"] = (
        290.0 * np.exp(-0.22 * d + 0.12 * u - 0.04 * a + 0.08 * z[9] + jitter(0.01)) * 1.075**t
    )
    rent = _sigmoid(-0.4 + 0.9 * d + 0.6 * u + 0.3 * z[10])
    v["HuurwoningenTotaal"] = 100 * rent
    v["InBezitWoningcorporatie"] = 100 * rent * _sigmoid(0.3 + 0.8 * d + 0.2 * z[11])

    adults = ages[1] + ages[2] + ages[3] + np.rint(0.35 * ages[4])
    low = _sigmoid(-1.0 + 0.8 * d + 0.2 * a - 0.03 * t + 0.15 * z[12])
    high = _sigmoid(-0.6 - 0.8 * d + 0.4 * u + 0.03 * t + 0.15 * z[13]) * (1 - low)
    edu = _split_counts(adults, np.vstack([low, 1 - low - high, high]))
    v["OpleidingsniveauLaag"], v["OpleidingsniveauMiddelbaar"] = edu[0], edu[1]
    v["OpleidingsniveauHoog"] = edu[2]
    v["_p1575"] = np.maximum(adults, 1)

    v["Nettoarbeidsparticipatie"] = np.clip(
        68 - 6 * d - 3 * a + 0.6 * t - 1.5 * c + 2 * z[14] + jitter(0.5), 25, 90
    )
    v["PercentageZelfstandigen"] = np.clip(14 + 2 * u - 1.5 * d + 2 * z[15] + jitter(0.3), 2, 40)
    v["GemiddeldInkomenPerInwoner"] = (
        31.0 * np.exp(-0.18 * d + 0.05 * u + 0.04 * a + 0.05 * z[16]) * 1.03**t - 0.4 * c
    )
    v["k_40PersonenMetLaagsteInkomen"] = np.clip(40 + 14 * d + 2 * u + 3 * z[17], 5, 90)
    low_income = np.clip(7 + 5 * d + 2 * u + 1.2 * z[18] - 0.3 * t + 0.5 * c + jitter(0.3), 0.5, 45)
    v["HuishoudensMetEenLaagInkomen"] = low_income
    v["HuishOnderOfRondSociaalMinimum"] = np.clip(low_income * (1.05 + jitter(0.04)), 0.5, 50)

    v["PersonenPerSoortUitkeringBijstand"] = np.rint(
        inhabitants * 0.025 * np.exp(0.8 * d + 0.2 * u + 0.1 * z[19]) * (1 + 0.05 * c) * 0.98**t
    )
    v["PersonenPerSoortUitkeringAO"] = np.rint(
        inhabitants * 0.045 * np.exp(0.4 * d + 0.2 * a + 0.1 * z[20])
    )
    v["PersonenPerSoortUitkeringWW"] = np.rint(
        inhabitants * 0.015 * np.exp(0.3 * d) * (1 + 0.5 * c) * (1 + jitter(0.05))
    )
    v["PersonenPerSoortUitkeringAOW"] = np.rint(ages[4] * np.clip(0.95 + jitter(0.01), 0.8, 1.0))

    youth = ages[0] + np.rint(0.3 * ages[1])
    v["_youth"] = youth
    care = np.clip(0.1 * np.exp(0.35 * d + 0.1 * z[21]) * (1 + 0.1 * c) * 1.01**t, 0, 0.4)
    v["JongerenMetJeugdzorgInNatura"] = np.rint(youth * care)
    wmo_rate = np.clip(70 * np.exp(0.3 * d + 0.5 * a + 0.1 * z[22]) + 5 * c + 2 * t, 5, 400)
    v["WmoClienten"] = np.rint(inhabitants * wmo_rate / 1000)
    v["GeweldsEnSeksueleMisdrijven"] = np.clip(
        4 * np.exp(0.35 * d + 0.5 * u + 0.2 * z[23] + jitter(0.1)) - 0.4 * c, 0, 60
    )
    firms = np.rint(inhabitants * 0.11 * np.exp(0.25 * u + 0.1 * z[0]))
    v["BedrijfsvestigingenTotaal"] = firms
    v["GIHandelEnHoreca"] = np.rint(firms * _sigmoid(-1.2 + 0.3 * u + 0.1 * z[1]))
    for i, (key, base) in enumerate(
        (
            ("AfstandTotHuisartsenpraktijk", 0.9),
            ("AfstandTotGroteSupermarkt", 0.8),
            ("AfstandTotKinderdagverblijf", 0.7),
            ("AfstandTotSchool", 0.75),
        )
    ):
        v[key] = base * np.exp(-0.5 * u + 0.3 * z[2 + i] + 0.1 * d)
    v["OppervlakteLand"] = np.maximum(np.rint(latent.area_ha), 1)
    return v


def aggregate(values: dict[str, Array], units: tuple[Unit, ...]) -> dict[str, Array]:
    """The figures of `units` (each a set of buurt uids), aggregated as each Spec says."""
    group = np.concatenate([np.full(len(unit.uids), i) for i, unit in enumerate(units)])
    members = np.concatenate([np.asarray(unit.uids, dtype=np.int64) for unit in units])
    n = len(units)

    def total(key: str) -> Array:
        return np.bincount(group, weights=values[key][members], minlength=n).astype(np.float64)

    out: dict[str, Array] = {}
    for key in ("_p1575", "_youth"):
        out[key] = total(key)
    for spec in VARIABLES:
        if spec.agg == "sum":
            out[spec.key] = total(spec.key)
    for spec in VARIABLES:
        if spec.agg == "mean":
            weight = values[spec.weight][members]
            weighted = np.bincount(group, weights=values[spec.key][members] * weight, minlength=n)
            out[spec.key] = weighted / np.maximum(np.bincount(group, weight, minlength=n), 1e-9)
    people = out["AantalInwoners"]
    out["GemiddeldeHuishoudensgrootte"] = people / np.maximum(out["HuishoudensTotaal"], 1)
    out["Bevolkingsdichtheid"] = people / np.maximum(out["OppervlakteLand"] / 100.0, 1e-9)
    out["PercentageJongerenMetJeugdzorg"] = (
        100 * out["JongerenMetJeugdzorgInNatura"] / np.maximum(out["_youth"], 1)
    )
    out["WmoClientenRelatief"] = 1000 * out["WmoClienten"] / np.maximum(people, 1)
    out["MateVanStedelijkheid"] = urban_class(out["Bevolkingsdichtheid"])
    return out


def urban_class(density: Array) -> Array:
    """CBS-like 1 (very strongly urban) .. 5 (not urban) from a density per km²."""
    classes = np.full(len(density), 5.0)
    for value, limit in zip((4.0, 3.0, 2.0, 1.0), reversed(_URBAN_CLASS_LIMITS), strict=True):
        classes[density >= limit] = value
    return classes


def _sigmoid(x: Array) -> Array:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=np.float64)


def _split_counts(totals: Array, shares: Array) -> Array:
    """Integer parts (rows) of integer totals by shares, summing exactly (largest remainder)."""
    shares = np.clip(shares, 0, None)
    shares = shares / np.maximum(shares.sum(axis=0), 1e-12)
    raw = shares * totals
    parts = np.floor(raw)
    short = (totals - parts.sum(axis=0)).astype(np.int64)
    order = np.argsort(-(raw - parts), axis=0)
    for k in range(shares.shape[0]):
        take = short > k
        parts[order[k, take], np.flatnonzero(take)] += 1
    return parts
