"""Gezondheidsmonitor (GGD'en, CBS, RIVM) per gemeente, wijk and buurt: docs/sources/ggd.md."""

from wijkradar.sources.ggd.source import GgdFiles, GgdOnline

__all__ = ["GgdFiles", "GgdOnline"]
