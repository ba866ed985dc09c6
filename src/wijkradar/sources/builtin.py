"""Imports the built-in source modules so that they register themselves."""

from wijkradar.sources import (
    boundaries,  # noqa: F401
    cbs_gebieden,  # noqa: F401
    cbs_kwb,  # noqa: F401
    ggd,  # noqa: F401
    local_csv,  # noqa: F401
)
