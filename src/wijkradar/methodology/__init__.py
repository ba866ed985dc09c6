"""Load and validate the methodology YAML (methodology/<version>/) into frozen domain objects."""

from wijkradar.methodology.cache import load_cached
from wijkradar.methodology.loader import default_root, latest_version, load

__all__ = ["default_root", "latest_version", "load", "load_cached"]
