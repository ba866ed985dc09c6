"""Automated WCAG 2.1 A/AA check of the main pages with axe-core in real Chromium.

axe-core's script comes bundled in the PyPI package axe-playwright-python (never downloaded at
run time). Any violation fails, with its rule id and the offending nodes in the message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

# One of each page kind; the map with a characteristic shows the suppressed/missing patterns.
PAGES = [
    "/",
    "/kaart/WK000101?metric=char:age",
    "/gebied/WK000101",
    "/ranglijst?level=buurt",
    "/methode",
    "/bronnen",
    "/kaart/NL01?niveau=buurt",
]
# English pages: the same kinds, with lang="en" and the English strings.
PAGES += [p + ("&" if "?" in p else "?") + "lang=en" for p in PAGES]


def _axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_axe_violations(server: str, page: Any, path: str) -> None:
    page.goto(server + path)
    page.evaluate(_axe_script())
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    assert result["passes"], "axe ran no checks"
    problems = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert not problems, f"{path}: " + "; ".join(problems)
