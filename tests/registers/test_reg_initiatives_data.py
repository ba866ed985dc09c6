"""The reviewed seed data of the initiatives register (registers/data/initiatives.yml), checked
without a database: real CBS codes, known ids, a review on every entry, whole links, no
duplicates, a reason wherever a group or a place is missing, and docs that state its counts."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest

from wijkradar.domain import WijkradarError
from wijkradar.methodology.cache import load_cached
from wijkradar.regions.changes import known_reorganisations
from wijkradar.registers import groups, initiatives

ROOT = Path(__file__).resolve().parents[2]
NAMES_CSV = ROOT.parent / "shared" / "data" / "other" / "cbs_wijk_2023_v0_codes_names.csv"


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return initiatives.seed_data()


def _local(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in data["initiatives"] if e["kind"] == "local"]


def _places(entry: dict[str, Any]) -> list[tuple[str, str]]:
    first = [(entry["gemeente_code"], entry["place"])]
    return first + [(o["gemeente_code"], o["place"]) for o in entry["also_in"]]


def test_every_local_entry_is_placed_in_an_existing_cbs_gemeente(data: dict[str, Any]) -> None:
    if not NAMES_CSV.exists():
        pytest.skip(f"{NAMES_CSV} not present")
    with NAMES_CSV.open(encoding="utf-8") as handle:
        cbs = {row["gm_code"]: row["gm_naam"] for row in csv.DictReader(handle)}
    # a code that a later reorganisation merged away would no longer be a gemeente
    gone = {
        c.code_from
        for c in known_reorganisations().changes
        if c.year_to > 2023 and c.code_from != c.code_to
    }
    for entry in _local(data):
        for code, place in _places(entry):
            assert cbs.get(code) == place, f"{entry['name']}: {code} is not {place}"
            assert code not in gone, f"{entry['name']}: {code} was merged after 2023"
    for entry in data["initiatives"]:
        if entry["kind"] == "national":
            assert entry["gemeente_code"] is None and not entry["also_in"], entry["name"]


def test_tags_use_known_ids_and_a_missing_tag_has_a_reason(data: dict[str, Any]) -> None:
    # the twelve risk characteristics (the taxonomy also holds the protective factors, which
    # describe a place, not a need an initiative serves) and the twelve groups
    risk = {c.id for c in load_cached().characteristics if not c.protective}
    known_chars = risk & set(groups.terms()["characteristic"])
    known_groups = set(groups.terms()["group"])
    assert len(known_chars) == 12 and len(known_groups) == 12
    for entry in data["initiatives"]:
        assert entry["kind"] in initiatives.KINDS, entry["name"]
        assert set(entry["characteristics"]) <= known_chars, entry["name"]
        assert set(entry["groups"]) <= known_groups, entry["name"]
        assert len(set(entry["groups"])) == len(entry["groups"]), entry["name"]
        assert entry["characteristics"], f"{entry['name']}: no characteristic"
        if not entry["groups"]:
            note = str(entry.get("review_note") or "")
            assert "Geen groep" in note or "geen groep" in note, f"{entry['name']}: why no group?"
        assert entry["organisation"].strip() and entry["description"].strip(), entry["name"]


def test_every_entry_is_reviewed_and_the_loader_checks_the_review(
    data: dict[str, Any],
) -> None:
    for entry in data["initiatives"]:
        assert initiatives.seed_reviewed(entry), entry["name"]
        assert entry["review"]["reviewer"] == "wijkradar-team", entry["name"]
    sample = dict(data["initiatives"][0])
    for bad in (
        {"status": "concept", "reviewer": "x", "date": "2026-11-25"},
        {"status": "reviewed", "reviewer": "", "date": "2026-11-25"},
        {"status": "reviewed", "reviewer": "x", "date": "25-11-2026"},
    ):
        with pytest.raises(WijkradarError):
            initiatives.seed_reviewed({**sample, "review": bad})
    assert not initiatives.seed_reviewed({k: v for k, v in sample.items() if k != "review"})


def test_links_are_whole_http_urls(data: dict[str, Any]) -> None:
    links = [link for entry in data["initiatives"] for link in entry["links"]]
    assert links, "the seed gives links for some entries"
    for link in links:
        assert initiatives.link_problem(link) is None, link
    # the cut links of the first draft are what the check exists for
    for cut in (
        "https://jgtlelystad.nl/preventiemakelaar-en-",
        "https://www.centrumjeugdengezin-",
        "https://www.movisie.nl/artikel/inspirerende-",
        "https://example.nl/a…",
        "https://example.nl/a...",
        "https://example.nl/a,",
        "www.gezinencorona.nl/delft",
        "https:///pad",
    ):
        assert initiatives.link_problem(cut) is not None, cut


def test_no_duplicates_and_unplaced_blocks_have_reasons(data: dict[str, Any]) -> None:
    keys = [(e["name"], e["gemeente_code"]) for e in data["initiatives"]]
    assert len(keys) == len(set(keys))
    sources = [e["source"] for e in data["initiatives"]]
    assert len(sources) == len(set(sources)), "two entries from the same seed line"
    for entry in data["initiatives"]:
        codes = [code for code, _ in _places(entry)]
        assert len(codes) == len(set(codes)), entry["name"]
    assert data["unplaced"]
    for block in data["unplaced"]:
        assert block["source_line"] and block["name"] and len(block["why"]) > 20, block


def test_docs_state_the_counts_of_the_data(data: dict[str, Any]) -> None:
    local = _local(data)
    counts = {
        "local": len(local),
        "gemeenten": len({code for e in local for code, _ in _places(e)}),
        "local_with_group": sum(1 for e in local if e["groups"]),
        "national_003": sum(1 for e in data["initiatives"] if e["source"].startswith("seed 003")),
        "national_000": sum(1 for e in data["initiatives"] if e["source"].startswith("seed 000")),
        "unplaced": len(data["unplaced"]),
        "links": sum(len(e["links"]) for e in data["initiatives"]),
    }
    text = " ".join((ROOT / "docs" / "registers.md").read_text(encoding="utf-8").split())
    stated = re.search(
        r"holds (\d+) local initiatives .*? in (\d+) gemeenten, (\d+) of them with at least one "
        r"group.*?plus (\d+) national measures of the cabinet letter \(seed 003\) and (\d+) "
        r"national programmes .*?(\d+) blocks .*? could not be placed.*?(\d+) links",
        text,
    )
    assert stated, "docs/registers.md no longer states the counts in the expected sentence"
    assert [int(n) for n in stated.groups()] == list(counts.values())
