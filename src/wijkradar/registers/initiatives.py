"""The initiatives register: add, edit, retire, verify (each with history), search, and the
seed load. Editors (and admins) change; everybody reads.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import asdict, dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkradar.domain import WijkradarError
from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.core import clock
from wijkradar.registers.models import (
    Attribute,
    Change,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)

TAXONOMIES = ("characteristic", "group", "kind")
KINDS = ("local", "national")
#: an entry not verified for this long is shown as stale
STALE_DAYS = 365
EDIT_ROLES = frozenset({"editor", "admin"})
NAMESPACE = uuid.UUID("6f1d3c1e-8a52-4f7a-9a53-0c8e2f4b7a11")
#: the one review status the seed data may carry (the drafts' 'concept' is gone)
REVIEWED = "reviewed"
#: what a link cut off in a text extraction tends to end with
_CUT_MARKS = ("…", "...", "-", ".", ",", ";", ":", "(", "'", '"')


@dataclass
class Initiative:
    """One service with its organisation, places and terms (the register's unit of editing)."""

    name: str
    organisation: str
    kind: str
    description: str = ""
    url: str = ""
    gemeenten: list[str] = field(default_factory=list)  # CBS codes, empty for national
    characteristics: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    source: str = ""
    reviewed: bool = False
    id: str = ""
    status: str = "active"
    assured_date: dt.date | None = None
    last_modified: dt.datetime | None = None

    def stale(self, today: dt.date) -> bool:
        return self.assured_date is None or (today - self.assured_date).days > STALE_DAYS


def may_edit(principal: Principal) -> bool:
    return principal.role in EDIT_ROLES


def _require_editor(principal: Principal) -> None:
    if not may_edit(principal):
        raise PermissionError("editors only")


def _uid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "|".join(parts)))


def _history(
    session: Session, username: str, record_id: str, action: str, item: Initiative
) -> None:
    snapshot = asdict(item)
    session.add(
        Change(
            at=clock.now(),
            username=username,
            record_type="service",
            record_id=record_id,
            action=action,
            snapshot=json.dumps(snapshot, default=str, ensure_ascii=False),
        )
    )


def ensure_terms(session: Session, names: dict[str, dict[str, str]]) -> None:
    """Create the taxonomy terms (taxonomy -> code -> name) that do not exist yet."""
    existing = set(session.scalars(select(TaxonomyTerm.id)))
    for taxonomy, terms in names.items():
        for code, name in terms.items():
            term_id = f"{taxonomy}:{code}"
            if term_id not in existing:
                session.add(TaxonomyTerm(id=term_id, taxonomy=taxonomy, code=code, name=name))
    session.flush()


def link_problem(url: str) -> str | None:
    """Why `url` is not a complete http(s) link (None when it is): a link cut off in the
    source (ending in a hyphen, an ellipsis or punctuation) must not reach the register."""
    if not url.startswith(("https://", "http://")):
        return "url must start with http:// or https://"
    parts = urlsplit(url)
    if "." not in parts.netloc or any(c.isspace() for c in url):
        return "url has no host or contains spaces"
    if "…" in url or "..." in url or url.endswith(_CUT_MARKS):
        return "url looks cut off"
    return None


def _validate(item: Initiative, known: set[str]) -> None:
    if not item.name.strip():
        raise WijkradarError("initiative: name is empty")
    if item.kind not in KINDS:
        raise WijkradarError(
            f"initiative {item.name!r}: kind {item.kind!r}, expected local|national"
        )
    if item.kind == "local" and not item.gemeenten:
        raise WijkradarError(f"initiative {item.name!r}: a local initiative needs a gemeente")
    problem = link_problem(item.url) if item.url else None
    if problem:
        raise WijkradarError(f"initiative {item.name!r}: {problem}")
    for code in item.gemeenten:
        if len(code) != 6 or not code.startswith("GM") or not code[2:].isdigit():
            raise WijkradarError(f"initiative {item.name!r}: gemeente {code!r} is not GMxxxx")
    for taxonomy, codes in (("characteristic", item.characteristics), ("group", item.groups)):
        for code in codes:
            if f"{taxonomy}:{code}" not in known:
                raise WijkradarError(f"initiative {item.name!r}: unknown {taxonomy} {code!r}")


