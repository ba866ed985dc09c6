"""The nl/en word tables: the mechanism (domain/words.py) and the tables the pages use."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from wijkradar.domain.words import MissingWord, Words
from wijkradar.ops.arrears import codes
from wijkradar.ops.i18n import WORDS as OPS
from wijkradar.ops.partners import models as partner_models
from wijkradar.ops.partners import radar
from wijkradar.ops.partners.i18n import WORDS as PARTNER
from wijkradar.registers import groups, initiatives, professional
from wijkradar.registers.i18n import WORDS as REGISTERS
from wijkradar.registers.report import REPORT_WORDS as REPORT

SRC = Path(__file__).resolve().parents[2] / "src" / "wijkradar"
TABLE = Words(
    "test",
    {
        "hello": {"nl": "Hallo", "en": "Hello"},
        "n": {"nl": "{n} signalen", "en": "{n} signals"},
    },
)


def test_lookup_in_each_language_with_values() -> None:
    assert TABLE.lookup("nl")("hello") == "Hallo"
    assert TABLE.lookup("en")("n", n=3) == "3 signals"
    assert TABLE.lookup("de")("hello") == "Hallo"  # Dutch first
    assert TABLE.lookup("en").lang == "en"


def test_a_missing_key_is_an_error_naming_table_and_key() -> None:
    with pytest.raises(MissingWord, match="test words have no 'helo'"):
        TABLE.lookup("en")("helo")


@pytest.mark.parametrize(
    "entry",
    [{"nl": "Hallo"}, {"nl": "Hallo", "en": "Hello", "de": "Hallo"}, {"nl": "{n} x", "en": "x"}],
)
def test_an_entry_without_both_languages_or_with_other_placeholders_is_refused(
    entry: dict[str, str],
) -> None:
    with pytest.raises(ValueError, match="'bad'"):
        Words("test", {"ok": {"nl": "ja", "en": "yes"}, "bad": entry})


def test_per_language_tables_must_hold_the_same_keys() -> None:
    both = Words.per_language("test", {"nl": {"a": "een"}, "en": {"a": "one"}})
    assert both.lookup("en")("a") == "one"
    with pytest.raises(ValueError, match=r"en lacks \['b'\]"):
        Words.per_language("test", {"nl": {"a": "een", "b": "twee"}, "en": {"a": "one"}})
    with pytest.raises(ValueError, match="languages"):
        Words.per_language("test", {"nl": {"a": "een"}})


def test_extend_replaces_only_the_keys_it_names() -> None:
    more = TABLE.extend("more", {"bye": {"nl": "Dag", "en": "Bye"}})
    assert more.lookup("en")("bye") == "Bye"
    assert more.lookup("en")("hello") == "Hello"
    with pytest.raises(ValueError, match="replace"):
        TABLE.extend("more", {"hello": {"nl": "Hoi", "en": "Hi"}})
    with pytest.raises(ValueError, match="replace"):
        TABLE.extend("more", {"bye": {"nl": "Dag", "en": "Bye"}}, frozenset({"hello"}))
    hi = TABLE.extend("more", {"hello": {"nl": "Hoi", "en": "Hi"}}, frozenset({"hello"}))
    assert hi.lookup("nl")("hello") == "Hoi"
    assert TABLE.lookup("nl")("hello") == "Hallo"


def test_the_web_catalogues_hold_the_same_keys() -> None:
    folder = SRC / "web" / "i18n"
    tables = {
        lang: {
            key: value
            for key, value in json.loads((folder / f"{lang}.json").read_text("utf-8")).items()
            if isinstance(value, str)
        }
        for lang in ("nl", "en")
    }
    assert len(Words.per_language("web", tables).keys()) > 100


def test_every_value_the_pages_name_by_prefix_has_words() -> None:
    """Pages build these keys from stored values (w("status:" ~ s.status)); each must exist."""
    wanted = [
        (OPS, f"code:{k}")
        for table in (codes.CONTACT_KINDS, codes.PARTS_OF_DAY, codes.CASE_STATES)
        for k in table
    ]
    wanted += [(PARTNER, f"dir:{k}") for k in partner_models.DIRECTIONS]
    wanted += [(PARTNER, f"status:{k}") for k in partner_models.STATUSES]
    wanted += [(PARTNER, f"place:{k}") for k in partner_models.PLACE_KINDS]
    wanted += [(PARTNER, f"class:{k}") for k in radar.CLASSES]
    wanted += [(REGISTERS, k) for k in (*initiatives.KINDS, *groups.AXES, *professional.BIG5)]
    assert [key for words, key in wanted if key not in words] == []


def _table_of(path: Path, name: str) -> Words:
    """Which table a call w(...) / r(...) / words(...) in this file looks in."""
    if path.parent.name == "templates":
        if path.parent.parent.name == "ops":
            return PARTNER if path.name.startswith("partner_") else OPS
        if name == "w":
            return OPS
        return REPORT if path.name == "reg_report.html" else REGISTERS
    return {"ops": OPS, "partners": PARTNER}.get(
        path.parent.name, REPORT if path.name == "report.py" else REGISTERS
    )


CALL = re.compile(r"""\b(w|r|words)\(\s*["']([^"']+)["']\s*[,)]""")


def test_every_key_written_in_a_page_or_report_is_in_its_table() -> None:
    files = [
        *(SRC / "ops" / "templates").glob("*.html"),
        *(SRC / "registers" / "templates").glob("*.html"),
        SRC / "ops" / "web.py",
        SRC / "ops" / "partners" / "web.py",
        SRC / "registers" / "web.py",
        SRC / "registers" / "report.py",
    ]
    seen = 0
    unknown = []
    for path in files:
        for name, key in CALL.findall(path.read_text("utf-8")):
            seen += 1
            if key not in _table_of(path, name):
                unknown.append(f"{path.name}: {name}({key!r})")
    assert seen > 300
    assert unknown == []
