"""Drive the dashboard in real headless Chromium: drill down, read a profile, download a CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_drill_down_to_wijk_profile(server: str, page: Any) -> None:
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "Nederland"
    assert page.locator(".demo-banner").is_visible()
    page.locator("table").get_by_role("link", name="Demodorp").click()
    page.wait_for_url("**/kaart/GM0001**")
    # The map area is a real link named (by its <title>) with its name and value.
    area = page.locator("svg.wr-map").get_by_role("link", name="Centrum: 3", exact=True)
    assert area.count() == 1
    area.click()
    page.wait_for_url("**/kaart/WK000101**")
    page.get_by_role("link", name="Profiel van Centrum").click()
    page.wait_for_url("**/gebied/WK000101**")
    assert "Centrum" in page.locator("h1").inner_text()
    why = page.locator("section", has=page.get_by_role("heading", name="Waarom gemarkeerd?"))
    assert "gemarkeerd op 3 van 12 risicokenmerken" in why.inner_text()
    assert why.get_by_role("heading", name="Kleine financiële buffer").count() == 1
    assert page.get_by_role("img", name="Stapeling: 2022 2, 2023 3").count() == 1


def test_download_ranking_csv(server: str, page: Any) -> None:
    page.goto(server + "/ranglijst?level=wijk")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download als CSV").click()
    download = info.value
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert [r["code"] for r in rows] == ["WK000101", "WK000102", "WK000201"]
    assert rows[0]["stacking"] == "3"


def test_keyboard_skip_link_and_language_switch(server: str, page: Any) -> None:
    page.goto(server + "/gebied/WK000101")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip"
    box = page.locator("a.skip").bounding_box()
    assert box is not None and box["x"] >= 0  # visible once focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Why is it flagged?").count() == 1