def _write(session: Session, item: Initiative, today: dt.date) -> None:
    """Replace the service's rows (organisation shared by name)."""
    org_id = _uid("org", item.organisation)
    if session.get(Organization, org_id) is None:
        session.add(Organization(id=org_id, name=item.organisation))
    service = session.get(Service, item.id)
    if service is None:
        service = Service(id=item.id, organization_id=org_id, assured_date=today)
        session.add(service)
    service.organization_id = org_id
    service.name = item.name
    service.description = item.description
    service.url = item.url
    service.status = item.status
    service.kind = item.kind
    service.reviewed = item.reviewed
    service.source = item.source
    service.assured_date = item.assured_date or service.assured_date or today
    service.last_modified = clock.now()
    session.flush()
    for old in session.scalars(
        select(ServiceAtLocation).where(ServiceAtLocation.service_id == item.id)
    ):
        session.delete(old)
    for old_attr in session.scalars(select(Attribute).where(Attribute.service_id == item.id)):
        session.delete(old_attr)
    session.flush()
    for code in item.gemeenten:
        loc_id = _uid("loc", org_id, code)
        if session.get(Location, loc_id) is None:
            session.add(
                Location(
                    id=loc_id,
                    organization_id=org_id,
                    name=f"{item.organisation} ({code})",
                    gemeente_code=code,
                    wijk_code=None,
                )
            )
        session.add(
            ServiceAtLocation(id=_uid("sal", item.id, code), service_id=item.id, location_id=loc_id)
        )
    terms = [("kind", item.kind)]
    terms += [("characteristic", c) for c in item.characteristics]
    terms += [("group", g) for g in item.groups]
    for taxonomy, code in dict.fromkeys(terms):
        session.add(
            Attribute(
                id=_uid("attr", item.id, taxonomy, code),
                service_id=item.id,
                taxonomy_term_id=f"{taxonomy}:{code}",
            )
        )
    session.flush()


def _known_terms(session: Session) -> set[str]:
    return set(session.scalars(select(TaxonomyTerm.id)))


def add(session: Session, principal: Principal, item: Initiative) -> str:
    _require_editor(principal)
    _validate(item, _known_terms(session))
    item.id = item.id or str(uuid.uuid4())
    if session.get(Service, item.id) is not None:
        raise WijkradarError(f"initiative {item.id} exists already")
    _write(session, item, clock.today())
    _history(session, principal.username, item.id, "add", get(session, item.id))
    return item.id


def edit(session: Session, principal: Principal, item: Initiative) -> None:
    _require_editor(principal)
    if session.get(Service, item.id) is None:
        raise WijkradarError(f"no initiative {item.id}")
    _validate(item, _known_terms(session))
    _write(session, item, clock.today())
    _history(session, principal.username, item.id, "edit", get(session, item.id))


def retire(session: Session, principal: Principal, service_id: str) -> None:
    """Retired entries stay (HSDS status 'defunct') with their history; lists hide them."""
    _require_editor(principal)
    item = get(session, service_id)
    item.status = "defunct"
    _write(session, item, clock.today())
    _history(session, principal.username, service_id, "retire", get(session, service_id))


def verify(session: Session, principal: Principal, service_id: str) -> None:
    """Somebody checked the entry is still true: 'last verified' moves, the content does not."""
    _require_editor(principal)
    service = session.get(Service, service_id)
    if service is None:
        raise WijkradarError(f"no initiative {service_id}")
    service.assured_date = clock.today()
    session.flush()
    _history(session, principal.username, service_id, "verify", get(session, service_id))


def history(session: Session, service_id: str) -> list[Change]:
    return list(
        session.scalars(
            select(Change)
            .where(Change.record_type == "service", Change.record_id == service_id)
            .order_by(Change.id)
        )
    )


def get(session: Session, service_id: str) -> Initiative:
    found = search(session, ids=[service_id], include_retired=True)
    if not found:
        raise WijkradarError(f"no initiative {service_id}")
    return found[0]


