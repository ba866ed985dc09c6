"""Routes of the workspace under /werk: login, work queue, case, import, review, audit log,
reach. HTML without JavaScript; every form carries a CSRF token; person-level pages are only
for coordinators and outreach workers of their own gemeente, and every view is audited."""

from __future__ import annotations

import csv
import datetime as dt
import hmac
import html
import io
import math
import secrets
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wijkradar.domain import WijkradarError
from wijkradar.domain.words import Lookup
from wijkradar.ops.accounts import audit, auth
from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.arrears import cases, codes, intake, priority, reach
from wijkradar.ops.arrears.mapping import parse as parse_mapping
from wijkradar.ops.core import clock
from wijkradar.ops.core.models import Case, Partner, Signal
from wijkradar.ops.i18n import WORDS
from wijkradar.ops.store import OpsStore

TEMPLATES = Path(__file__).resolve().parent / "templates"
COOKIE = "wr_session"
LOGIN_COOKIE = "wr_login_csrf"
PAGE_SIZE = 50
MAX_UPLOAD = 50 * 1024 * 1024
NEED_STACKING = 3
NEED_BUFFER = 75.0


class Seen:
    """The signed-in user of a request, with the session's CSRF token."""

    def __init__(self, principal: Principal, csrf: str, token: str) -> None:
        self.principal = principal
        self.csrf = csrf
        self.token = token


