"""Partner signals in real Chromium, on SQLite and PostgreSQL (the served demo): a partner
submits a signal through the two-step form, refused while its note holds personal data; a
policy adviser (analyst) sees the four classes for their gemeente, on the map and in the table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_accessibility import _axe_script
from test_ops_workflow import _login, pg_server_url, workspace

__all__ = ["pg_server_url", "workspace"]

pytestmark = pytest.mark.browser


def test_partner_submits_and_adviser_sees_four_classes(
    browser: Any, workspace: tuple[str, Path]
) -> None:
    base, _files = workspace
    partner = browser.new_context()
    page = partner.new_page()
    # the server loads deduce's word lists in the background at start; on a busy machine the
    # first check can still wait for them
    page.set_default_timeout(180_000)
    _login(page, base, "demo-partner")
    assert page.url.startswith(base + "/werk/signalen")
    before = page.locator("#signals tbody tr").count()
    page.get_by_role("link", name="Nieuw signaal").click()
    page.wait_for_load_state()
    wijk = page.locator("#wijk option").first.get_attribute("value")
    page.get_by_label("Kleine financiële buffer").check()
    page.get_by_label("Eenzame, geïsoleerde ouderen").check()
    page.get_by_label("meer dan normaal").check()
    page.select_option("#huishoudens", "10-24")
    page.fill("#tekst", "Mevrouw De Vries van de Kerkstraat 4 belt vaak, 06-12345678.")
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    assert "De tekst lijkt" in alert.inner_text()
    assert "06-12345678" not in alert.inner_text()  # the explanation never echoes the data
    assert page.get_by_role("button", name="Versturen").count() == 0
    page.fill("#tekst", "Meer ouderen aan de balie met vragen over de energierekening.")
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_load_state()
    recent = page.locator("#recent")
    assert "Eerdere signalen over deze wijk" in recent.inner_text()
    page.get_by_role("button", name="Versturen").click()
    page.wait_for_load_state()
    assert "/werk/signalen/" in page.url
    assert page.locator("#status").inner_text() == "ontvangen"
    assert wijk in page.content()
    page.goto(base + "/werk/signalen")
    assert page.locator("#signals tbody tr").count() == before + 1
    partner.close()

    adviser = browser.new_context()
    page = adviser.new_page()
    _login(page, base, "demo-beleid")
    page.get_by_role("link", name="Onder de radar").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(base + "/werk/radar")
    summary = page.locator("#summary").inner_text()
    for name in ("Bekend en gesignaleerd", "Onder de radar", "Opkomend", "Rustig"):
        assert name in summary
    classes = set(
        page.locator("#radar tbody tr").evaluate_all("rows => rows.map(r => r.dataset.class)")
    )
    assert classes == {"known_signalled", "under_the_radar", "emerging", "quiet"}
    assert page.locator("svg.wr-map").count() == 1
    # the demo's vindplaatsen stand on the map as markers with kind and name, and a legend
    markers = page.locator("svg.wr-map a.wr-place")
    assert markers.count() > 0
    titles = markers.locator("title").all_text_contents()
    assert all("Fictief" in t for t in titles)
    # placed by point, and by postcode only (at the buurt's centre, said so)
    approximate = [t for t in titles if "bij benadering" in t]
    assert approximate and len(approximate) < len(titles)
    assert page.locator("ul.place-legend li").count() >= 1
    first = page.locator("#radar tbody tr th a").first
    href = first.get_attribute("href")
    assert href is not None and href.startswith("/gebied/WK")
    known = page.locator('#radar tbody tr[data-class="known_signalled"] th a').first
    profile = known.get_attribute("href")
    assert profile is not None and profile.startswith("/gebied/WK")
    page.goto(base + "/werk/radar?lang=en")
    assert "Under the radar" in page.locator("#summary").inner_text()
    adviser.close()

    # the public profile shows the wijk's partner signals and white spots, without JavaScript
    # and without logging in
    public = browser.new_context(java_script_enabled=False)
    page = public.new_page()
    page.goto(base + profile)
    panel = page.locator("#partner-signals")
    assert page.get_by_role("heading", name="Signalen van partners").is_visible()
    assert panel.get_attribute("data-state") == "ok"
    assert page.locator("[data-radar-class]").get_attribute("data-radar-class") == "known_signalled"
    assert page.locator("#signals-table caption").is_visible()
    cells = page.locator("#signals-table td.num").all_inner_texts()
    # every count is a multiple of 5 of at least 10, or says it is not shown
    assert cells and all(
        c == "< 10 (niet getoond)" or (int(c) >= 10 and int(c) % 5 == 0) for c in cells
    )
    assert page.get_by_role("heading", name="Witte vlekken").is_visible()
    assert page.locator("#white-spots").get_attribute("data-state") == "ok"
    panel.get_by_role("link", name="Naar de werkomgeving (inloggen)").click()
    page.wait_for_load_state()
    assert "/werk/inloggen" in page.url
    page.goto(base + profile + "?lang=en")
    assert page.get_by_role("heading", name="Partner signals").is_visible()
    public.close()
    # and the panels pass axe like the rest of the site (axe needs scripts in the page)
    checker = browser.new_context()
    page = checker.new_page()
    page.goto(base + profile)
    assert page.locator("#partner-signals").get_attribute("data-state") == "ok"
    page.evaluate(_axe_script())
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    assert result["passes"] and not [v["id"] for v in result["violations"]]
    checker.close()
