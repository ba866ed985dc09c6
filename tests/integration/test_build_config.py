"""`wijkradar build --config FILE` / `--source NAME:...`: sources chosen through the registry."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from cli_run import Cli

from wijkradar.domain import OBSERVATION_SCHEMA, Provenance
from wijkradar.domain.provenance import sha256_bytes
from wijkradar.sources import registry
from wijkradar.sources.base import Progress, SourceResult, no_progress


class PluginSource:
    """A source the CLI has never heard of: registered by name, built through a config."""

    name = "test-plugin"

    def __init__(self, value: str) -> None:
        self.value = float(value)

    def fingerprint(self) -> str:
        return sha256_bytes(str(self.value).encode())

    def read(self, progress: Progress = no_progress) -> Iterator[SourceResult]:
        provenance = Provenance(
            publisher="Plugin",
            table_id="plugin",
            title="Plugin figures",
            year=2023,
            retrieved_at=datetime.now(UTC).isoformat(),
            licence="CC0",
            checksum=self.fingerprint(),
            kind="local",
        )
        table = pa.Table.from_pylist(
            [
                {"region_code": "GM0363", "level": "gemeente", "period": 2023,
                 "variable": "plugin_waarde", "value": self.value, "status": "ok",
                 "source_id": provenance.source_id},
            ],
            schema=OBSERVATION_SCHEMA,
        )  # fmt: skip
        yield SourceResult(provenance=provenance, observations=table)


@pytest.fixture
def plugin() -> Iterator[None]:
    registry.register("test-plugin")(PluginSource)
    yield
    registry._FACTORIES.pop("test-plugin", None)


def value(db: Path, code: str, variable: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    return con.execute(
        "SELECT period, value, status FROM observations WHERE region_code = ? AND variable = ?"
        " ORDER BY period",
        [code, variable],
    ).fetchall()


def write_extract(folder: Path) -> tuple[Path, Path]:
    """A third-party GeoJSON layer carrying KWB 2023 figures, and its mapping. (Its region must
    exist in 2023: a local figure for a code outside the year's hierarchy is refused.)"""
    layer = folder / "layer.geojson"
    props = {"gemeentecode": "GM0363", "woningen": 4200, "aandeel_x": "12,5"}
    feature = {"type": "Feature", "geometry": None, "properties": props}
    layer.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    mapping = folder / "layer.yml"
    mapping.write_text(
        "publisher: CBS (extract)\ntitle: KWB 2023 layer\nlicence: CC BY 4.0\n"
        "cbs_table: 85618NED\n"
        "origin: {repository: someone/layers, commit: 0123456789abcdef, file: data/layer.geojson}\n"
        "region_column: gemeentecode\nperiod: 2023\ncolumns:\n"
        "  woningen: {variable: Woningvoorraad, unit: aantal, title: Woningvoorraad}\n"
        "  aandeel_x: {variable: lokaal_x, unit: '%', title: X}\n",
        encoding="utf-8",
    )
    return layer, mapping


def test_config_names_sources_by_registry_name(
    kwb_dir: Path, tmp_path: Path, cli: Cli, plugin: None
) -> None:
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    write_extract(config_dir)
    config = config_dir / "build.yml"
    # relative paths are taken from the config file's folder, not the working directory
    config.write_text(
        "db: out/monitor.duckdb\nyears: [2023]\nsources:\n"
        "  - source: cbs-kwb-files\n    directory: ../kwb\n"
        "  - source: local-csv\n    csv_path: layer.geojson\n    mapping_path: layer.yml\n"
        "  - {source: test-plugin, value: '7'}\n",
        encoding="utf-8",
    )
    code, _, err = cli(["build", "--config", str(config)])
    assert code == 0, err
    db = config_dir / "out" / "monitor.duckdb"
    assert value(db, "GM0363", "AantalInwoners") == [(2023, 918117.0, "ok")]  # --years via config
    assert value(db, "GM0363", "Woningvoorraad") == [(2023, 4200.0, "ok")]
    assert value(db, "GM0363", "lokaal_x") == [(2023, 12.5, "ok")]
    assert value(db, "GM0363", "plugin_waarde") == [(2023, 7.0, "ok")]
    con = duckdb.connect(str(db), read_only=True)
    ((title, url, kind),) = con.execute(
        "SELECT title, url, kind FROM sources WHERE table_id = '85618NED' AND kind = 'local'"
    ).fetchall()
    assert "someone/layers" in title and "0123456789ab" in title and kind == "local"
    assert url == "https://github.com/someone/layers/blob/0123456789abcdef/data/layer.geojson"


def test_source_option_on_the_command_line(kwb_dir: Path, tmp_path: Path, cli: Cli) -> None:
    db = tmp_path / "cli.duckdb"
    code, _, err = cli(["build", "--source", f"cbs-kwb-files:directory={kwb_dir}", "--db", str(db)])
    assert code == 0, err
    assert [row[0] for row in value(db, "GM0363", "AantalInwoners")] == [2022, 2023]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sources:\n  - source: no-such-source\n", "unknown source 'no-such-source'"),
        ("sources:\n  - source: ggd-files\n    nonsense: 1\n", "source 'ggd-files'"),
        ("sources:\n  - directory: x\n", "source 1 has no registry name"),
        ("sources: {}\n", "not a build config"),
        ("sources: []\nyear: 2020\n", "unknown key 'year'"),
    ],
)
def test_bad_config_exits_2_with_one_line(
    tmp_path: Path, cli: Cli, text: str, expected: str
) -> None:
    config = tmp_path / "bad.yml"
    config.write_text(text, encoding="utf-8")
    code, _, err = cli(["build", "--config", str(config), "--db", str(tmp_path / "x.duckdb")])
    assert code == 2
    assert expected in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.duckdb").exists()


def test_mapping_may_use_cbs_keys_only_with_the_cbs_table(tmp_path: Path, cli: Cli) -> None:
    layer, mapping = write_extract(tmp_path)
    local = f"local-csv:csv_path={layer},mapping_path={mapping}"
    text = mapping.read_text(encoding="utf-8").replace("cbs_table: 85618NED\n", "")
    mapping.write_text(text, encoding="utf-8")
    code, _, err = cli(["build", "--source", local, "--db", str(tmp_path / "x.db")])
    assert code == 2 and "is not a local key" in err and "cbs_table" in err
    wrong_unit = text.replace("region_column", "cbs_table: 85618NED\nregion_column").replace(
        "unit: aantal, title: Woningvoorraad", "unit: '%', title: Woningvoorraad"
    )
    mapping.write_text(wrong_unit, encoding="utf-8")
    code, _, err = cli(["build", "--source", local, "--db", str(tmp_path / "x.db")])
    assert code == 2 and "Woningvoorraad is in 'aantal'" in err
