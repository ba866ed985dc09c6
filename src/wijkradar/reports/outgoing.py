"""The one door every outgoing figure of the web, API and exports passes through.

The small-number rules themselves live in wijkradar.compute.disclosure (one module, named
constants). This adapter applies them to a (value, unit, status) triple and says which rule was
applied, so each figure can carry a note. While that module is absent (early builds), figures go
out as stored and the note says so plainly.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Released:
    value: float | None
    status: str
    note: str


def _rules() -> Any:
    try:
        return importlib.import_module("wijkradar.compute.disclosure")
    except ImportError:
        return None


NO_RULES_NOTE = "geen kleine-aantallenregels beschikbaar in deze versie; waarden zoals opgeslagen"


def rules_summary() -> str:
    """One line naming the small-number rules in force (for footers and sidecars)."""
    module = _rules()
    if module is None:
        return NO_RULES_NOTE
    summary = (
        getattr(module, "RULES_SUMMARY", None) or (module.__doc__ or "").strip().split("\n")[0]
    )
    return str(summary)


def release(value: float | None, unit: str, status: str) -> Released:
    """Pass one figure through the disclosure rules; a non-'ok' status always keeps value None."""
    if status != "ok" or value is None:
        return Released(None, status if status != "ok" else "missing", rules_summary())
    module = _rules()
    apply = getattr(module, "release", None) if module is not None else None
    if apply is None:
        return Released(float(value), status, rules_summary())
    result = apply(value, unit)
    if isinstance(result, tuple):
        new_value, new_status = result[0], result[1]
        note = result[2] if len(result) > 2 else rules_summary()
        return Released(None if new_value is None else float(new_value), str(new_status), str(note))
    return Released(
        None if result is None else float(result),
        status if result is not None else "suppressed",
        rules_summary(),
    )
