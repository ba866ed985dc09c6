"""The synthetic demo: invented gemeenten (GM98xx) with KWB-shaped figures, maps and local data.

Clearly labelled synthetic everywhere (table titles, publisher, licence) so that it can never be
mistaken for CBS figures. See docs/sources/demo.md.
"""

from wijkradar.sources.demo.generate import DEFAULT_SEED, DemoFiles, generate
from wijkradar.sources.demo.sources import LICENCE, PUBLISHER, DemoChanges, demo_sources

__all__ = [
    "DEFAULT_SEED",
    "LICENCE",
    "PUBLISHER",
    "DemoChanges",
    "DemoFiles",
    "demo_sources",
    "generate",
]
