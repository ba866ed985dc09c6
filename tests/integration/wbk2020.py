"""A test-side reader for the Wijk- en Buurtkaart 2020 gemeente attributes in ../shared/data
(kwb/wbk2020_gemeente_kwb_nabijheid_buurtvergelijker.csv: Dutch labels as column names), mapped
to the CBS KWB keys the methodology derives its indicators from, so tests can score real
gemeenten. Percentages of a count are turned back into counts (share × total), as KWB publishes
counts for those keys.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from wijkradar.domain import OBSERVATION_SCHEMA, Level, Provenance, Region
from wijkradar.domain.provenance import sha256_bytes
from wijkradar.sources.base import Progress, SourceResult, no_progress

FILE = "kwb/wbk2020_gemeente_kwb_nabijheid_buurtvergelijker.csv"
YEAR = 2020
INHABITANTS = "Aantal inwoners"
HOUSEHOLDS = "Aantal huishoudens"
# CBS key -> (column, multiply by the column named, divided by 100) or (column, None)
DIRECT = {
    "AantalInwoners": "Aantal inwoners",
    "Bevolkingsdichtheid": "Bevolkinsdichtheid (aantal inwoners per km2)",
    "HuishoudensTotaal": HOUSEHOLDS,
    "PersonenPerSoortUitkeringWW": "Aantal werkloosheiduitkeringen",
    "PersonenPerSoortUitkeringBijstand": "Aantal algemene bijstandsuitkeringen",
    "PersonenPerSoortUitkeringAO": "Aantal arbeidsongeschiktheidsuitkeringen",
    "GIHandelEnHoreca": "Aantal vestigingen handel en horeca",
    "BedrijfsvestigingenTotaal": "Aantal totale bedrijfsvestigingen",
    "HuishoudensMetEenLaagInkomen": "Huishoudens met een laag inkomen(%)",
    "HuishOnderOfRondSociaalMinimum": "Huishoudens onder of rond sociaal minimum (%)",
    "GemiddeldInkomenPerInwoner": "Gemiddeld inkomen per inwoner (x1000 euro)",
    "OpleidingsniveauLaag": "Aantal personen met laag opleidingsniveau",
    "OpleidingsniveauMiddelbaar": "Aantal personen met middelbaar opleidingsniveau",
    "OpleidingsniveauHoog": "Aantal personen met hoog opleidingsniveau",
    "AfstandTotHuisartsenpraktijk": "Afstand tot huisartsenpraktijk (km)",
    "AfstandTotGroteSupermarkt": "Afstand tot grote supermarkt (km)",
    "AfstandTotKinderdagverblijf": "Afstand tot kinderdagverblijf  (km)",
    "AfstandTotSchool": "Afstand tot basisscholen (km)",
}
SHARES = {
    "Eenpersoonshuishoudens": ("Eenpersoonshuishoudens (%)", HOUSEHOLDS),
    "k_65JaarOfOuder": ("Personen 65 jaar en ouder (%)", INHABITANTS),
    "k_15Tot25Jaar": ("Personen 15 tot 25 jaar (%)", INHABITANTS),
}


def _number(text: str | None) -> float | None:
    if text is None or text.strip() in ("", "NA", "-99999999", "-99997", "-99995"):
        return None
    value = float(text)
    return None if value < -99990 else value


class Wbk2020Gemeenten:
    name = "wbk2020-test"

    def __init__(self, shared_data: Path) -> None:
        self.path = shared_data / FILE

    def fingerprint(self) -> str:
        return sha256_bytes(self.path.read_bytes())

    def read(self, progress: Progress = no_progress) -> Iterator[SourceResult]:
        raw = self.path.read_bytes()
        prov = Provenance(
            publisher="CBS",
            table_id="wijkbuurtkaart-gemeente",
            title="Wijk- en Buurtkaart 2020, gemeenten (extract)",
            year=YEAR,
            retrieved_at=datetime.now(UTC).isoformat(timespec="seconds"),
            licence="CC BY 4.0",
            checksum=sha256_bytes(raw),
            url=self.path.as_uri(),
        )
        rows: dict[str, list[object]] = {k: [] for k in OBSERVATION_SCHEMA.names}
        regions = []
        with self.path.open(encoding="utf-8") as handle:
            for rec in csv.DictReader(handle):
                code = rec["GM_CODE"].strip()
                if rec.get("H2O", "").strip().upper() == "JA" or not code.startswith("GM"):
                    continue
                regions.append(Region(code, rec["GM_NAAM"].strip(), Level.GEMEENTE, YEAR))
                values = {key: _number(rec[col]) for key, col in DIRECT.items()}
                for key, (col, total) in SHARES.items():
                    share, base = _number(rec[col]), _number(rec[total])
                    values[key] = None if share is None or base is None else share * base / 100
                for key, value in values.items():
                    rows["region_code"].append(code)
                    rows["level"].append("gemeente")
                    rows["period"].append(YEAR)
                    rows["variable"].append(key)
                    rows["value"].append(value)
                    rows["status"].append("ok" if value is not None else "missing")
                    rows["source_id"].append(prov.source_id)
        yield SourceResult(
            provenance=prov,
            observations=pa.table(rows, schema=OBSERVATION_SCHEMA),
            regions=tuple(regions),
        )