def _lang(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "nl"


def session_dep(request: Request) -> Iterator[Session]:
    store: OpsStore = request.app.state.ops
    with store.factory()() as session:
        yield session


DB = Annotated[Session, Depends(session_dep)]


def signed_in(request: Request, session: DB) -> Seen:
    """The signed-in user, or a redirect to the login page."""
    token = request.cookies.get(COOKIE, "")
    found = auth.resolve_session(session, token) if token else None
    session.rollback()  # end the read, so each route opens its own transaction
    if found is None:
        suffix = "?lang=en" if _lang(request) == "en" else ""
        raise HTTPException(303, headers={"Location": "/werk/inloggen" + suffix})
    request.app.state.ops.purge_if_due()
    return Seen(found[0], found[1], token)


Me = Annotated[Seen, Depends(signed_in)]


def lang_of(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "nl"


def check_csrf(seen: Seen, token: str) -> None:
    """Every workspace form carries the session's CSRF token; a wrong or missing one is 403."""
    if not hmac.compare_digest(seen.csrf.encode(), token.encode()):
        raise HTTPException(403, "CSRF token missing or wrong")


def back(request: Request, path: str) -> RedirectResponse:
    """Redirect after a form (303), keeping the page language."""
    suffix = ("&" if "?" in path else "?") + "lang=en" if lang_of(request) == "en" else ""
    return RedirectResponse(path + suffix, status_code=303)


def render(
    templates: Jinja2Templates,
    request: Request,
    name: str,
    seen: Seen | None,
    status: int = 200,
    private: bool = True,
    **ctx: Any,
) -> HTMLResponse:
    """A workspace page (also the partner and register pages): the page language and its query
    suffixes, the signed-in user and the session's CSRF token, then `ctx`. A private page must
    not linger in shared caches or the browser's history cache, nor leak its address onward."""
    lang = lang_of(request)
    response = templates.TemplateResponse(
        request,
        name,
        {
            "lang": lang,
            "q": "?lang=en" if lang == "en" else "",
            "amp": "&lang=en" if lang == "en" else "",
            "me": seen.principal if seen else None,
            "csrf": seen.csrf if seen else "",
            **ctx,
        },
        status_code=status,
    )
    if private:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


def router(store: OpsStore, monitor_db: Path) -> APIRouter:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    api = APIRouter(prefix="/werk", include_in_schema=False)

    def page(
        request: Request, name: str, seen: Seen | None, status: int = 200, **ctx: Any
    ) -> HTMLResponse:
        defaults = {"w": WORDS.lookup(lang_of(request)), "codes": codes}
        return render(templates, request, name, seen, status, **{**defaults, **ctx})

    def persons(seen: Seen) -> str:
        if not seen.principal.sees_persons or seen.principal.gemeente_code is None:
            raise HTTPException(403, "no access to person-level data")
        return seen.principal.gemeente_code

    def coordinator(seen: Seen) -> str:
        gemeente = persons(seen)
        if seen.principal.role != "coordinator":
            raise HTTPException(403, "coordinators only")
        return gemeente

    @api.get("/inloggen", response_class=HTMLResponse)
    def login_form(request: Request) -> HTMLResponse:
        token = secrets.token_urlsafe(24)
        response = page(request, "ops_login.html", None, form_csrf=token, failed=False)
        _set_cookie(response, LOGIN_COOKIE, token, store.settings.secure_cookies, 600)
        return response

    @api.post("/inloggen")
    def login(
        request: Request,
        session: DB,
        username: Annotated[str, Form(max_length=80)],
        password: Annotated[str, Form(max_length=200)],
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        cookie = request.cookies.get(LOGIN_COOKIE, "")
        if not cookie or not hmac.compare_digest(cookie.encode(), csrf.encode()):
            raise HTTPException(403, "CSRF token missing or wrong")
        try:
            user = auth.authenticate(session, username, password)
        except auth.LoginRefused:
            session.commit()  # keep the failure count: that is the throttle
            fresh = secrets.token_urlsafe(24)
            refused = page(request, "ops_login.html", None, 401, form_csrf=fresh, failed=True)
            _set_cookie(refused, LOGIN_COOKIE, fresh, store.settings.secure_cookies, 600)
            return refused
        token, _csrf = auth.open_session(session, user, store.settings.session_hours)
        session.commit()
        response: Response = back(request, "/werk/")
        _set_cookie(
            response,
            COOKIE,
            token,
            store.settings.secure_cookies,
            store.settings.session_hours * 3600,
        )
        response.delete_cookie(LOGIN_COOKIE, path="/werk")
        return response

    @api.post("/uitloggen")
    def logout(
        request: Request, session: DB, seen: Me, csrf: Annotated[str, Form()] = ""
    ) -> Response:
        check_csrf(seen, csrf)
        with session.begin():
            auth.close_session(session, seen.token)
        response = back(request, "/werk/inloggen")
        response.delete_cookie(COOKIE, path="/werk")
        return response

    @api.get("/")
    def home(request: Request, seen: Me) -> Response:
        if seen.principal.role == "partner":
            return back(request, "/werk/signalen")
        if seen.principal.role == "editor":  # editors work on the registers only
            return back(request, "/werk/registers")
        return back(request, "/werk/wachtrij" if seen.principal.sees_persons else "/werk/bereik")

    @api.get("/wachtrij", response_class=HTMLResponse)
    def queue(request: Request, session: DB, seen: Me, pagina: int = 1) -> HTMLResponse:
        persons(seen)
        pagina = max(1, min(pagina, 100_000))
        with session.begin():
            rows = cases.work_queue(
                session,
                seen.principal,
                store.settings.no_attempt_days,
                PAGE_SIZE + 1,
                (pagina - 1) * PAGE_SIZE,
            )
        lang = lang_of(request)
        return page(
            request,
            "ops_queue.html",
            seen,
            rows=rows[:PAGE_SIZE],
            more=len(rows) > PAGE_SIZE,
            pagina=pagina,
            reasons={r.case_id: priority.decode(r.reasons, lang) for r in rows},
            days=store.settings.no_attempt_days,
        )

    @api.get("/zaken/{case_id}", response_class=HTMLResponse)
    def case_page(request: Request, session: DB, seen: Me, case_id: int) -> HTMLResponse:
        persons(seen)
        try:
            with session.begin():
                view = cases.view_case(session, seen.principal, case_id)
        except cases.CaseNotFound:
            raise HTTPException(404, "no such case") from None
        return page(
            request,
            "ops_case.html",
            seen,
            v=view,
            reasons=priority.decode(view.case.priority_reasons, lang_of(request)),
            today=clock.today().isoformat(),
        )

    @api.post("/zaken/{case_id}/contact")
    def attempt(
        request: Request,
        session: DB,
        seen: Me,
        case_id: int,
        kind: Annotated[str, Form()],
        part_of_day: Annotated[str, Form()],
        on: Annotated[dt.date, Form()],
        reached: Annotated[str, Form()] = "nee",
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        check_csrf(seen, csrf)
        persons(seen)
        try:
            with session.begin():
                cases.record_attempt(
                    session, seen.principal, case_id, kind, reached == "ja", on, part_of_day
                )
        except cases.CaseNotFound:
            raise HTTPException(404, "no such case") from None
        except WijkradarError as error:
            return _refused(422, str(error))
        return back(request, f"/werk/zaken/{case_id}")

    @api.post("/zaken/{case_id}/afsluiten")
    def close(
        request: Request,
        session: DB,
        seen: Me,
        case_id: int,
        result: Annotated[str, Form()],
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        check_csrf(seen, csrf)
        persons(seen)
        try:
            with session.begin():
                cases.close_case(session, seen.principal, case_id, result)
        except cases.CaseNotFound:
            raise HTTPException(404, "no such case") from None
        except WijkradarError as error:
            return _refused(422, str(error))
        return back(request, f"/werk/zaken/{case_id}")

    @api.get("/import", response_class=HTMLResponse)
    def import_form(request: Request, seen: Me) -> HTMLResponse:
        coordinator(seen)
        return page(request, "ops_import.html", seen, result=None, rejected=[], failed=False)

    @api.post("/import", response_class=HTMLResponse)
    def import_upload(
        request: Request,
        seen: Me,
        mapping_file: Annotated[UploadFile, File()],
        data_file: Annotated[UploadFile, File()],
        csrf: Annotated[str, Form()] = "",
        skip_invalid: Annotated[str, Form()] = "",
    ) -> HTMLResponse:
        check_csrf(seen, csrf)
        gemeente = coordinator(seen)
        # a plain def: FastAPI runs it in a worker thread, so a long import blocks no one else
        content = data_file.file.read(MAX_UPLOAD + 1)
        if len(content) > MAX_UPLOAD:
            raise HTTPException(413, "file larger than 50 MB")
        name = Path(data_file.filename or "upload.csv").name
        try:
            mapping = parse_mapping(yaml.safe_load(mapping_file.file.read(1_000_000)), "mapping")
            from wijkradar.store.ops_context import area_context, buurt_stacking

            stacking = buurt_stacking(area_context(monitor_db, gemeente))
            result = intake.import_file(
                store.factory(),
                content,
                name,
                mapping,
                seen.principal.username,
                gemeente_scope=gemeente,
                threshold=store.settings.threshold,
                skip_invalid=bool(skip_invalid),
                stacking=stacking,
            )
        except intake.ImportRejected as error:
            return page(
                request,
                "ops_import.html",
                seen,
                422,
                result=None,
                rejected=error.result.rejected,
                failed=True,
            )
        except (WijkradarError, yaml.YAMLError) as error:
            message = str(error) if isinstance(error, WijkradarError) else "mapping: not YAML"
            return page(
                request,
                "ops_import.html",
                seen,
                422,
                result=None,
                rejected=[],
                failed=False,
                error=message,
            )
        return page(
            request, "ops_import.html", seen, result=result, rejected=result.rejected, failed=False
        )

    @api.get("/controle", response_class=HTMLResponse)
    def review(request: Request, session: DB, seen: Me) -> HTMLResponse:
        coordinator(seen)
        with session.begin():
            rows = cases.review_queue(session, seen.principal)
        return page(request, "ops_review.html", seen, rows=rows, reasons=intake.REVIEW_REASONS)

    @api.post("/controle/{signal_id}")
    def resolve(
        request: Request,
        session: DB,
        seen: Me,
        signal_id: int,
        decision: Annotated[str, Form()],
        csrf: Annotated[str, Form()] = "",
    ) -> Response:
        check_csrf(seen, csrf)
        coordinator(seen)
        try:
            with session.begin():
                cases.resolve_review(
                    session, seen.principal, signal_id, decision, seen.principal.username
                )
        except cases.CaseNotFound:
            raise HTTPException(404, "no such signal") from None
        except WijkradarError as error:
            return _refused(422, str(error))
        return back(request, "/werk/controle")

    @api.get("/logboek", response_class=HTMLResponse)
    def audit_page(request: Request, session: DB, seen: Me) -> HTMLResponse:
        gemeente = coordinator(seen)
        entries = audit.entries(session, gemeente)
        return page(request, "ops_audit.html", seen, entries=entries)

    @api.get("/bereik", response_class=HTMLResponse)
    def reach_page(
        request: Request, session: DB, seen: Me, gemeente: str | None = None
    ) -> HTMLResponse:
        me = seen.principal
        target = gemeente if me.role == "admin" and gemeente else me.gemeente_code
        if target is None:
            known = sorted(set(session.scalars(select(Partner.gemeente_code))))
            return page(
                request,
                "ops_reach.html",
                seen,
                rows=[],
                wijken=[],
                gemeenten=known,
                target=None,
                svg="",
            )
        from wijkradar.store.ops_context import area_context, wijk_boundaries

        context = area_context(monitor_db, target)
        people = {c.code: c.inhabitants for c in context.values() if c.level == "wijk"}
        try:
            rows = reach.report(session, me, target, people)
        except cases.NotAllowed:
            raise HTTPException(403, "no access to this gemeente") from None
        wijken = _need_vs_reach(reach.wijk_totals(session, me, target), context)
        svg = _map(wijken, wijk_boundaries(monitor_db, target), WORDS.lookup(lang_of(request)))
        return page(
            request,
            "ops_reach.html",
            seen,
            rows=rows,
            wijken=wijken,
            gemeenten=[],
            target=target,
            svg=svg,
        )

    @api.get("/ddas.csv")
    def ddas_export(session: DB, seen: Me, maand: str) -> Response:
        gemeente = coordinator(seen)
        try:
            start = dt.date.fromisoformat(maand + "-01")
        except ValueError:
            return _refused(422, "maand must be YYYY-MM")
        from wijkradar.ops.arrears.ddas import monthly

        with session.begin():
            text = monthly(session, gemeente, start)
            audit.record(session, seen.principal.username, gemeente, "export", "ddas")
        return Response(
            text,
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="ddas-{gemeente}-{maand}.csv"',
                "Cache-Control": "no-store",
            },
        )

    @api.get("/terugkoppeling/{partner_id}.csv")
    def feedback(session: DB, seen: Me, partner_id: int) -> Response:
        coordinator(seen)
        try:
            with session.begin():
                rows = cases.partner_feedback(session, seen.principal, partner_id)
        except cases.CaseNotFound:
            raise HTTPException(404, "no such partner") from None
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["referentie", "signaaldatum", "opgepakt"])
        for reference, date, picked in rows:
            writer.writerow(
                [reference, date.isoformat(), "" if picked is None else ("ja" if picked else "nee")]
            )
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="terugkoppeling-{partner_id}.csv"',
                "Cache-Control": "no-store",
            },
        )

    @api.get("/partners", response_class=HTMLResponse)
    def partners(request: Request, session: DB, seen: Me) -> HTMLResponse:
        gemeente = coordinator(seen)
        rows = session.execute(
            select(Partner, func.count(Signal.id))
            .outerjoin(Signal, Signal.partner_id == Partner.id)
            .where(Partner.gemeente_code == gemeente)
            .group_by(Partner.id)
            .order_by(Partner.name)
        ).all()
        months = sorted(
            {
                f"{d:%Y-%m}"
                for d in session.scalars(
                    select(Case.match_start).where(Case.gemeente_code == gemeente)
                )
            },
            reverse=True,
        )
        return page(request, "ops_partners.html", seen, partners=rows, months=months)

    return api


def _refused(status: int, message: str) -> HTMLResponse:
    """A refused change, answered here: the site's error pages turn a raised 422 into a 404."""
    return HTMLResponse(
        f"<!doctype html><title>{status}</title><h1>{status}</h1><p>{html.escape(message)}</p>",
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


def _set_cookie(response: Response, name: str, value: str, secure: bool, max_age: int) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path="/werk", secure=secure, httponly=True, samesite="strict"
    )


def _need_vs_reach(totals: dict[str, int | None], context: dict[str, Any]) -> list[dict[str, Any]]:
    """Per wijk: signals per 1,000 over all months (disclosed total), beside stacking and the
    small-financial-buffer score from the monitor."""
    out = []
    for code, area in sorted(context.items()):
        if area.level != "wijk":
            continue
        count = totals.get(code)
        rate = round(1000 * count / area.inhabitants, 1) if count and area.inhabitants else None
        out.append(
            {
                "code": code,
                "name": area.name,
                "stacking": area.stacking,
                "buffer": None if area.financial_buffer is None else round(area.financial_buffer),
                "signals": count,
                "per_1000": rate,
            }
        )
    rates = [w["per_1000"] or 0.0 for w in out]
    median = statistics.median(rates) if rates else 0.0
    for w in out:
        needy = (w["stacking"] or 0) >= NEED_STACKING or (w["buffer"] or 0) >= NEED_BUFFER
        w["flag"] = needy and (w["per_1000"] or 0.0) < median
    return out


def _map(wijken: list[dict[str, Any]], geometries: dict[str, str], words: Lookup) -> str:
    if not geometries:
        return ""
    from wijkradar.reports import svg

    scale = svg.Scale((0, 2, 5, 10, 20, math.inf), ("0–2", "2–5", "5–10", "10–20", "20+"))
    areas = [
        svg.Area(
            code=w["code"],
            name=w["name"],
            value=w["per_1000"],
            status="ok" if w["per_1000"] is not None else "suppressed",
            href=f"#wijk-{w['code']}",
            label=str(w["per_1000"]) if w["per_1000"] is not None else words("suppressed"),
        )
        for w in wijken
    ]
    return svg.choropleth(
        areas,
        geometries,
        title=words("map_title"),
        scale=scale,
        legend_title=words("per_1000"),
        status_labels={"suppressed": words("suppressed"), "missing": "–"},
    )