def search(
    session: Session,
    *,
    text: str = "",
    gemeente: str | None = None,
    characteristic: str | None = None,
    group: str | None = None,
    kind: str | None = None,
    include_retired: bool = False,
    ids: list[str] | None = None,
) -> list[Initiative]:
    """Initiatives matching every given filter; national measures count for every gemeente."""
    query = select(Service, Organization.name).join(
        Organization, Organization.id == Service.organization_id
    )
    if ids is not None:
        query = query.where(Service.id.in_(ids))
    if not include_retired:
        query = query.where(Service.status != "defunct")
    if kind:
        query = query.where(Service.kind == kind)
    rows = session.execute(query.order_by(Service.name)).all()
    service_ids = [row[0].id for row in rows]
    places: dict[str, list[str]] = {}
    for sid, code in session.execute(
        select(ServiceAtLocation.service_id, Location.gemeente_code)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(ServiceAtLocation.service_id.in_(service_ids))
    ):
        places.setdefault(sid, []).append(code)
    terms: dict[str, list[str]] = {}
    for sid, term in session.execute(
        select(Attribute.service_id, Attribute.taxonomy_term_id).where(
            Attribute.service_id.in_(service_ids)
        )
    ):
        terms.setdefault(sid, []).append(term)
    needle = text.strip().lower()
    out: list[Initiative] = []
    for service, org_name in rows:
        own = terms.get(service.id, [])
        item = Initiative(
            id=service.id,
            name=service.name,
            organisation=org_name,
            kind=service.kind,
            description=service.description,
            url=service.url,
            gemeenten=sorted(places.get(service.id, [])),
            characteristics=sorted(
                t.split(":", 1)[1] for t in own if t.startswith("characteristic:")
            ),
            groups=sorted(t.split(":", 1)[1] for t in own if t.startswith("group:")),
            source=service.source,
            reviewed=service.reviewed,
            status=service.status,
            assured_date=service.assured_date,
            last_modified=service.last_modified,
        )
        if gemeente and item.kind == "local" and gemeente not in item.gemeenten:
            continue
        if characteristic and characteristic not in item.characteristics:
            continue
        if group and group not in item.groups:
            continue
        if needle and needle not in f"{item.name} {item.organisation} {item.description}".lower():
            continue
        out.append(item)
    return out


def seed_data(name: str = "initiatives.yml") -> dict[str, Any]:
    """The seeds' initiatives, or (demo_initiatives.yml) the fictional ones of the demo."""
    text = resources.files("wijkradar.registers").joinpath(f"data/{name}").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _organisation(entry: dict[str, Any]) -> str:
    if entry.get("organisation"):
        return str(entry["organisation"])
    if entry["kind"] == "national":
        return "Rijksoverheid en VNG"
    return f"Gemeente {entry['place']}"


def seed_reviewed(entry: dict[str, Any]) -> bool:
    """True when the entry carries a valid review block (status, reviewer, date); an entry
    without one (the demo's) loads as not reviewed; a malformed block is refused."""
    review = entry.get("review")
    if review is None:
        return False
    name = entry.get("name")
    if not isinstance(review, dict) or review.get("status") != REVIEWED:
        raise WijkradarError(f"initiative {name!r}: review status must be {REVIEWED!r}")
    if not str(review.get("reviewer") or "").strip():
        raise WijkradarError(f"initiative {name!r}: review has no reviewer")
    try:
        dt.date.fromisoformat(str(review.get("date")))
    except ValueError as exc:
        raise WijkradarError(f"initiative {name!r}: review date is not YYYY-MM-DD") from exc
    for link in entry.get("links") or []:
        problem = link_problem(str(link))
        if problem:
            raise WijkradarError(f"initiative {name!r}: {link!r}: {problem}")
    return True


def _retire_superseded(session: Session, principal: Principal, current: set[str]) -> None:
    """Retire seed entries a store still holds from an earlier version of the seed file (the
    unreviewed draft named and sourced some entries differently, so their stable ids differ);
    without this a reload would show both versions. History keeps the old entry."""
    stale = session.scalars(
        select(Service.id).where(Service.source.startswith("seed "), Service.status != "defunct")
    )
    for service_id in sorted(set(stale) - current):
        retire(session, principal, service_id)


def load_seed(session: Session, principal: Principal, name: str = "initiatives.yml") -> int:
    """Add the seed initiatives that are not in the register yet (idempotent by stable id);
    loading the seeds' file also retires seed entries that file no longer holds."""
    _require_editor(principal)
    data = seed_data(name)
    as_of = dt.date.fromisoformat(str(data["as_of"]))
    known = _known_terms(session)
    added = 0
    current: set[str] = set()
    for entry in data["initiatives"]:
        codes = [entry["gemeente_code"]] if entry["gemeente_code"] else []
        codes += [other["gemeente_code"] for other in entry.get("also_in", [])]
        item = Initiative(
            id=_uid("seed", entry["source"], entry["name"]),
            name=entry["name"],
            organisation=_organisation(entry),
            kind=entry["kind"],
            description=entry["description"],
            url=(entry["links"] or [""])[0],
            gemeenten=sorted(set(codes)),
            characteristics=entry["characteristics"],
            groups=entry["groups"],
            source=entry["source"],
            reviewed=seed_reviewed(entry),
            assured_date=as_of,
        )
        current.add(item.id)
        if session.get(Service, item.id) is not None:
            continue
        _validate(item, known)
        _write(session, item, as_of)
        _history(session, principal.username, item.id, "import", item)
        added += 1
    if name == "initiatives.yml":
        _retire_superseded(session, principal, current)
    return added
