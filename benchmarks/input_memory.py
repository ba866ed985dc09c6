"""Peak memory of builds from the largest inputs the input limits let through (sources/guard.py),
and of refusing one that is too large. Each build runs as `wijkradar build` in a fresh subprocess;
its peak resident memory is the child's ru_maxrss.

    .venv/bin/python benchmarks/input_memory.py            # every case, prints a table
    .venv/bin/python benchmarks/input_memory.py --json

Cases (generated in a temporary directory):
- cbs-csv: a kwb-2023.csv just under MAX_CELLS cells (57 known columns x N buurten);
- local-csv: the same buurten as hierarchy plus a local CSV just under MAX_CELLS observations;
- csv-200mb: a 200 MB local CSV, refused before it is read.
The target is a peak under 1 GB for each.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wijkradar.sources import guard
from wijkradar.sources.cbs_kwb.columns import aliases

WIJKRADAR = Path(sys.executable).with_name("wijkradar")


def _measure(args: list[str]) -> dict[str, object]:
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    assert process.stderr is not None
    err = process.stderr.read().decode().strip()
    process.stderr.close()
    return {
        "exit": os.waitstatus_to_exitcode(status),
        "peak_mb": usage.ru_maxrss // 1024,
        "seconds": round(time.perf_counter() - started, 1),
        "error": err.splitlines()[-1] if err else "",
    }


def _buurten(n: int) -> list[str]:
    return [f"BU{1 + i // 1000:04d}{(i // 100) % 10:02d}{i % 100:02d}" for i in range(n)]


def _cbs_csv(folder: Path, rows: int, width: int) -> list[str]:
    """A kwb-2023.csv of national shape: every known short code once, then extra columns (kept
    with --keep-unknown-columns) up to `width` value columns."""
    first: dict[str, str] = {}  # one short code per variable (several codes share a key)
    for code, key in sorted(aliases().short.items()):
        first.setdefault(key, code)
    columns = sorted(first.values())
    # no digits at the end: a numeric suffix is stripped as an OData key's ("Mannen_6")
    columns += [f"zz_extra{i}x" for i in range(width - len(columns))]
    codes = _buurten(rows)
    rng = random.Random(1)
    with (folder / "kwb-2023.csv").open("w", encoding="utf-8") as handle:
        handle.write(";".join(["gwb_code_10", *columns]) + "\n")
        for code in codes:  # 1-5 fits every unit (%, aantal, the 1-5 urbanity scale)
            handle.write(";".join([code, *(str(rng.randint(1, 5)) for _ in columns)]) + "\n")
    return codes


def case_cbs_csv(tmp: Path) -> dict[str, object]:
    folder = tmp / "cbs"
    folder.mkdir()
    rows = 17_500  # about the number of regions in a national KWB table (NL, GM, WK, BU)
    width = guard.MAX_CELLS // (rows + 1) - 1
    _cbs_csv(folder, rows, width)
    db = tmp / "cbs.duckdb"
    args = [str(WIJKRADAR), "build", "--from", str(folder), "--keep-unknown-columns"]
    result = _measure([*args, "--db", str(db)])
    size = _mb(folder / "kwb-2023.csv")
    return {"case": "cbs-csv", "cells": rows * (width + 1), "input_mb": size} | result


def case_local_csv(tmp: Path) -> dict[str, object]:
    folder = tmp / "hierarchy"
    folder.mkdir()
    columns = 100
    rows = guard.MAX_CELLS // columns - 100
    codes = _buurten(rows)
    with (folder / "kwb-2023.csv").open("w", encoding="utf-8") as handle:
        handle.write("gwb_code_10;a_inw\n")
        handle.writelines(f"{code};{i % 5000}\n" for i, code in enumerate(codes))
    local = tmp / "eigen.csv"
    rng = random.Random(2)
    with local.open("w", encoding="utf-8") as handle:
        handle.write(";".join(["code", *(f"k{j}" for j in range(columns))]) + "\n")
        for code in codes:
            handle.write(";".join([code, *(str(rng.randint(0, 99)) for _ in range(columns))]))
            handle.write("\n")
    mapping = tmp / "eigen.yml"
    lines = ["publisher: bench", "title: bench", "licence: CC BY 4.0", "region_column: code"]
    lines += ["period: 2023", "columns:"]
    lines += [f"  k{j}: {{variable: eigen_{j}, unit: aantal, title: k{j}}}" for j in range(columns)]
    mapping.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp / "local.duckdb"
    args = [str(WIJKRADAR), "build", "--from", str(folder), "--local", f"{local}={mapping}"]
    result = _measure([*args, "--db", str(db)])
    return {"case": "local-csv", "cells": rows * columns, "input_mb": _mb(local)} | result


def case_200mb(tmp: Path) -> dict[str, object]:
    big = tmp / "groot.csv"
    block = "".join(f"BU0363{n % 10000:04d};{n % 997}\n" for n in range(50_000)).encode()
    with big.open("wb") as handle:
        handle.write(b"code;k0\n")
        while handle.tell() < 200 * 1024 * 1024:
            handle.write(block)
    mapping = tmp / "groot.yml"
    mapping.write_text(
        "publisher: b\ntitle: b\nlicence: x\nregion_column: code\nperiod: 2023\n"
        "columns:\n  k0: {variable: k0, unit: aantal, title: k0}\n",
        encoding="utf-8",
    )
    folder = tmp / "hierarchy"
    if not folder.exists():
        folder.mkdir()
        (folder / "kwb-2023.csv").write_text("gwb_code_10;a_inw\nGM0363;1\n", encoding="utf-8")
    args = [str(WIJKRADAR), "build", "--from", str(folder), "--local", f"{big}={mapping}"]
    result = _measure([*args, "--db", str(tmp / "big.duckdb")])
    return {"case": "csv-200mb", "cells": None, "input_mb": _mb(big)} | result


CASES = {"cbs-csv": case_cbs_csv, "local-csv": case_local_csv, "csv-200mb": case_200mb}


def _mb(path: Path) -> float:
    return round(path.stat().st_size / 1024 / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("cases", nargs="*", help=f"some of {', '.join(CASES)} (default: all)")
    options = parser.parse_args()
    if unknown := set(options.cases) - CASES.keys():
        parser.error(f"unknown case(s): {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory(prefix="wijkradar-input-memory-") as name:
        tmp = Path(name)
        results = [CASES[case](tmp) for case in options.cases or CASES]
    if options.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'case':<10} {'input MB':>9} {'cells':>10} {'exit':>4} {'peak MB':>8} {'s':>6}  note")
    for r in results:
        cells = "" if r["cells"] is None else f"{r['cells']:,}"
        print(
            f"{r['case']:<10} {r['input_mb']:>9} {cells:>10} {r['exit']:>4} {r['peak_mb']:>8}"
            f" {r['seconds']:>6}  {str(r['error'])[:90]}"
        )


if __name__ == "__main__":
    main()
