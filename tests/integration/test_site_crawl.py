"""Crawl the site of a real `wijkradar demo` build as a visitor would, in Dutch and in English.

Every internal link reachable from / is followed (bounded); each HTML page must answer without
error, carry one h1, a lang attribute and a title, show the DEMO label, and show no untranslated
catalogue key, no text of the other language and no raw methodology id (such as
"financial_buffer") as visible text. Downloads are checked for status and content type only.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from wijkradar.api.app import create_app
from wijkradar.api.settings import Settings
from wijkradar.methodology import load
from wijkradar.reports.outgoing import rules_summary

CLI = [sys.executable, "-c", "from wijkradar.cli import main; main()"]
I18N = Path(__file__).resolve().parents[2] / "src" / "wijkradar" / "web" / "i18n"
MAX_PAGES = 400
#: Area profiles visited per language. A profile page costs ~0.1 s (store.profiles reads the
#: methodology each time), so the crawl takes the first profiles it meets at each level rather
#: than all 150 demo areas; every map, ranking, method and source page is still visited.
MAX_PROFILES = 3
#: Downloads per kind (ranking CSV, API exports): every map links its own; a few are enough.
MAX_DOWNLOADS = 4
#: Downloads are not parsed; only their status and content type are checked.
DOWNLOAD_TYPES = ("text/csv", "application/geo+json", "application/zip")  # zip: HSDS package
#: Elements whose text a visitor does not read as prose (ids may appear there on purpose).
QUIET = {"script", "style", "code"}


@dataclass
class Page:
    lang: str | None = None
    h1: int = 0
    title: str = ""
    links: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


class Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "html":
            self.page.lang = attr.get("lang")
        elif tag == "h1":
            self.page.h1 += 1
        elif tag == "a" and attr.get("href"):
            self.page.links.append(str(attr["href"]))
        if tag not in {"meta", "link", "br", "input", "img", "path", "use", "rect"}:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not data.strip() or QUIET & set(self.stack):
            return
        if self.stack and self.stack[-1] == "title" and "svg" not in self.stack:
            self.page.title += data.strip()
        else:
            self.page.text.append(data.strip())


def parse(html: str) -> Page:
    reader = Reader()
    reader.feed(html)
    return reader.page


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("crawl")
    db = tmp / "monitor.duckdb"
    subprocess.run(
        [*CLI, "demo", "--db", str(db), "--dir", str(tmp / "files")],
        check=True,
        capture_output=True,
    )
    with TestClient(create_app(Settings(db=db))) as client:
        yield client


def _normal(url: str) -> str:
    """One spelling per page: query parameters sorted, fragment dropped."""
    parts = urlsplit(url)
    query = urlencode(sorted(parse_qsl(parts.query)))
    return parts.path + ("?" + query if query else "")


def _raw_ids() -> set[str]:
    """Methodology ids a visitor should never read: characteristics, themes, indicators."""
    m = load(None)
    ids = {c.id for c in (*m.risk_characteristics, *m.protective_factors)}
    ids |= {f.id for f in m.frameworks}
    for f in m.frameworks:
        ids |= {t.id for t in f.themes}
    # Ids that are also plain words ("health", "age") are not told apart from prose.
    return {i for i in ids if "_" in i}


def _catalogues() -> dict[str, dict[str, str]]:
    return {lang: json.loads((I18N / f"{lang}.json").read_text("utf-8")) for lang in ("nl", "en")}


def _sampled(url: str) -> str | None:
    """The kind of a page the crawl samples rather than exhausts, or None."""
    if url.startswith("/gebied/"):
        return url[:10]  # per level: /gebied/GM, /gebied/WK, /gebied/BU
    if url.startswith("/api/v1/exports/"):
        return urlsplit(url).path
    if "format=csv" in url:
        return "csv"
    return None


def crawl(client: TestClient, start: str, lang: str) -> dict[str, tuple[int, str, Page | None]]:
    """Breadth-first from `start`, staying in `lang` (the language switch is not followed)."""
    seen: dict[str, tuple[int, str, Page | None]] = {}
    queue = deque([start])
    queued = {start}
    sampled: dict[str, int] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url, follow_redirects=True)
        kind = response.headers.get("content-type", "")
        if not kind.startswith("text/html"):
            seen[url] = (response.status_code, kind, None)
            continue
        page = parse(response.text)
        seen[url] = (response.status_code, kind, page)
        for href in page.links:
            target = urljoin(url, href)
            if urlsplit(target).scheme or urlsplit(target).netloc or href.startswith("#"):
                continue
            target = _normal(target)
            if target.startswith("/werk"):
                continue  # the workspace behind its login: tests/ops and tests/browser
            if dict(parse_qsl(urlsplit(target).query)).get("lang", "nl") != lang:
                continue
            if target not in queued and (kind := _sampled(target)) is not None:
                sampled[kind] = sampled.get(kind, 0) + 1
                if sampled[kind] > (MAX_PROFILES if kind.startswith("/gebied/") else MAX_DOWNLOADS):
                    continue
            if target not in queued:
                queued.add(target)
                queue.append(target)
    return seen


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_reachable_page_is_whole_and_in_one_language(site: TestClient, lang: str) -> None:
    start = "/" if lang == "nl" else "/?lang=en"
    pages = crawl(site, start, lang)
    html_pages = {u: p for u, (_, _, p) in pages.items() if p is not None}
    assert len(html_pages) > 40, "the crawl should reach every map of the demo's areas"
    assert any(u.startswith("/gebied/BU") for u in html_pages), "a buurt profile is reachable"
    other = "en" if lang == "nl" else "nl"
    cats = _catalogues()
    # Strings of the other language that differ from this one and are long enough to be telling.
    foreign = {
        s
        for k, s in cats[other].items()
        if isinstance(s, str) and s != cats[lang][k] and len(s) > 12 and "{" not in s
    }
    # Units are a map of their own: the methodology's units are Dutch, so English pages must not
    # show them untranslated (Dutch pages may quote the English definitions, marked lang="en").
    if lang == "en":
        units = cats[other]["units"].items()
        foreign |= {s for k, s in units if s != cats[lang]["units"][k] and len(s) > 12}
    keys = {k for k in cats[lang] if "_" in k}
    raw = _raw_ids()
    problems: list[str] = []
    for url, (status, kind, page) in pages.items():
        if status >= 400:
            problems.append(f"{url}: HTTP {status}")
            continue
        if page is None:
            if not kind.startswith(DOWNLOAD_TYPES):
                problems.append(f"{url}: unexpected content type {kind!r}")
            continue
        if page.h1 != 1:
            problems.append(f"{url}: {page.h1} h1 elements")
        if page.lang != lang:
            problems.append(f"{url}: lang={page.lang!r}")
        if not page.title:
            problems.append(f"{url}: no <title>")
        text = "\n".join(page.text)
        if "DEMO" not in text:
            problems.append(f"{url}: no DEMO label")
        if rules_summary(lang) not in text:
            problems.append(f"{url}: small-number rules not stated in {lang}")
        words = set(re.findall(r"[A-Za-z_]+", text))
        for leak in sorted((words & keys) | (words & raw)):
            problems.append(f"{url}: raw id or catalogue key {leak!r} shown")
        if re.search(r"\{[a-z_]+\}", text):
            problems.append(f"{url}: unfilled placeholder")
        for s in sorted(foreign):
            if s in text:
                problems.append(f"{url}: text of the other language: {s!r}")
    assert not problems, "\n".join(problems[:60])
