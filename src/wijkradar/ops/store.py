"""The server's handle on the operational store: one engine, opened on first use, plus the
daily retention purge (run in the background on the first request of each day)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from wijkradar.domain import WijkradarError
from wijkradar.ops.arrears import retention
from wijkradar.ops.core import clock, migrate
from wijkradar.ops.core.db import make_engine, session_factory
from wijkradar.ops.core.settings import OpsSettings

log = logging.getLogger("wijkradar.ops")


class OpsStore:
    def __init__(self, settings: OpsSettings) -> None:
        self.settings = settings
        self._engine: Engine | None = None
        self._factory: sessionmaker[Session] | None = None
        self._lock = threading.Lock()
        self._purged_on: dt.date | None = None
        self._purging = False

    def factory(self) -> sessionmaker[Session]:
        with self._lock:
            if self._factory is None:
                engine = make_engine(self.settings.db)
                if migrate.current(engine) != migrate.head(engine):
                    engine.dispose()
                    raise WijkradarError(
                        "the operational store is not migrated: run `wijkradar ops migrate`"
                    )
                self._engine = engine
                self._factory = session_factory(engine)
            return self._factory

    def factory_or_none(self) -> sessionmaker[Session] | None:
        """The session factory, or None where there is no usable store: a SQLite file that was
        never created (not opened, so a public page does not create it), an unreachable server
        or a store not migrated. Public pages then say there is no operational data."""
        url = make_url(self.settings.db)
        missing = not url.database or url.database == ":memory:" or not Path(url.database).exists()
        if url.get_backend_name() == "sqlite" and self._factory is None and missing:
            return None
        try:
            return self.factory()
        except (WijkradarError, SQLAlchemyError):
            log.warning("operational store unavailable; public pages go without it")
            return None

    def purge_if_due(self) -> None:
        """Start today's purge in the background unless it ran (or runs) already."""
        today = clock.today()
        with self._lock:
            if self._purged_on == today or self._purging:
                return
            self._purging = True
        factory = self.factory()

        def run() -> None:
            try:
                report = retention.purge(factory, self.settings)
                # counts only: no person data in logs
                log.info("purge: %d signals, %d cases deleted", report.signals, report.cases)
                with self._lock:
                    self._purged_on = today
            except Exception:  # the next request tries again
                log.exception("purge failed")
            finally:
                with self._lock:
                    self._purging = False

        threading.Thread(target=run, name="wijkradar-purge", daemon=True).start()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
