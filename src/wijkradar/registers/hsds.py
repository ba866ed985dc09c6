"""HSDS 3 tabular data package export and import (datapackage.json + one CSV per object), so a
municipality's existing social map can be loaded and ours reused.

Objects written: organization, service, location, service_at_location, taxonomy, taxonomy_term,
attribute. The gemeente of a location is its `external_identifier` with
`external_identifier_type` "CBS gemeentecode"; 'last verified' is the service's `assured_date`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkradar.domain import WijkradarError
from wijkradar.ops.accounts.auth import Principal
from wijkradar.registers import initiatives
from wijkradar.registers.models import (
    Attribute,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)

CODE_TYPE = "CBS gemeentecode"
FIELDS: dict[str, list[str]] = {
    "organization": ["id", "name", "description", "website"],
    "service": [
        "id",
        "organization_id",
        "name",
        "description",
        "url",
        "status",
        "assured_date",
        "last_modified",
    ],
    "location": [
        "id",
        "organization_id",
        "location_type",
        "name",
        "latitude",
        "longitude",
        "external_identifier",
        "external_identifier_type",
    ],
    "service_at_location": ["id", "service_id", "location_id"],
    "taxonomy": ["id", "name", "description"],
    "taxonomy_term": ["id", "code", "name", "taxonomy_id"],
    "attribute": ["id", "link_id", "link_type", "link_entity", "taxonomy_term_id"],
}
TAXONOMY_NAMES = {
    "characteristic": "Wijkradar risk characteristics (TNO)",
    "group": "Wijkradar groups (seed 004 §6)",
    "kind": "Wijkradar kind: local initiative or national measure",
}


def _rows(session: Session) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in FIELDS}
    for org in session.scalars(select(Organization).order_by(Organization.id)):
        out["organization"].append(
            {"id": org.id, "name": org.name, "description": org.description, "website": org.website}
        )
    for s in session.scalars(select(Service).order_by(Service.id)):
        out["service"].append(
            {
                "id": s.id,
                "organization_id": s.organization_id,
                "name": s.name,
                "description": s.description,
                "url": s.url,
                "status": s.status,
                "assured_date": s.assured_date.isoformat(),
                "last_modified": s.last_modified.isoformat(),
            }
        )
    for loc in session.scalars(select(Location).order_by(Location.id)):
        out["location"].append(
            {
                "id": loc.id,
                "organization_id": loc.organization_id,
                "location_type": loc.location_type,
                "name": loc.name,
                "latitude": "" if loc.latitude is None else loc.latitude,
                "longitude": "" if loc.longitude is None else loc.longitude,
                "external_identifier": loc.wijk_code or loc.gemeente_code,
                "external_identifier_type": "CBS wijkcode" if loc.wijk_code else CODE_TYPE,
            }
        )
    for sal in session.scalars(select(ServiceAtLocation).order_by(ServiceAtLocation.id)):
        out["service_at_location"].append(
            {"id": sal.id, "service_id": sal.service_id, "location_id": sal.location_id}
        )
    for key, name in TAXONOMY_NAMES.items():
        out["taxonomy"].append({"id": key, "name": name, "description": ""})
    for term in session.scalars(select(TaxonomyTerm).order_by(TaxonomyTerm.id)):
        out["taxonomy_term"].append(
            {"id": term.id, "code": term.code, "name": term.name, "taxonomy_id": term.taxonomy}
        )
    for attr in session.scalars(select(Attribute).order_by(Attribute.id)):
        out["attribute"].append(
            {
                "id": attr.id,
                "link_id": attr.service_id,
                "link_type": "audience",
                "link_entity": "service",
                "taxonomy_term_id": attr.taxonomy_term_id,
            }
        )
    return out


def datapackage() -> dict[str, Any]:
    return {
        "name": "wijkradar-initiatives",
        "title": "Wijkradar initiatives register (Open Referral HSDS 3)",
        "profile": "tabular-data-package",
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "schema": {"fields": [{"name": f, "type": "string"} for f in fields]},
            }
            for name, fields in FIELDS.items()
        ],
    }


def export_zip(session: Session) -> bytes:
    """The whole register as one zip: datapackage.json and the CSV files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(datapackage(), indent=2))
        for name, rows in _rows(session).items():
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=FIELDS[name], lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            archive.writestr(f"{name}.csv", text.getvalue())
    return buffer.getvalue()


