"""The groups register: the twelve groups, their scores on need, resilience and policy gap
(with reasons, who set them and history), and the taxonomies initiatives are tagged with."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkradar.domain import WijkradarError
from wijkradar.methodology.cache import load_cached
from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.core import clock
from wijkradar.registers import initiatives
from wijkradar.registers.models import Change, Group, GroupScore

AXES = ("need", "resilience", "policy_gap")


@dataclass(frozen=True)
class Priority:
    group: Group
    scores: dict[str, GroupScore]

    @property
    def total(self) -> int | None:
        """Need + (6 - resilience) + policy gap: high need, low resilience and a real policy
        gap put a group first (seed 004: 'nood hoog, veerkracht laag, beleidstekort reëel')."""
        if set(self.scores) != set(AXES):
            return None
        return (
            self.scores["need"].score
            + (6 - self.scores["resilience"].score)
            + self.scores["policy_gap"].score
        )


def seed_groups() -> list[dict[str, Any]]:
    text = resources.files("wijkradar.registers").joinpath("data/groups.yml").read_text("utf-8")
    groups: list[dict[str, Any]] = yaml.safe_load(text)["groups"]
    return groups


def terms(lang: str = "nl") -> dict[str, dict[str, str]]:
    """Taxonomy -> code -> name: our characteristics (methodology), groups and kinds."""
    method = load_cached()
    return {
        "characteristic": {c.id: getattr(c.labels, lang) for c in method.characteristics},
        "group": {g["id"]: g[lang] for g in seed_groups()},
        "kind": {"local": "lokaal initiatief", "national": "landelijke maatregel"},
    }


def load_seed(session: Session) -> int:
    """Create the twelve groups and the taxonomy terms if they do not exist (idempotent)."""
    initiatives.ensure_terms(session, terms())
    added = 0
    for raw in seed_groups():
        if session.get(Group, raw["id"]) is not None:
            continue
        session.add(
            Group(
                id=raw["id"],
                name_nl=raw["nl"],
                name_en=raw["en"],
                description=raw["description"],
                characteristics=json.dumps(raw["characteristics"]),
                sources=raw["sources"],
                policy=raw["policy"],
                size_indicator=raw["size_indicator"],
                size_note=raw["size_note"],
            )
        )
        added += 1
    session.flush()
    return added


def set_score(
    session: Session, principal: Principal, group_id: str, axis: str, score: int, reason: str
) -> None:
    """A new score; the earlier ones stay as history (the table is append-only)."""
    if not initiatives.may_edit(principal):
        raise PermissionError("editors only")
    if session.get(Group, group_id) is None:
        raise WijkradarError(f"no group {group_id!r}")
    if axis not in AXES:
        raise WijkradarError(f"axis {axis!r}: expected one of {', '.join(AXES)}")
    if not 1 <= score <= 5:
        raise WijkradarError(f"score {score}: expected 1-5")
    if not reason.strip():
        raise WijkradarError("a score needs its reason")
    now = clock.now()
    session.add(
        GroupScore(
            group_id=group_id,
            axis=axis,
            score=score,
            reason=reason.strip(),
            username=principal.username,
            at=now,
        )
    )
    session.add(
        Change(
            at=now,
            username=principal.username,
            record_type="group",
            record_id=group_id,
            action="edit",
            snapshot=json.dumps({"axis": axis, "score": score, "reason": reason.strip()}),
        )
    )
    session.flush()


def edit(session: Session, principal: Principal, group_id: str, **fields: str) -> None:
    if not initiatives.may_edit(principal):
        raise PermissionError("editors only")
    group = session.get(Group, group_id)
    if group is None:
        raise WijkradarError(f"no group {group_id!r}")
    allowed = {"description", "sources", "policy", "size_indicator", "size_note"}
    for key, value in fields.items():
        if key not in allowed:
            raise WijkradarError(f"group field {key!r} cannot be edited")
        setattr(group, key, value)
    session.add(
        Change(
            at=clock.now(),
            username=principal.username,
            record_type="group",
            record_id=group_id,
            action="edit",
            snapshot=json.dumps(fields, ensure_ascii=False),
        )
    )
    session.flush()


def score_history(session: Session, group_id: str) -> list[GroupScore]:
    return list(
        session.scalars(
            select(GroupScore).where(GroupScore.group_id == group_id).order_by(GroupScore.id)
        )
    )


def priorities(session: Session) -> list[Priority]:
    """Every group with its newest score per axis, highest total first (unscored last)."""
    latest: dict[str, dict[str, GroupScore]] = {}
    for score in session.scalars(select(GroupScore).order_by(GroupScore.id)):
        latest.setdefault(score.group_id, {})[score.axis] = score
    rows = [
        Priority(group, latest.get(group.id, {}))
        for group in session.scalars(select(Group).order_by(Group.id))
    ]
    return sorted(rows, key=lambda p: (p.total is None, -(p.total or 0), p.group.id))
