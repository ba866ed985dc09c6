"""methodology.load_cached: a released version is loaded once per folder; a draft, or a release
whose files were edited, is reloaded when its files change."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from wijkradar.methodology import default_root, latest_version, load, load_cached
from wijkradar.methodology.cache import clear


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "methodology"
    shutil.copytree(default_root(), root)
    clear()
    return root


def _relabel(root: Path, new: str) -> None:
    path = root / "2026.1" / "frameworks" / "tno.yml"
    text = path.read_text(encoding="utf-8")
    label = load("2026.1", root).framework("tno").labels.en
    path.write_text(text.replace(f"en: {label}", f"en: {new}", 1), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_a_release_is_loaded_once_and_equals_load(copy: Path) -> None:
    first = load_cached("2026.1", copy)
    assert load_cached("2026.1", copy) is first
    newest = load_cached(None, copy)  # the latest version is cached like any other
    assert newest is load_cached(latest_version(copy), copy)
    assert first == load("2026.1", copy)
    assert load_cached("2026.1", default_root()) is not first  # keyed by folder too


def test_an_edited_release_is_not_served_from_the_cache(copy: Path) -> None:
    before = load_cached("2026.1", copy)
    clear()
    _relabel(copy, "Edited TNO")
    with pytest.warns(UserWarning, match="differs from its release checksums"):
        edited = load_cached("2026.1", copy)
    assert edited is not before and edited.framework("tno").labels.en == "Edited TNO"
    _relabel(copy, "Edited again")
    assert load_cached("2026.1", copy).framework("tno").labels.en == "Edited again"


def test_a_draft_is_reloaded_when_a_file_changes(copy: Path) -> None:
    (copy / "releases.json").write_text(json.dumps({}), encoding="utf-8")
    draft = load_cached("2026.1", copy)
    assert load_cached("2026.1", copy) is draft
    _relabel(copy, "Draft label")
    assert load_cached("2026.1", copy).framework("tno").labels.en == "Draft label"