def export_dir(session: Session, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(export_zip(session))) as archive:
        archive.extractall(target)


def _read(files: dict[str, str], name: str, required: bool) -> list[dict[str, str]]:
    if f"{name}.csv" not in files:
        if required:
            raise WijkradarError(f"HSDS package: {name}.csv missing")
        return []
    reader = csv.DictReader(io.StringIO(files[f"{name}.csv"]))
    rows = list(reader)
    missing = {"id"} - set(reader.fieldnames or [])
    if missing:
        raise WijkradarError(f"HSDS package: {name}.csv, row 1, column id: expected, found none")
    return rows


def import_package(session: Session, principal: Principal, files: dict[str, str]) -> int:
    """Add or update the services of an HSDS package (file name -> CSV text). Locations count
    when their external identifier is a CBS gemeentecode; terms of other taxonomies are kept
    out (they are not ours). One transaction: an error leaves nothing. Returns services read."""
    orgs = {r["id"]: r for r in _read(files, "organization", True)}
    services = _read(files, "service", True)
    locations = {r["id"]: r for r in _read(files, "location", False)}
    places: dict[str, list[str]] = {}
    for n, row in enumerate(_read(files, "service_at_location", False), start=2):
        loc = locations.get(row.get("location_id", ""))
        if loc is None:
            raise WijkradarError(
                f"HSDS package: service_at_location.csv, row {n}, column location_id: "
                f"expected a location id, found {row.get('location_id', '')!r}"
            )
        if loc.get("external_identifier_type") == CODE_TYPE:
            places.setdefault(row["service_id"], []).append(loc["external_identifier"])
    tags: dict[str, list[str]] = {}
    for row in _read(files, "attribute", False):
        tags.setdefault(row.get("link_id", ""), []).append(row.get("taxonomy_term_id", ""))
    count = 0
    for n, row in enumerate(services, start=2):
        org = orgs.get(row.get("organization_id", ""))
        if org is None:
            raise WijkradarError(
                f"HSDS package: service.csv, row {n}, column organization_id: expected an "
                f"organization id, found {row.get('organization_id', '')!r}"
            )
        own = tags.get(row["id"], [])
        kind = "national" if "kind:national" in own else "local"
        assured = row.get("assured_date") or ""
        item = initiatives.Initiative(
            id=row["id"],
            name=row.get("name", ""),
            organisation=org.get("name", ""),
            kind=kind,
            description=row.get("description", ""),
            url=row.get("url", ""),
            gemeenten=sorted(set(places.get(row["id"], []))),
            characteristics=[t.split(":", 1)[1] for t in own if t.startswith("characteristic:")],
            groups=[t.split(":", 1)[1] for t in own if t.startswith("group:")],
            source="HSDS import",
            reviewed=False,
            status=row.get("status") or "active",
            assured_date=dt.date.fromisoformat(assured[:10]) if assured else None,
        )
        try:
            if session.get(Service, item.id) is None:
                initiatives.add(session, principal, item)
            else:
                initiatives.edit(session, principal, item)
        except WijkradarError as error:
            raise WijkradarError(f"HSDS package: service.csv, row {n}: {error}") from error
        count += 1
    return count


def read_zip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            Path(name).name: archive.read(name).decode("utf-8-sig")
            for name in archive.namelist()
            if name.endswith(".csv")
        }


def read_dir(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8-sig") for p in folder.glob("*.csv")}
