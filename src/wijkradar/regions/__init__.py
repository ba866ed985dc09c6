"""Regions per year, the changes of codes between years, and harmonisation to one year.

- hierarchy.py: parents from codes (buurt -> wijk -> gemeente), provinces, NL on top.
- changes.py: same / appeared / disappeared / merged / split / changed between years.
- lineage.py: what a code became, and where it came from.
- harmonise.py: gemeente count series summed onto one year's municipalities.
"""

from wijkradar.regions.changes import detect_changes, known_reorganisations
from wijkradar.regions.harmonise import harmonise_gemeenten
from wijkradar.regions.hierarchy import complete_year
from wijkradar.regions.lineage import became, came_from, code_in_year

__all__ = [
    "became",
    "came_from",
    "code_in_year",
    "complete_year",
    "detect_changes",
    "harmonise_gemeenten",
    "known_reorganisations",
]
