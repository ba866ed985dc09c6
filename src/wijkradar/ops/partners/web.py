"""Routes of partner signals under /werk: the signal form (two steps, no JavaScript: check shows
recent signals for the same wijk and characteristics, then submit), the partner's and the
gemeente's lists, a signal's status history, the monthly CSV upload, the token-authenticated
JSON endpoint, the "under the radar" map and table, and the vindplaatsen register."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from wijkradar.domain import WijkradarError
from wijkradar.domain.words import Lookup
from wijkradar.ops.arrears import reach
from wijkradar.ops.core import clock
from wijkradar.ops.partners import area_signals as sig
from wijkradar.ops.partners import place_points, radar, vindplaatsen
from wijkradar.ops.partners.i18n import WORDS
from wijkradar.ops.partners.models import BANDS, DIRECTIONS, NEXT_STATUS, PLACE_KINDS
from wijkradar.ops.partners.monitor_cache import buurt_shapes, wijk_boundaries, wijk_figures
from wijkradar.ops.store import OpsStore
from wijkradar.ops.web import DB, TEMPLATES, Me, Seen, back, check_csrf, lang_of, render

MAX_CSV = 5 * 1024 * 1024


class SignalIn(BaseModel):
    """A signal sent by a partner's own system (POST /werk/api/signalen)."""

    wijk: str = Field(max_length=8)
    buurt: str = Field(default="", max_length=10)
    maand: str = Field(max_length=7)
    kenmerken: list[str] = Field(default_factory=list, max_length=12)
    groepen: list[str] = Field(default_factory=list, max_length=12)
    richting: str = Field(max_length=6)
    huishoudens: str = Field(max_length=6)
    tekst: str = Field(default="", max_length=2000)


