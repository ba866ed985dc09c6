"""`wijkradar demo` for the registers: the groups, the seeds' initiatives, the demo's fictional
initiatives, a few fictional maatwerk contacts and a demo editor account."""

from __future__ import annotations

from sqlalchemy import select

from wijkradar.ops.accounts import auth
from wijkradar.ops.accounts.auth import Principal
from wijkradar.ops.core.db import make_engine, session_factory, transaction
from wijkradar.ops.core.models import User
from wijkradar.ops.core.settings import OpsSettings
from wijkradar.registers import groups, initiatives, professional
from wijkradar.registers.models import MaatwerkContact

EDITOR = "demo-redacteur"


def seed(settings: OpsSettings, password: str, gemeente: str) -> tuple[str, int]:
    """(editor account, initiatives added); idempotent. The store must be migrated."""
    engine = make_engine(settings.db)
    try:
        with transaction(session_factory(engine)) as session:
            if session.scalar(select(User).where(User.username == EDITOR)) is None:
                auth.add_user(session, EDITOR, password, "editor", gemeente)
            editor = Principal(EDITOR, "editor", gemeente)
            groups.load_seed(session)
            added = initiatives.load_seed(session, editor)
            added += initiatives.load_seed(session, editor, "demo_initiatives.yml")
            if session.scalar(select(MaatwerkContact.id).limit(1)) is None:
                for organisation, domain, role in (
                    ("DEMO Uitvoeringsorganisatie", "werk_inkomen", "maatwerkloket"),
                    ("DEMO Incassobureau Rijk", "schulden", "noodstop bij schulden"),
                    (f"DEMO Gemeente {gemeente}", "wonen", "maatwerkcoördinator"),
                ):
                    professional.add_contact(
                        session, editor, organisation, domain, role, "werkadres (fictief)"
                    )
    finally:
        engine.dispose()
    return EDITOR, added
