"""Pages and API of the registers.

Public (no login): initiatives (search, filters, map, detail with history), groups with their
priorities, white spots per gemeente and nationally; JSON under /api/v1 and the HSDS export.
Workspace (/werk/registers, login, CSRF): editors add/edit/verify/retire initiatives, score
groups and import HSDS packages; professionals search the maatwerk register (every view
audited); coordinators and editors record escalations; Big 5 aggregates per gemeente.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from wijkradar.domain import WijkradarError
from wijkradar.methodology.cache import load_cached
from wijkradar.ops.web import DB, Me, Seen, back, check_csrf, lang_of, render
from wijkradar.registers import fitgap, groups, hsds, initiatives, professional, sizes
from wijkradar.registers.i18n import WORDS
from wijkradar.registers.models import Group
from wijkradar.reports import svg
from wijkradar.reports.outgoing import release
from wijkradar.store import queries

HERE = Path(__file__).resolve().parent
OPS_TEMPLATES = HERE.parent / "ops" / "templates"
MAX_PACKAGE = 20 * 1024 * 1024


def _item_json(item: initiatives.Initiative, today: dt.date) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "organisation": item.organisation,
        "kind": item.kind,
        "description": item.description,
        "url": item.url,
        "gemeenten": item.gemeenten,
        "characteristics": item.characteristics,
        "groups": item.groups,
        "status": item.status,
        "reviewed": item.reviewed,
        "source": item.source,
        "last_verified": item.assured_date.isoformat() if item.assured_date else None,
        "last_changed": item.last_modified.isoformat() if item.last_modified else None,
        "stale": item.stale(today),
    }


def _shown(count: int | None) -> int | None:
    """A count of signals as it may leave: released (None below the threshold, else rounded)."""
    if count is None:
        return None
    out = release(count, "aantal", "ok")
    return None if out.value is None else int(out.value)


def _gap_json(gap: fitgap.AreaGap) -> dict[str, Any]:
    return {
        "code": gap.code,
        "name": gap.name,
        "stacking": gap.stacking,
        "flagged": gap.flagged,
        "covered": gap.covered,
        "white_spots": gap.white_spots,
        "groups_in_need": gap.groups_in_need,
        "group_white_spots": gap.group_white_spots,
        "signals": _shown(gap.signals),
        "unmet_signals": _shown(gap.unmet_signals),
    }


def count_map(
    counts: dict[str, tuple[str, int]],
    geometries: dict[str, str],
    title: str,
    legend: str,
    href: Callable[[str], str] = lambda code: f"#area-{code}",
    label: Callable[[int], str] = str,
) -> str:
    """A choropleth of counts (white spots per area, initiatives per gemeente)."""
    if not geometries:
        return ""
    scale = svg.Scale((0, 1, 2, 3, 5, math.inf), ("0", "1", "2", "3–4", "5+"))
    areas = [
        svg.Area(
            code=code,
            name=name,
            value=float(n),
            status="ok",
            href=href(code),
            label=label(n),
        )
        for code, (name, n) in counts.items()
    ]
    return svg.choropleth(
        areas,
        geometries,
        title=title,
        scale=scale,
        legend_title=legend,
        status_labels={"suppressed": "–", "missing": "–"},
    )


def white_map(
    counts: dict[str, tuple[str, int]], geometries: dict[str, str], title: str, lang: str
) -> str:
    """White spots per area: each area says how many it has and links to its profile, where
    the white-spot panel lists them."""
    words = WORDS.lookup(lang)
    suffix = "?lang=en" if lang == "en" else ""
    return count_map(
        counts,
        geometries,
        title,
        words("white_spots"),
        href=lambda code: f"/gebied/{code}{suffix}",
        label=lambda n: words("n_white").format(n=n) if n else words("no_white"),
    )


def router(monitor_db: Path) -> APIRouter:
    templates = Jinja2Templates(directory=[str(HERE / "templates"), str(OPS_TEMPLATES)])
    api = APIRouter()

    def is_demo() -> bool:
        """Whether the monitor build is the synthetic demo (public pages then say DEMO)."""
        con = monitor()
        if con is None:
            return False
        try:
            return bool((queries.build_info(con) or {}).get("demo"))
        finally:
            con.close()

    def page(
        request: Request, name: str, seen: Seen | None, status: int = 200, **ctx: Any
    ) -> HTMLResponse:
        lang = lang_of(request)
        from wijkradar.ops.i18n import WORDS as OPS_WORDS
        from wijkradar.reports.outgoing import rules_summary

        defaults = {
            "r": WORDS.lookup(lang),
            "w": OPS_WORDS.lookup(lang),
            "terms": groups.terms(lang),
            "today": dt.date.today(),
            "demo": is_demo(),
            "rules": rules_summary(lang),
            "indicator_names": {i.id: getattr(i.labels, lang) for i in load_cached().indicators},
        }
        # public register pages may be cached; a signed-in one is private
        return render(
            templates, request, name, seen, status, seen is not None, **{**defaults, **ctx}
        )

    def editor(seen: Seen) -> None:
        if not initiatives.may_edit(seen.principal):
            raise HTTPException(403, "editors only")

    def monitor() -> Any:
        return fitgap.open_monitor(monitor_db)

    # -- public ----------------------------------------------------------------------------

    @api.get("/registers/initiatieven", response_class=HTMLResponse, include_in_schema=False)
    def initiatives_page(
        request: Request,
        session: DB,
        zoek: Annotated[str, Query(max_length=200)] = "",
        gemeente: Annotated[str, Query(max_length=6)] = "",
        kenmerk: Annotated[str, Query(max_length=60)] = "",
        groep: Annotated[str, Query(max_length=60)] = "",
        soort: Annotated[str, Query(max_length=20)] = "",
    ) -> HTMLResponse:
        with session.begin():
            found = initiatives.search(
                session,
                text=zoek,
                gemeente=gemeente or None,
                characteristic=kenmerk or None,
                group=groep or None,
                kind=soort or None,
            )
        words = WORDS.lookup(lang_of(request))
        counts: dict[str, int] = {}
        for item in found:
            for code in item.gemeenten:
                counts[code] = counts.get(code, 0) + 1
        svg_map = ""
        con = monitor()
        if con is not None:
            try:
                year = queries.latest_year(con)
                if year is not None:
                    names = {
                        r["code"]: r["name"] for r in queries.regions_at(con, "gemeente", year)
                    }
                    shapes = queries.boundaries(con, "gemeente", year)
                    svg_map = count_map(
                        {c: (names[c], counts.get(c, 0)) for c in names if c in shapes},
                        shapes,
                        words("map_initiatives"),
                        words("count"),
                    )
            finally:
                con.close()
        return page(
            request,
            "reg_initiatives.html",
            None,
            items=found,
            svg=svg_map,
            filters={
                "zoek": zoek,
                "gemeente": gemeente,
                "kenmerk": kenmerk,
                "groep": groep,
                "soort": soort,
            },
        )

    @api.get(
        "/registers/initiatieven/{service_id}", response_class=HTMLResponse, include_in_schema=False
    )
    def initiative_page(request: Request, session: DB, service_id: str) -> HTMLResponse:
        with session.begin():
            try:
                item = initiatives.get(session, service_id)
            except WijkradarError as error:
                raise HTTPException(404, "no such initiative") from error
            changes = initiatives.history(session, service_id)
        return page(request, "reg_initiative.html", None, item=item, changes=changes)

    @api.get("/registers/groepen", response_class=HTMLResponse, include_in_schema=False)
    def groups_page(
        request: Request,
        session: DB,
        gemeente: Annotated[str, Query(pattern=r"^(GM\d{4})?$")] = "",
    ) -> HTMLResponse:
        with session.begin():
            ranked = groups.priorities(session)
            history = {p.group.id: groups.score_history(session, p.group.id) for p in ranked}
        size: dict[str, list[sizes.SizeRow]] = {}
        con = monitor() if gemeente else None
        if con is not None:
            try:
                size = {p.group.id: sizes.estimates(con, p.group, gemeente) for p in ranked}
            finally:
                con.close()
        return page(
            request,
            "reg_groups.html",
            None,
            ranked=ranked,
            history=history,
            size=size,
            gemeente=gemeente,
            axes=groups.AXES,
            loads=json.loads,
        )

    @api.get("/registers/witte-vlekken", response_class=HTMLResponse, include_in_schema=False)
    def national_gaps_page(request: Request, session: DB) -> HTMLResponse:
        con = monitor()
        if con is None:
            return page(request, "reg_gaps.html", None, missing=True, target=None)
        try:
            with session.begin():
                coverage = fitgap.national(con, session)
                spots = fitgap.white_spots_per_gemeente(con, session)
            year = queries.latest_year(con)
            gemeenten = queries.regions_at(con, "gemeente", year) if year else []
            shapes = queries.boundaries(con, "gemeente", year) if year else {}
        finally:
            con.close()
        words = WORDS.lookup(lang_of(request))
        svg_map = white_map(
            {
                g["code"]: (g["name"], spots.get(g["code"], 0))
                for g in gemeenten
                if g["code"] in shapes
            },
            shapes,
            words("white_spots"),
            lang_of(request),
        )
        return page(
            request,
            "reg_gaps.html",
            None,
            missing=False,
            target=None,
            coverage=coverage,
            gemeenten=gemeenten,
            spots=spots,
            svg=svg_map,
        )

    @api.get(
        "/registers/witte-vlekken/{gemeente}", response_class=HTMLResponse, include_in_schema=False
    )
    def gaps_page(request: Request, session: DB, gemeente: str) -> HTMLResponse:
        con = monitor()
        if con is None:
            return page(request, "reg_gaps.html", None, missing=True, target=gemeente)
        words = WORDS.lookup(lang_of(request))
        try:
            year = queries.latest_year(con)
            region = queries.region(con, gemeente, year)
            if region is None or region["level"] != "gemeente":
                raise HTTPException(404, "unknown gemeente")
            with session.begin():
                gaps = fitgap.area_gaps(con, session, gemeente)
            shapes = queries.boundaries(con, "wijk", year or 0, within=gemeente)
        finally:
            con.close()
        svg_map = white_map(
            {g.code: (g.name, len(g.white_spots)) for g in gaps if g.code in shapes},
            shapes,
            words("map_white"),
            lang_of(request),
        )
        return page(
            request,
            "reg_gaps.html",
            None,
            missing=False,
            target=gemeente,
            region=region,
            gaps=gaps,
            svg=svg_map,
            shown=_shown,
        )

    # -- API --------------------------------------------------------------------------------

    @api.get("/api/v1/initiatives", tags=["registers"])
    def api_initiatives(
        session: DB,
        q: Annotated[str, Query(max_length=200)] = "",
        gemeente: Annotated[str | None, Query(pattern=r"^GM\d{4}$")] = None,
        characteristic: Annotated[str | None, Query(max_length=60)] = None,
        group: Annotated[str | None, Query(max_length=60)] = None,
        kind: Annotated[str | None, Query(pattern="^(local|national)$")] = None,
    ) -> list[dict[str, Any]]:
        """Initiatives and national measures; national measures match every gemeente."""
        today = dt.date.today()
        with session.begin():
            found = initiatives.search(
                session,
                text=q,
                gemeente=gemeente,
                characteristic=characteristic,
                group=group,
                kind=kind,
            )
        return [_item_json(i, today) for i in found]

    @api.get(
        "/api/v1/initiatives/hsds.zip",
        tags=["registers"],
        response_class=Response,
        responses={200: {"content": {"application/zip": {}}, "description": "HSDS package"}},
    )
    def api_hsds(session: DB) -> Response:
        """The register as an Open Referral HSDS 3 tabular data package."""
        with session.begin():
            data = hsds.export_zip(session)
        return Response(
            data,
            media_type="application/zip",
            headers={"Content-Disposition": 'attachment; filename="wijkradar-hsds.zip"'},
        )

    @api.get("/api/v1/initiatives/{service_id}", tags=["registers"])
    def api_initiative(session: DB, service_id: str) -> dict[str, Any]:
        with session.begin():
            try:
                item = initiatives.get(session, service_id)
            except WijkradarError as error:
                raise HTTPException(404, "no such initiative") from error
            changes = initiatives.history(session, service_id)
        out = _item_json(item, dt.date.today())
        out["history"] = [
            {"at": c.at.isoformat(), "who": c.username, "action": c.action} for c in changes
        ]
        return out

    @api.get("/api/v1/groups", tags=["registers"])
    def api_groups(session: DB) -> list[dict[str, Any]]:
        """The twelve groups with their newest scores per axis, priority order."""
        with session.begin():
            ranked = groups.priorities(session)
        return [
            {
                "id": p.group.id,
                "name": {"nl": p.group.name_nl, "en": p.group.name_en},
                "characteristics": json.loads(p.group.characteristics),
                "size_indicator": p.group.size_indicator or None,
                "size_note": p.group.size_note,
                "policy": p.group.policy,
                "total": p.total,
                "scores": {
                    axis: {
                        "score": s.score,
                        "reason": s.reason,
                        "by": s.username,
                        "at": s.at.isoformat(),
                    }
                    for axis, s in p.scores.items()
                },
            }
            for p in ranked
        ]

    @api.get("/api/v1/groups/{group_id}/size/{gemeente}", tags=["registers"])
    def api_group_size(session: DB, group_id: str, gemeente: str) -> dict[str, Any]:
        """The group's size indicator for the gemeente and its wijken (or that none exists)."""
        with session.begin():
            group = session.get(Group, group_id)
        if group is None:
            raise HTTPException(404, "no such group")
        con = monitor()
        if con is None:
            raise HTTPException(503, "no monitor database")
        try:
            rows = sizes.estimates(con, group, gemeente)
        finally:
            con.close()
        if not rows:
            raise HTTPException(404, "unknown gemeente")
        return {
            "group": group.id,
            "indicator": group.size_indicator or None,
            "note": group.size_note,
            "areas": [
                {
                    "code": r.code,
                    "name": r.name,
                    "level": r.level,
                    "value": r.value,
                    "unit": r.unit,
                    "status": r.status,
                }
                for r in rows
            ],
        }

    @api.get("/api/v1/white-spots", tags=["registers"])
    def api_national_gaps(session: DB) -> list[dict[str, Any]]:
        """Per characteristic: flagged wijken and how many have local provision."""
        con = monitor()
        if con is None:
            raise HTTPException(503, "no monitor database")
        try:
            with session.begin():
                rows = fitgap.national(con, session)
        finally:
            con.close()
        return [
            {
                "characteristic": c.characteristic,
                "flagged_wijken": c.flagged_areas,
                "covered_wijken": c.covered_areas,
                "covered_pct": c.share,
            }
            for c in rows
        ]

    @api.get("/api/v1/white-spots/{gemeente}", tags=["registers"])
    def api_gaps(session: DB, gemeente: str) -> list[dict[str, Any]]:
        """Per wijk of the gemeente: flagged characteristics, coverage and white spots."""
        con = monitor()
        if con is None:
            raise HTTPException(503, "no monitor database")
        try:
            region = queries.region(con, gemeente)
            if region is None or region["level"] != "gemeente":
                raise HTTPException(404, "unknown gemeente")
            with session.begin():
                gaps = fitgap.area_gaps(con, session, gemeente)
        finally:
            con.close()
        return [_gap_json(g) for g in gaps]

    # -- workspace: editing ----------------------------------------------------------------

    @api.get("/werk/registers", response_class=HTMLResponse, include_in_schema=False)
    def edit_home(request: Request, session: DB, seen: Me) -> HTMLResponse:
        editor(seen)
        with session.begin():
            items = initiatives.search(session, include_retired=True)
        return page(request, "reg_edit.html", seen, items=items, item=None, error=None)

    @api.get(
        "/werk/registers/initiatieven/{service_id}",
        response_class=HTMLResponse,
        include_in_schema=False,
    )
    def edit_form(request: Request, session: DB, seen: Me, service_id: str) -> HTMLResponse:
        editor(seen)
        with session.begin():
            try:
                item = initiatives.get(session, service_id)
            except WijkradarError as error:
                raise HTTPException(404, "no such initiative") from error
        return page(request, "reg_edit.html", seen, items=None, item=item, error=None)

    @api.post("/werk/registers/initiatieven", include_in_schema=False)
    def save(
        request: Request,
        session: DB,
        seen: Me,
        name: Annotated[str, Form(max_length=300)],
        organisation: Annotated[str, Form(max_length=300)],
        kind: Annotated[str, Form(max_length=20)],
        csrf: Annotated[str, Form()] = "",
        service_id: Annotated[str, Form(max_length=36)] = "",
        description: Annotated[str, Form(max_length=5000)] = "",
        url: Annotated[str, Form(max_length=500)] = "",
        gemeenten: Annotated[str, Form(max_length=2000)] = "",
        characteristics: Annotated[list[str] | None, Form()] = None,
        groups_: Annotated[list[str] | None, Form(alias="groups")] = None,
    ) -> Response:
        check_csrf(seen, csrf)
        editor(seen)
        item = initiatives.Initiative(
            id=service_id,
            name=name.strip(),
            organisation=organisation.strip(),
            kind=kind,
            description=description.strip(),
            url=url.strip(),
            gemeenten=sorted({c.strip().upper() for c in gemeenten.split(",") if c.strip()}),
            characteristics=characteristics or [],
            groups=groups_ or [],
            reviewed=True,
        )
        try:
            with session.begin():
                if service_id:
                    old = initiatives.get(session, service_id)
                    item.assured_date = old.assured_date
                    item.source = old.source
                    initiatives.edit(session, seen.principal, item)
                else:
                    service_id = initiatives.add(session, seen.principal, item)
        except WijkradarError as error:
            return page(
                request, "reg_edit.html", seen, 422, items=None, item=item, error=str(error)
            )
        return back(request, f"/registers/initiatieven/{service_id}")

    @api.post("/werk/registers/initiatieven/{service_id}/{action}", include_in_schema=False)
    def act(
        request: Request,
        session: DB,
        seen: Me,
        service_id: str,
        action: str,
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        check_csrf(seen, csrf)
        editor(seen)
        steps = {"controleren": initiatives.verify, "intrekken": initiatives.retire}
        if action not in steps:
            raise HTTPException(404, "unknown action")
        try:
            with session.begin():
                steps[action](session, seen.principal, service_id)
        except WijkradarError as error:
            raise HTTPException(404, "no such initiative") from error
        return back(request, f"/registers/initiatieven/{service_id}")

    @api.post("/werk/registers/groepen/{group_id}", include_in_schema=False)
    def score(
        request: Request,
        session: DB,
        seen: Me,
        group_id: str,
        axis: Annotated[str, Form(max_length=20)],
        score: Annotated[int, Form(ge=1, le=5)],
        reason: Annotated[str, Form(max_length=2000)],
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        check_csrf(seen, csrf)
        editor(seen)
        try:
            with session.begin():
                groups.set_score(session, seen.principal, group_id, axis, score, reason)
        except WijkradarError as error:
            raise HTTPException(422, str(error)) from error
        return back(request, "/registers/groepen")

    @api.post("/werk/registers/hsds", response_class=HTMLResponse, include_in_schema=False)
    async def hsds_upload(
        request: Request,
        session: DB,
        seen: Me,
        package: Annotated[UploadFile, File()],
        csrf: Annotated[str, Form()] = "",
    ) -> HTMLResponse:
        check_csrf(seen, csrf)
        editor(seen)
        data = await package.read(MAX_PACKAGE + 1)
        if len(data) > MAX_PACKAGE:
            raise HTTPException(413, "package larger than 20 MB")
        try:
            files = hsds.read_zip(data)
            with session.begin():
                n = hsds.import_package(session, seen.principal, files)
        except (WijkradarError, ValueError) as error:
            message = str(error) if isinstance(error, WijkradarError) else "not a zip file"
            return page(request, "reg_edit.html", seen, 422, items=None, item=None, error=message)
        words = WORDS.lookup(lang_of(request))
        return page(
            request,
            "reg_edit.html",
            seen,
            items=None,
            item=None,
            error=None,
            note=words("imported", n=n),
        )

    # -- workspace: professionals ------------------------------------------------------------

    @api.get("/werk/maatwerk", response_class=HTMLResponse, include_in_schema=False)
    def maatwerk(
        request: Request,
        session: DB,
        seen: Me,
        domein: Annotated[str, Query(max_length=40)] = "",
        zoek: Annotated[str, Query(max_length=200)] = "",
    ) -> HTMLResponse:
        with session.begin():
            rows = professional.find_contacts(session, seen.principal, domein or None, zoek)
        return page(
            request,
            "reg_maatwerk.html",
            seen,
            rows=rows,
            domains=professional.DOMAINS,
            domein=domein,
            zoek=zoek,
        )

    @api.post("/werk/maatwerk", include_in_schema=False)
    def maatwerk_add(
        request: Request,
        session: DB,
        seen: Me,
        organisation: Annotated[str, Form(max_length=200)],
        domain: Annotated[str, Form(max_length=40)],
        role: Annotated[str, Form(max_length=200)],
        reach: Annotated[str, Form(max_length=300)],
        csrf: Annotated[str, Form()] = "",
        gemeente: Annotated[str, Form(max_length=6)] = "",
    ) -> Response:
        check_csrf(seen, csrf)
        editor(seen)
        try:
            with session.begin():
                professional.add_contact(
                    session, seen.principal, organisation, domain, role, reach, gemeente or None
                )
        except WijkradarError as error:
            raise HTTPException(422, str(error)) from error
        return back(request, f"/werk/maatwerk?domein={domain}")

    @api.get("/werk/escalaties", response_class=HTMLResponse, include_in_schema=False)
    def escalations(request: Request, session: DB, seen: Me) -> HTMLResponse:
        with session.begin():
            patterns = professional.pattern_report(session)
        return page(request, "reg_escalations.html", seen, patterns=patterns, error=None)

    @api.post("/werk/escalaties", response_class=HTMLResponse, include_in_schema=False)
    def escalation_add(
        request: Request,
        session: DB,
        seen: Me,
        opened_on: Annotated[dt.date, Form()],
        domains: Annotated[list[str], Form()],
        laws: Annotated[str, Form(max_length=1000)] = "",
        organisations: Annotated[str, Form(max_length=1000)] = "",
        status: Annotated[str, Form(max_length=20)] = "open",
        resolution: Annotated[str, Form(max_length=5000)] = "",
        lesson: Annotated[str, Form(max_length=5000)] = "",
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        check_csrf(seen, csrf)
        try:
            with session.begin():
                professional.add_escalation(
                    session,
                    seen.principal,
                    opened_on,
                    domains,
                    laws.split(";"),
                    organisations.split(";"),
                    status,
                    resolution,
                    lesson,
                    lang_of(request),
                )
        except PermissionError as error:
            raise HTTPException(403, str(error)) from error
        except WijkradarError as error:
            with session.begin():
                patterns = professional.pattern_report(session)
            return page(
                request, "reg_escalations.html", seen, 422, patterns=patterns, error=str(error)
            )
        return back(request, "/werk/escalaties")

    @api.get("/werk/big5", response_class=HTMLResponse, include_in_schema=False)
    def big5(request: Request, session: DB, seen: Me) -> HTMLResponse:
        gemeente = seen.principal.gemeente_code
        with session.begin():
            trend = professional.big5_trend(session, gemeente) if gemeente else []
            national_rows = professional.big5_national(session)
        return page(
            request,
            "reg_big5.html",
            seen,
            trend=trend,
            national=national_rows,
            keys=professional.BIG5,
            error=None,
        )

    @api.post("/werk/big5", response_class=HTMLResponse, include_in_schema=False)
    def big5_add(
        request: Request,
        session: DB,
        seen: Me,
        quarter: Annotated[str, Form(max_length=6)],
        turning_18: Annotated[int, Form(ge=0, le=100_000)],
        wonen: Annotated[int, Form(ge=0)],
        zorg: Annotated[int, Form(ge=0)],
        inkomen: Annotated[int, Form(ge=0)],
        school_werk: Annotated[int, Form(ge=0)],
        support: Annotated[int, Form(ge=0)],
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        check_csrf(seen, csrf)
        gemeente = seen.principal.gemeente_code
        if gemeente is None:
            raise HTTPException(403, "own gemeente only")
        try:
            with session.begin():
                professional.enter_big5(
                    session,
                    seen.principal,
                    gemeente,
                    quarter,
                    turning_18,
                    wonen=wonen,
                    zorg=zorg,
                    inkomen=inkomen,
                    school_werk=school_werk,
                    support=support,
                )
        except PermissionError as error:
            raise HTTPException(403, str(error)) from error
        except WijkradarError as error:
            raise HTTPException(422, str(error)) from error
        return back(request, "/werk/big5")

    return api
