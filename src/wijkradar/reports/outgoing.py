"""The one door every outgoing figure of the web, API and exports passes through.

The small-number rules live in wijkradar.compute.disclosure (named constants, one module). This
adapter applies them to a stored (value, unit, status, sources) and returns the figure with a
note saying which rule was applied, so each figure on a page or in the API can carry it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from wijkradar.compute import disclosure


@dataclass(frozen=True)
class Released:
    value: float | None
    status: str
    note: str


def rules_summary(lang: str = "nl") -> str:
    """One line naming the small-number rules in force (for footers and sidecars)."""
    if lang == "en":
        return (
            f"counts of persons below {disclosure.SUPPRESS_BELOW} are not shown, other counts "
            f"rounded to {disclosure.ROUND_TO}; figures CBS published and scores pass unchanged"
        )
    return (
        f"aantallen personen onder {disclosure.SUPPRESS_BELOW} niet getoond, overige aantallen "
        f"afgerond op {disclosure.ROUND_TO}; door CBS gepubliceerde cijfers en scores ongewijzigd"
    )


def release(
    value: float | None,
    unit: str,
    status: str,
    source_ids: Sequence[str] = (),
    kinds: Mapping[str, str] | None = None,
    declared_units: Sequence[str] = (),
) -> Released:
    """Pass one figure through disclosure.disclose_value.

    A figure counts as published when all its sources are published open data (CBS applied its
    own disclosure control): `kinds` maps a source id to its kind (the sources table, see
    store.queries.source_kinds) and disclosure.is_published decides. A source id missing from
    `kinds` is not published, whatever publisher its id names. A value the rules withhold gets
    status 'suppressed' (value None); a non-'ok' status always keeps value None.
    `declared_units`: the units the figure's inputs declared when it was taken from them
    unchanged (store.constants.BuildConstants.declared_units): a declared count is a count.
    """
    note = rules_summary()
    if status != "ok" or value is None:
        return Released(None, "missing" if status == "ok" else status, note)
    known = kinds or {}
    published = disclosure.is_published(known.get(s, "") for s in source_ids)
    shown = disclosure.disclose_value(float(value), unit, published, declared_units)
    if shown is None:
        return Released(None, "suppressed", note)
    return Released(float(shown), status, note)
