"""Imports the built-in source modules so that they register themselves."""

from wijkradar.sources import cbs_kwb  # noqa: F401
