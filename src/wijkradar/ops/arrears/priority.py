"""A transparent priority score per case: a sum of points, each with its reason.

Points (documented in docs/ops/coordinator.md; change them here and there together):
- creditor kinds: 10 per distinct partner kind among the case's signals (stacked arrears);
- total arrears: 1 per full €100 of the open signals' amounts, at most 20;
- months in arrears: 2 per full month since the earliest arrears start, at most 12;
- successive signals (same address within 6 months before): 5; repeat signals: 3 each, at most 9;
- crisis signal: 25; warm hand-over: 10;
- the buurt's stacking in the monitor (flagged risk characteristics): 2 per flag.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

REASONS = {
    "kinds": {"nl": "soorten schuldeisers", "en": "kinds of creditor"},
    "amount": {"nl": "totale achterstand (€)", "en": "total arrears (€)"},
    "months": {"nl": "maanden achterstand", "en": "months in arrears"},
    "successive": {"nl": "opeenvolgende signalen", "en": "successive signals"},
    "repeat": {"nl": "herhaalde meldingen", "en": "repeat signals"},
    "crisis": {"nl": "crisissignaal", "en": "crisis signal"},
    "warm": {"nl": "warme overdracht", "en": "warm hand-over"},
    "stacking": {"nl": "stapeling in de buurt", "en": "stacking in the buurt"},
}


@dataclass(frozen=True)
class SignalFacts:
    kind: str
    amount: Decimal
    signal_date: dt.date
    arrears_start: dt.date | None
    successive: bool
    repeat: bool
    crisis: bool
    warm_handover: bool


def score(
    signals: Iterable[SignalFacts], buurt_stacking: int | None, today: dt.date
) -> tuple[int, list[tuple[int, str, str]]]:
    """(total points, [(points, reason key, value shown)]) - reasons with 0 points left out."""
    facts = list(signals)
    live = [s for s in facts if not s.repeat]
    reasons: list[tuple[int, str, str]] = []
    kinds = {s.kind for s in facts}
    reasons.append((10 * len(kinds), "kinds", str(len(kinds))))
    total = sum((s.amount for s in live), Decimal(0))
    reasons.append((min(20, int(total // 100)), "amount", f"{total:.0f}"))
    starts = [s.arrears_start or s.signal_date for s in facts]
    if starts:
        months = max(0, (today - min(starts)).days // 30)
        reasons.append((min(12, 2 * months), "months", str(months)))
    if any(s.successive for s in facts):
        reasons.append((5, "successive", "ja"))
    repeats = sum(1 for s in facts if s.repeat)
    reasons.append((min(9, 3 * repeats), "repeat", str(repeats)))
    if any(s.crisis for s in facts):
        reasons.append((25, "crisis", "ja"))
    if any(s.warm_handover for s in facts):
        reasons.append((10, "warm", "ja"))
    if buurt_stacking:
        reasons.append((2 * buurt_stacking, "stacking", str(buurt_stacking)))
    kept = [r for r in reasons if r[0] > 0]
    kept.sort(key=lambda r: -r[0])
    return sum(r[0] for r in kept), kept


def encode(reasons: list[tuple[int, str, str]]) -> str:
    return json.dumps(reasons)


def decode(text: str, lang: str = "nl") -> list[tuple[int, str, str]]:
    """[(points, label, value)] in the page's language."""
    return [(int(p), REASONS.get(k, {}).get(lang, k), v) for p, k, v in json.loads(text)]


def stacking_lookup(values: Mapping[str, int] | None, buurt: str | None) -> int | None:
    if not values or buurt is None:
        return None
    return values.get(buurt)
