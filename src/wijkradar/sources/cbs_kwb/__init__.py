"""CBS Kerncijfers wijken en buurten (KWB): offline files and the online OData v3 API.

Both register through the public source registry: "cbs-kwb-files" and "cbs-kwb-online".
"""

from wijkradar.sources.cbs_kwb.files import CbsKwbFiles
from wijkradar.sources.cbs_kwb.online import CbsKwbOnline

__all__ = ["CbsKwbFiles", "CbsKwbOnline"]