def labels(lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """Characteristic and group labels in the page's language (methodology data)."""
    from wijkradar.methodology.cache import load_cached
    from wijkradar.methodology.triangulation import load_cached as load_triangulation

    chars = {
        c.id: (c.labels.en if lang == "en" else c.labels.nl)
        for c in load_cached().risk_characteristics
    }
    groups = {g.id: (g.en if lang == "en" else g.nl) for g in load_triangulation().groups}
    return chars, groups


def router(store: OpsStore, monitor_db: Path) -> APIRouter:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    api = APIRouter(prefix="/werk", include_in_schema=False)

    def page(request: Request, name: str, seen: Seen, status: int = 200, **ctx: Any) -> Response:
        lang = lang_of(request)
        chars, groups = labels(lang)
        defaults = {
            "w": WORDS.lookup(lang),
            "chars": chars,
            "groups": groups,
            "directions": DIRECTIONS,
            "bands": BANDS,
            "names": lambda ids, table: ", ".join(table.get(i, i) for i in ids),
        }
        return render(templates, request, name, seen, status, **{**defaults, **ctx})

    def partner_org(session: Session, seen: Seen) -> Any:
        try:
            return sig.org_of(session, seen.principal)
        except sig.NotAllowed:
            raise HTTPException(403, "partner users only") from None

    def gemeente_for(seen: Seen, asked: str | None) -> str | None:
        me = seen.principal
        if me.role == "admin":
            return asked
        if me.role in ("coordinator", "analyst", "partner"):
            return me.gemeente_code
        raise HTTPException(403, "no access to these aggregates")

    @api.get("/signalen", response_class=HTMLResponse)
    def signal_list(request: Request, session: DB, seen: Me) -> Response:
        with session.begin():
            try:
                rows = sig.listing(session, seen.principal)
            except sig.NotAllowed:
                raise HTTPException(403, "no access to partner signals") from None
            tops = sig.topics(session, [r.id for r in rows])
        return page(request, "partner_signals.html", seen, rows=rows, tops=tops)

    @api.get("/signalen/nieuw", response_class=HTMLResponse)
    def signal_form(request: Request, session: DB, seen: Me) -> Response:
        with session.begin():
            org = partner_org(session, seen)
            wijken = sorted(sig.org_wijken(session, org.gemeente_code))
        return page(
            request,
            "partner_form.html",
            seen,
            org=org,
            wijken=wijken,
            v=sig.SignalInput("", f"{clock.today():%Y-%m}", [], [], "meer", BANDS[0]),
            problems=[],
            preview=None,
        )

    @api.post("/signalen/nieuw", response_class=HTMLResponse)
    def signal_post(
        request: Request,
        session: DB,
        seen: Me,
        wijk: Annotated[str, Form(max_length=8)],
        maand: Annotated[str, Form(max_length=7)],
        richting: Annotated[str, Form(max_length=6)],
        huishoudens: Annotated[str, Form(max_length=6)],
        kenmerken: Annotated[list[str] | None, Form()] = None,
        groepen: Annotated[list[str] | None, Form()] = None,
        buurt: Annotated[str, Form(max_length=10)] = "",
        tekst: Annotated[str, Form(max_length=2000)] = "",
        bevestigd: Annotated[str, Form()] = "",
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        check_csrf(seen, csrf)
        lang = lang_of(request)
        inp = sig.SignalInput(
            wijk.strip(),
            maand.strip(),
            kenmerken or [],
            groepen or [],
            richting,
            huishoudens,
            tekst,
            buurt.strip(),
        )
        with session.begin():
            org = partner_org(session, seen)
            wijken = sorted(sig.org_wijken(session, org.gemeente_code))
            problems = sig.check(inp, org.gemeente_code, lang)
            if problems or not bevestigd:
                preview = (
                    None if problems else sig.recent(session, org, inp.wijk, inp.characteristics)
                )
                return page(
                    request,
                    "partner_form.html",
                    seen,
                    422 if problems else 200,
                    org=org,
                    wijken=wijken,
                    v=inp,
                    problems=problems,
                    preview=preview,
                )
            signal = sig.submit(session, org, inp, seen.principal.username, "web", lang)
            signal_id = signal.id
        return back(request, f"/werk/signalen/{signal_id}")

    @api.get("/signalen/import", response_class=HTMLResponse)
    def csv_form(request: Request, session: DB, seen: Me) -> Response:
        with session.begin():
            partner_org(session, seen)
        return page(request, "partner_import.html", seen, problems=[], imported=None)

    @api.post("/signalen/import", response_class=HTMLResponse)
    async def csv_upload(
        request: Request,
        session: DB,
        seen: Me,
        bestand: Annotated[UploadFile, File()],
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        check_csrf(seen, csrf)
        with session.begin():
            org_id = partner_org(session, seen).id
        content = await bestand.read(MAX_CSV + 1)
        if len(content) > MAX_CSV:
            raise HTTPException(413, "file larger than 5 MB")
        name = Path(bestand.filename or "upload.csv").name
        try:
            n = sig.import_csv(
                store.factory(), org_id, content, name, seen.principal.username, lang_of(request)
            )
        except sig.SignalRefused as error:
            return page(
                request, "partner_import.html", seen, 422, problems=error.problems, imported=None
            )
        return page(request, "partner_import.html", seen, problems=[], imported=n)

    @api.get("/signalen/{signal_id}", response_class=HTMLResponse)
    def signal_page(request: Request, session: DB, seen: Me, signal_id: int) -> Response:
        with session.begin():
            try:
                signal = sig.get(session, seen.principal, signal_id)
            except sig.NotAllowed:
                raise HTTPException(404, "no such signal") from None
            tops = sig.topics(session, [signal.id])[signal.id]
            steps = sig.history(session, signal.id)
        return page(
            request,
            "partner_signal.html",
            seen,
            s=signal,
            tops=tops,
            steps=steps,
            next_status=NEXT_STATUS[signal.status],
            problems=[],
        )

    @api.post("/signalen/{signal_id}/status", response_class=HTMLResponse)
    def signal_status(
        request: Request,
        session: DB,
        seen: Me,
        signal_id: int,
        status: Annotated[str, Form(max_length=12)],
        notitie: Annotated[str, Form(max_length=2000)] = "",
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        check_csrf(seen, csrf)
        try:
            with session.begin():
                sig.set_status(
                    session, seen.principal, signal_id, status, notitie, lang_of(request)
                )
        except sig.NotAllowed:
            raise HTTPException(404, "no such signal") from None
        except sig.SignalRefused as error:
            raise HTTPException(422, str(error)) from None
        return back(request, f"/werk/signalen/{signal_id}")

    # --- the partner's API tokens: list and revoke ------------------------------------------

    @api.get("/sleutels", response_class=HTMLResponse)
    def tokens_page(
        request: Request,
        session: DB,
        seen: Me,
        ingetrokken: Annotated[str, Query(max_length=64)] = "",
    ) -> Response:
        with session.begin():
            org = partner_org(session, seen)
            rows = sig.tokens(session, org)
        done = ingetrokken if re.fullmatch(r"[0-9a-f]{1,64}", ingetrokken) else ""
        return page(request, "partner_tokens.html", seen, org=org, rows=rows, done=done)

    @api.post("/sleutels/{token_id}/intrekken")
    def token_revoke(
        request: Request,
        session: DB,
        seen: Me,
        token_id: str,
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        check_csrf(seen, csrf)
        try:
            with session.begin():
                org = partner_org(session, seen)
                info = sig.revoke_token(session, org, token_id, seen.principal.username)
        except sig.NotAllowed:
            raise HTTPException(403, "partner users only") from None
        except WijkradarError as error:
            raise HTTPException(404, str(error)) from None
        return back(request, f"/werk/sleutels?ingetrokken={info.id}")

    # --- JSON for partners' own systems (bearer token, no cookie, so no CSRF) -----------------

    def token_org(session: Session, request: Request) -> Any:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        org = sig.org_for_token(session, token.strip()) if scheme.lower() == "bearer" else None
        if org is None:
            raise HTTPException(401, "missing or unknown token", {"WWW-Authenticate": "Bearer"})
        return org

    @api.post("/api/signalen")
    def api_submit(request: Request, session: DB, body: SignalIn) -> Response:
        inp = sig.SignalInput(
            body.wijk,
            body.maand,
            body.kenmerken,
            body.groepen,
            body.richting,
            body.huishoudens,
            body.tekst,
            body.buurt,
        )
        lang = lang_of(request)
        with session.begin():
            org = token_org(session, request)
            try:
                signal = sig.submit(session, org, inp, f"api:{org.id}", "api", lang)
            except sig.SignalRefused as error:
                return JSONResponse(
                    {"refused": [{"field": f, "problem": m} for f, m in error.problems]}, 422
                )
            out = {"id": signal.id, "status": signal.status}
        return JSONResponse(out, 201)

    @api.get("/api/signalen")
    def api_list(request: Request, session: DB) -> Response:
        with session.begin():
            org = token_org(session, request)
            from sqlalchemy import select

            from wijkradar.ops.partners.models import AreaSignal

            rows = list(
                session.scalars(
                    select(AreaSignal)
                    .where(AreaSignal.org_id == org.id)
                    .order_by(AreaSignal.id.desc())
                    .limit(500)
                )
            )
            data = [
                {"id": r.id, "wijk": r.wijk_code, "maand": r.month, "status": r.status}
                for r in rows
            ]
        return JSONResponse({"signalen": data})

    # --- triangulation ---------------------------------------------------------------------

    @api.get("/radar", response_class=HTMLResponse)
    def radar_page(
        request: Request,
        session: DB,
        seen: Me,
        gemeente: str | None = None,
        maand: str | None = None,
    ) -> Response:
        from wijkradar.methodology.triangulation import load_cached

        target = gemeente_for(seen, gemeente)
        config = load_cached()
        month = maand if maand and sig.MONTH.match(maand) else f"{clock.today():%Y-%m}"
        if target is None or not target.startswith("GM"):
            return page(request, "partner_radar.html", seen, target=None, rows=[], config=config)
        figures = wijk_figures(monitor_db, target)
        with session.begin():
            counts = sig.monthly_counts(session, target, *radar.span(month, config))
            arrears = _arrears(session, target, month, config.arrears_months)
            places = vindplaatsen.listing(session, target)
            cover = vindplaatsen.coverage(session, target, sorted(figures))
        lang = lang_of(request)
        chars, _groups = labels(lang)
        rows = radar.classify(figures, counts, month, config, list(chars), arrears)
        w = WORDS.lookup(lang)
        svg = _map(
            rows,
            wijk_boundaries(monitor_db, target),
            w,
            lang,
            places,
            cover,
            target,
            monitor_db,
        )
        place_count: dict[str, int] = {}
        for p in places:
            if p.wijk_code:
                place_count[p.wijk_code] = place_count.get(p.wijk_code, 0) + 1
        return page(
            request,
            "partner_radar.html",
            seen,
            target=target,
            rows=rows,
            config=config,
            month=month,
            summary=radar.summary(rows),
            svg=svg,
            place_count=place_count,
            cover=cover,
            place_kinds=sorted({p.kind for p in places}),
            symbol=place_points.symbol,
        )

    @api.get("/radar/{wijk}", response_class=HTMLResponse)
    def radar_wijk(
        request: Request, session: DB, seen: Me, wijk: str, maand: str | None = None
    ) -> Response:
        """One wijk's partner signals beside its figures: per characteristic flagged or not,
        disclosed signals in the signalled window, rising; overall windows and class."""
        from wijkradar.methodology.triangulation import load_cached

        if not re.fullmatch(r"WK\d{6}", wijk):
            raise HTTPException(404, "no such wijk")
        target = gemeente_for(seen, "GM" + wijk[2:6])
        if target != "GM" + wijk[2:6]:
            raise HTTPException(403, "no access to this gemeente")
        figures = wijk_figures(monitor_db, target).get(wijk)
        if figures is None:
            raise HTTPException(404, "no such wijk in the monitor")
        config = load_cached()
        month = maand if maand and sig.MONTH.match(maand) else f"{clock.today():%Y-%m}"
        with session.begin():
            counts = sig.monthly_counts(session, target, *radar.span(month, config))
            cover = vindplaatsen.coverage(session, target, [wijk])[wijk]
        chars, _groups = labels(lang_of(request))
        (row,) = radar.classify({wijk: figures}, counts, month, config, list(chars))
        return page(
            request,
            "partner_wijk.html",
            seen,
            r=row,
            config=config,
            month=month,
            cover=cover,
        )

    @api.get("/vindplaatsen", response_class=HTMLResponse)
    def places_page(
        request: Request, session: DB, seen: Me, gemeente: str | None = None
    ) -> Response:
        me = seen.principal
        # editors keep the registers, this one included, of their own gemeente
        target = me.gemeente_code if me.role == "editor" else gemeente_for(seen, gemeente)
        if target is None:
            return page(request, "partner_places.html", seen, target=None, rows=[], cover={})
        figures = wijk_figures(monitor_db, target)
        with session.begin():
            rows = vindplaatsen.listing(session, target)
            known = sorted(set(figures) | {r.wijk_code for r in rows if r.wijk_code})
            cover = vindplaatsen.coverage(session, target, known)
        lang = lang_of(request)
        svg = _places_map(
            cover, figures, wijk_boundaries(monitor_db, target), lang, rows, target, monitor_db
        )
        return page(
            request,
            "partner_places.html",
            seen,
            target=target,
            rows=rows,
            cover=cover,
            svg=svg,
            names={c: f.name for c, f in figures.items()},
            kinds=PLACE_KINDS,
            may_edit=vindplaatsen.may_edit(seen.principal, target),
            place_kinds=sorted({p.kind for p in rows}),
            symbol=place_points.symbol,
            error="",
        )

    @api.post("/vindplaatsen")
    def place_add(
        request: Request,
        session: DB,
        seen: Me,
        naam: Annotated[str, Form(max_length=120)],
        soort: Annotated[str, Form(max_length=20)],
        postcode: Annotated[str, Form(max_length=7)] = "",
        huisnummer: Annotated[str, Form(max_length=5)] = "",
        lat: Annotated[str, Form(max_length=20)] = "",
        lon: Annotated[str, Form(max_length=20)] = "",
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        check_csrf(seen, csrf)
        me = seen.principal
        if me.gemeente_code is None or not vindplaatsen.may_edit(me, me.gemeente_code):
            raise HTTPException(403, "coordinators and editors only")
        inp = vindplaatsen.PlaceInput(naam, soort, postcode, huisnummer, lat, lon)
        shapes = None
        if lat.strip() or lon.strip():
            shapes = buurt_shapes(monitor_db, me.gemeente_code)
        try:
            with session.begin():
                vindplaatsen.add(session, me, me.gemeente_code, inp, shapes)
        except WijkradarError as error:
            raise HTTPException(422, str(error)) from None
        return back(request, "/werk/vindplaatsen")

    @api.post("/vindplaatsen/{place_id}/verwijderen")
    def place_remove(
        request: Request,
        session: DB,
        seen: Me,
        place_id: int,
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        check_csrf(seen, csrf)
        try:
            with session.begin():
                vindplaatsen.remove(session, seen.principal, place_id)
        except vindplaatsen.NotAllowed:
            raise HTTPException(403, "coordinators and editors of the gemeente only") from None
        return back(request, "/werk/vindplaatsen")

    return api


def _arrears(session: Session, gemeente: str, month: str, months: int) -> dict[str, int | None]:
    """Households with an arrears signal per wijk in the `months` up to `month` (the
    vroegsignalering workflow), released with the reach page's households per month
    (reach.released_households), or {} where the gemeente does not run it."""
    data = reach.counts(session, gemeente)
    homes = reach.released_households(data, months).values
    wijken = {w for (w, _m, k) in data if k == reach.ALL and w}
    return {w: homes.get(("households_window", w, month)) for w in sorted(wijken)}


def _markers(
    places: Sequence[Any], gemeente: str, monitor_db: Path, w: Lookup
) -> list[place_points.Marker]:
    """A marker per vindplaats with a point, or at its buurt's centre when only its postcode
    placed it; places placed nowhere have no marker (they stay in the table)."""
    shapes = None
    if any(p.latitude is None and p.buurt_code for p in places):
        shapes = buurt_shapes(monitor_db, gemeente)
    out = []
    for p in places:
        approximate = p.latitude is None or p.longitude is None
        if not approximate:
            point = (p.latitude, p.longitude)
        elif shapes is not None and p.buurt_code:
            found = shapes.centre(p.buurt_code)
            if found is None:
                continue
            point = found
        else:
            continue
        title = f"{w('place:' + p.kind)}: {p.name}"
        if approximate:
            title += f" ({w('approximate')})"
        out.append(place_points.Marker(p.id, p.kind, title, point[0], point[1], approximate))
    return out


def _map(
    rows: list[radar.WijkClass],
    geometries: dict[str, str],
    w: Lookup,
    lang: str,
    places: Sequence[Any] = (),
    cover: dict[str, vindplaatsen.Coverage] | None = None,
    gemeente: str = "",
    monitor_db: Path | None = None,
) -> str:
    if not geometries:
        return ""
    from wijkradar.reports import svg

    order = ("quiet", "emerging", "known_signalled", "under_the_radar")
    scale = svg.Scale((0, 1, 2, 3, math.inf), tuple(w(f"class:{k}") for k in order))
    suffix = "?lang=en" if lang == "en" else ""
    areas = [
        svg.Area(
            code=r.code,
            name=r.name,
            value=float(order.index(r.klass)),
            status="ok",
            href=f"/gebied/{r.code}{suffix}",
            label=w(f"class:{r.klass}"),
        )
        for r in rows
    ]
    shapes = svg.outlines(geometries)
    overlay = ""
    if places or cover:
        markers = _markers(list(places), gemeente, monitor_db, w) if monitor_db else []
        gaps = sorted(c for c, v in (cover or {}).items() if v.gap)
        overlay = place_points.overlay(
            shapes, markers, gaps, w("gap"), "/werk/vindplaatsen" + suffix
        )
    return svg.choropleth(
        areas,
        shapes,
        title=w("radar"),
        scale=scale,
        legend_title=w("class"),
        status_labels={"suppressed": w("suppressed"), "missing": "–"},
        overlay=overlay,
    )


def _places_map(
    cover: dict[str, vindplaatsen.Coverage],
    figures: dict[str, Any],
    geometries: dict[str, str],
    lang: str,
    places: Sequence[Any] = (),
    gemeente: str = "",
    monitor_db: Path | None = None,
) -> str:
    """Wijken shaded by their number of vindplaatsen (places, not persons: shown as they are),
    a marker per vindplaats; a wijk with neither partner nor vindplaats is a gap."""
    if not geometries:
        return ""
    from wijkradar.reports import svg

    w = WORDS.lookup(lang)
    scale = svg.Scale((0, 1, 2, 3, 5, math.inf), ("0", "1", "2", "3–4", "5+"))
    areas = []
    for code, c in cover.items():
        n = sum(c.places.values())
        name = figures[code].name if code in figures else code
        label = f"{n} {w('places_here').lower()}" + (f" — {w('gap')}" if c.gap else "")
        areas.append(
            svg.Area(
                code=code,
                name=name,
                value=float(n),
                status="ok",
                href=f"#cover-{code}",
                label=label,
            )
        )
    shapes = svg.outlines(geometries)
    markers = _markers(list(places), gemeente, monitor_db, w) if monitor_db else []
    gaps = sorted(c for c, v in cover.items() if v.gap)
    overlay = place_points.overlay(shapes, markers, gaps, w("gap"), "")
    return svg.choropleth(
        areas,
        shapes,
        title=w("vindplaatsen"),
        scale=scale,
        legend_title=w("places_here"),
        status_labels={"suppressed": w("suppressed"), "missing": "–"},
        overlay=overlay,
    )
