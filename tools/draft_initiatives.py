"""Draft src/wijkradar/registers/data/initiatives.yml from the seeds (run once, then reviewed).

Seed 002 section 3 is a text extraction of a two-column table (place | title + description);
this script finds each place line, checks the place against the CBS gemeente list in
../shared/data, and keeps title, description and links. National measures come from the bold
bullets of seed 003. Tags (characteristics, groups) are first guesses from keywords; the
register marks every seed entry `reviewed: false` until an editor has looked at it.

    python tools/draft_initiatives.py > src/wijkradar/registers/data/initiatives.yml
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
NAMES_CSV = SHARED / "data" / "other" / "cbs_wijk_2023_v0_codes_names.csv"
ALIASES = {"Den Haag": "'s-Gravenhage", "Den Bosch": "'s-Hertogenbosch"}
START = 1000  # section 3 starts after line ~956 ("3) Lokale initiatieven")

CHARACTERISTICS = {
    "financial_buffer": r"schuld|armoede|inkomen|voedsel|geldzorg|bijstand|tozo|financi|betaal",
    "flexible_employment": r"zzp|zelfstandig|flex|ondernemer|werkloos|ontslag",
    "vulnerable_sector": r"horeca|cultuur|sector|ondernemer",
    "psychological": r"psychisch|eenzaam|stress|mentale|ggz|verslav",
    "health": r"gezondheid|zorg|corona|ziek",
    "disability": r"beperking|autisme|lvb|verstandelijk",
    "low_education": r"onderwijs|school|leerachterstand|leerling|laptop|chromebook",
    "social_capital": r"eenzaam|maatje|isolement|contact|buddy",
    "family_situation": r"gezin|ouders|kinderen|huiselijk geweld|opvoed",
    "language_digital": r"taal|digitaal|laptop|chromebook|wifi|anderstalig|online",
    "age": r"ouderen|jongeren|jeugd|kinderen|senioren",
    "low_trust": r"vertrouwen|voorlichting",
}
GROUPS = {
    "kwetsbare_jongeren": r"jongeren|jeugd|kwetsbare kinderen|risicojongeren",
    "eenzame_ouderen": r"ouderen|senioren",
    "psychische_problematiek": r"psychisch|ggz|verslav",
    "lvb": r"lvb|verstandelijk",
    "dakloos": r"dak- en thuis|dakloos|daklozen|thuislozen|nachtopvang|maatschappelijke opvang|crisiswoning|huisvesting|thuisloos",
    "isolement": r"eenzaam|isolement|maatje",
    "zzp_cultuur": r"zzp|zelfstandig|cultu",
    "arbeidsmigranten": r"arbeidsmigrant|oost-europa|moe-lander",
    "mbo12": r"mbo|praktijkonderwijs|startkwalificatie",
    "sekswerkers": r"sekswerk|prostitu",
}


def gemeenten() -> dict[str, str]:
    with NAMES_CSV.open(encoding="utf-8") as handle:
        return {row["gm_naam"]: row["gm_code"] for row in csv.DictReader(handle)}


def tags(text: str, rules: dict[str, str]) -> list[str]:
    low = text.lower()
    return [key for key, pattern in rules.items() if re.search(pattern, low)]


def place_of(line: str, names: dict[str, str]) -> str | None:
    head = line.split("|")[0].strip().rstrip(",’'").replace(" (regio)", "")
    head = ALIASES.get(head, head)
    return head if head in names else None


def local(names: dict[str, str]) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    lines = next((SHARED / "seeds").glob("002_*.txt")).read_text(encoding="utf-8").split("\n")
    starts = [i for i in range(START, len(lines)) if place_of(lines[i].strip(), names)]
    entries: list[dict[str, object]] = []
    unplaced: list[dict[str, object]] = []
    pending: list[str] = []  # "Amersfoort,\nAlmere,\n...": one entry for several places
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        block = [line.strip() for line in lines[start + 1 : end]]
        first = lines[start].strip()
        place = place_of(first, names)
        assert place is not None
        if "|" in first:  # table row: place | title | description on one line
            parts = [p.strip() for p in first.split("|")]
            title, rest = parts[1], " ".join(parts[2:] + block)
        else:
            paragraphs = " \n".join(block).split(" \n \n")
            text = "\n".join(block).strip()
            chunks = [c.strip() for c in re.split(r"\n\s*\n", text) if c.strip()]
            if not chunks:
                pending.append(place)
                continue
            also = re.fullmatch(r"(.+) en", chunks[0])
            if also and ALIASES.get(also.group(1), also.group(1)) in names:
                pending.append(place)
                place = ALIASES.get(also.group(1), also.group(1))
                chunks = chunks[1:]
            title = " ".join(chunks[0].split())
            rest = " ".join(" ".join(chunks[1:]).split())
            del paragraphs
        urls = re.findall(r"https?://\S+", rest)
        description = re.sub(r"https?://\S+", "", rest)
        description = re.sub(r"\s+", " ", description).strip()
        # a general remark of the source ("7 Algemene opmerking ...") is not part of the entry
        description = re.split(r"\s\d+ Algemene opmerking", description)[0]
        if len(title) > 120 or not title:
            unplaced.append({"source_line": start + 1, "place": place, "why": "no clear title"})
            continue
        words = title + " " + description
        also_in = [{"place": p, "gemeente_code": names[p]} for p in pending]
        pending = []
        entries.append(
            {
                "name": title.rstrip("."),
                "place": place,
                "gemeente_code": names[place],
                "description": description[:1200],
                "links": urls,
                "kind": "local",
                "also_in": also_in,
                "characteristics": tags(words, CHARACTERISTICS),
                "groups": tags(words, GROUPS),
                "source": f"seed 002 section 3, line {start + 1}",
            }
        )
    return entries, unplaced


def national() -> list[dict[str, object]]:
    text = next((SHARED / "seeds").glob("003_*.txt")).read_text(encoding="utf-8")
    out: list[dict[str, object]] = []
    for match in re.finditer(r"^- \*\*(.+?)\*\*:?\s*(.*)$", text, re.M):
        name = match.group(1).strip().rstrip(":.")
        body = re.sub(r"\*\*", "", match.group(2)).strip()
        first = re.split(r"(?<=[.!?])\s", body, maxsplit=2)
        description = " ".join(first[:2])
        words = name + " " + body
        out.append(
            {
                "name": name[:120],
                "place": None,
                "gemeente_code": None,
                "description": description[:1200],
                "links": [],
                "kind": "national",
                "also_in": [],
                "characteristics": tags(words, CHARACTERISTICS),
                "groups": tags(words, GROUPS),
                "source": "seed 003 (kabinetsbrief 2020)",
            }
        )
    return out


#: National programmes named in seed 000 (final report, staand beleid), written by hand:
#: (name, seed line, description, characteristics, groups)
NATIONAL_000 = (
    ("Wijkaanpak in 16 stedelijke vernieuwingsgebieden", 309,
     "Rijk en gemeenten werken in zestien gebieden samen aan wonen, werk, zorg en veiligheid.",
     ["financial_buffer", "social_capital", "low_education"], []),
    ("Brede schuldenaanpak en ambities kinderarmoede", 315,
     "Programma's om schulden te voorkomen en armoede onder kinderen te verminderen.",
     ["financial_buffer", "family_situation"], []),
    ("Programma Verdere Integratie op de Arbeidsmarkt", 318,
     "Gelijke kansen op werk voor mensen met een niet-westerse achtergrond.",
     ["flexible_employment", "language_digital"], ["arbeidsmigranten"]),
    ("Programma Maatwerk Multiprobleemhuishoudens", 319,
     "Tien instrumenten waarmee professionals bij gemeenten en landelijke uitvoerders sneller "
     "helpen in complexe multiprobleemsituaties.",
     ["financial_buffer", "psychological", "family_situation"], []),
    ("Wet aanpak meervoudige problematiek sociaal domein (Wams)", 320,
     "Wetsvoorstel: het college benadert meervoudige problematiek integraal en gecoördineerd.",
     ["financial_buffer", "psychological", "family_situation"], []),
    ("Een thuis voor iedereen", 321,
     "Interbestuurlijke aanpak voor passende huisvesting van aandachtsgroepen.",
     ["financial_buffer", "social_capital"], ["dakloos"]),
    ("Projectteam Arbeidsmigranten en aanpak dakloze EU-burgers", 322,
     "Interdepartementaal projectteam en plan van aanpak voor dakloze EU-burgers.",
     ["flexible_employment", "language_digital"], ["arbeidsmigranten", "dakloos"]),
    ("Nationaal Sportakkoord: inclusief sporten en bewegen", 324,
     "Lokale sportakkoorden met steun voor kwetsbare groepen om te gaan sporten en bewegen.",
     ["health", "disability", "social_capital"], ["eenzame_ouderen"]),
    ("Intensiveringsaanpak armoede en schulden", 336,
     "Bestaande en nieuwe doelgroepen met armoede en schulden beter in beeld krijgen en bereiken.",
     ["financial_buffer", "flexible_employment"], ["zzp_cultuur"]),
    ("Steunpakket: intensivering initiatieven welzijn kwetsbare groepen", 341,
     "Aanpak eenzaamheid, begeleiding van psychisch kwetsbaren, mensen met een beperking en "
     "dak- of thuislozen, kunst en cultuur voor kwetsbare groepen.",
     ["social_capital", "psychological", "disability"],
     ["eenzame_ouderen", "psychische_problematiek", "lvb", "dakloos", "isolement"]),
    ("Steunpakket: intensivering gezonde leefstijl", 342,
     "Leefstijlinterventies en vroeg signaleren van stress en depressieve klachten.",
     ["health", "psychological"], ["psychische_problematiek"]),
    ("Tel mee met Taal", 394,
     "Taalscholing voor laaggeletterden op de plek waar zij al zijn (werk, uitzendbureau, "
     "ziekenhuis).",
     ["language_digital", "low_education"], []),
)


def national_000() -> list[dict[str, object]]:
    return [
        {
            "name": name,
            "place": None,
            "gemeente_code": None,
            "description": description,
            "links": [],
            "kind": "national",
            "also_in": [],
            "characteristics": chars,
            "groups": groups,
            "source": f"seed 000 (eindrapport herstelopgave), line {line}",
        }
        for name, line, description, chars, groups in NATIONAL_000
    ]


def main() -> None:
    names = gemeenten()
    entries, unplaced = local(names)
    data = {
        "source": "Written from seeds 002 section 3 (local initiatives, May 2020), 003 (cabinet "
        "letter, national measures) and 000 (national programmes) by tools/draft_initiatives.py.",
        "as_of": "2020-06-01",
        "initiatives": entries + national() + national_000(),
        "unplaced": unplaced,
    }
    yaml.safe_dump(data, sys.stdout, allow_unicode=True, sort_keys=False, width=100)


if __name__ == "__main__":
    main()
