"""Reports on the demo: the PDF's pages rendered to images (pdfium) and checked by pixels — the
infographic's map and bars are on page 1 in the palette's colours, the detail follows — plus the
CLI (`wijkradar report`) and its one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.core.db import transaction
from wijkradar.ops.core.models import ReachAggregate
from wijkradar.registers import groups, initiatives, report

pdfium = pytest.importorskip("pypdfium2")
EDITOR = Principal("ed", "editor", "GM9801")
DARKEST = (0x54, 0x27, 0x8F)  # svg.PALETTE[-1]: stacking 7+, and the white-spot badges
BAR = (0x75, 0x6B, 0xB1)  # the bars of the top characteristics


def _share(image: object, rgb: tuple[int, int, int], box: tuple[int, int, int, int]) -> float:
    """Share of pixels in `box` (fractions of width/height x 100) within 12 of `rgb`."""
    pil = image.convert("RGB")  # type: ignore[attr-defined]
    w, h = pil.size
    x0, y0, x1, y1 = (box[0] * w // 100, box[1] * h // 100, box[2] * w // 100, box[3] * h // 100)
    pixels = np.asarray(pil.crop((x0, y0, x1, y1)), dtype=np.int16).reshape(-1, 3)
    near = np.all(np.abs(pixels - np.array(rgb, dtype=np.int16)) <= 12, axis=1)
    return float(near.mean()) if len(pixels) else 0.0


def _pages(pdf: bytes) -> list[object]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].render(scale=1.2).to_pil() for i in range(len(doc))]
    finally:
        doc.close()


def _text(pdf: bytes, page: int) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return str(doc[page].get_textpage().get_text_range())
    finally:
        doc.close()


@pytest.fixture()
def register(ops_factory: sessionmaker[Session]) -> sessionmaker[Session]:
    with transaction(ops_factory) as session:
        groups.load_seed(session)
        initiatives.load_seed(session, EDITOR, "demo_initiatives.yml")
    return ops_factory


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_gemeente_pdf_infographic_then_detail(
    register: sessionmaker[Session], demo_monitor: Path, lang: str
) -> None:
    with transaction(register) as session:
        session.add(  # 12 signals kept by a purge: the report shows them disclosed (10)
            ReachAggregate(
                gemeente_code="GM9801",
                wijk_code="WK980101",
                month="2026-01",
                partner_kind="*",
                signals=12,
                households=7,
                reached=4,
                accepted=1,
            )
        )
    with register() as session:
        pdf = report.render(demo_monitor, session, "GM9801", lang, "pdf").pdf
    assert pdf and pdf.startswith(b"%PDF")
    pages = _pages(pdf)
    assert len(pages) >= 2
    first = pages[0]
    # the stacking map (left half, upper part) holds the darkest class (Brakelmonde's wijken
    # with stacking 7+), the bars (right half) their colour
    assert _share(first, DARKEST, (5, 20, 50, 60)) > 0.03
    assert _share(first, BAR, (50, 20, 95, 60)) > 0.01
    # the page is not blank and the lower half holds the white-spot badges
    assert _share(first, DARKEST, (5, 60, 50, 90)) > 0.002
    text1 = _text(pdf, 0)
    assert "Brakelmonde" in text1 and "DEMO" in text1
    assert ("White spots" if lang == "en" else "Witte vlekken") in text1
    reach_line = "10 signals, < 10 (not shown) households" if lang == "en" else "10 signalen"
    assert reach_line in text1  # 12 signals shown as 10, 7 households withheld
    detail = _text(pdf, 1)
    assert ("Per wijk" in detail) and ("WK9801" in detail)
    rest = " ".join(_text(pdf, i) for i in range(1, len(pages)))
    assert ("Sources" if lang == "en" else "Bronnen") in rest
    assert "Kerncijfers wijken en buurten" in rest


def test_national_report_and_html(register: sessionmaker[Session], demo_monitor: Path) -> None:
    with register() as session:
        pdf = report.render(demo_monitor, session, None, "en", "pdf").pdf
        html = report.render(demo_monitor, session, None, "nl", "html").html
    assert pdf
    first = _pages(pdf)[0]
    assert _share(first, DARKEST, (5, 20, 50, 60)) > 0.03
    assert "national overview" in _text(pdf, 0)
    assert "landelijk overzicht" in html and "<svg" in html


def test_cli_report_on_the_demo(
    register: sessionmaker[Session], ops_url: str, demo_monitor: Path, tmp_path: Path
) -> None:
    base = [sys.executable, "-c", "from wijkradar.cli import main; main()"]
    out = tmp_path / "r.pdf"
    done = subprocess.run(
        [
            *base,
            "report",
            "GM9801",
            "--format",
            "pdf",
            "--db",
            str(demo_monitor),
            "--ops-db",
            ops_url,
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(_pages(out.read_bytes())) >= 2
    bad = subprocess.run(
        [*base, "report", "GM0000", "--db", str(demo_monitor), "--ops-db", ops_url],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "GM0000" in bad.stderr
