"""CBS "Gebieden in Nederland": which provincie each gemeente lies in, per year.

Registered as "cbs-gebieden-files" (offline OData dumps) and "cbs-gebieden-online" (CBS OData v3).
"""

from wijkradar.sources.cbs_gebieden.source import (
    CbsGebiedenFiles,
    CbsGebiedenOnline,
    gebieden_dumps,
)
from wijkradar.sources.cbs_gebieden.tables import gebieden_tables

__all__ = ["CbsGebiedenFiles", "CbsGebiedenOnline", "gebieden_dumps", "gebieden_tables"]
