"""What sources say about regions, gathered across sources and checked for contradictions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from wijkradar.domain import Boundary, InputError, Provenance, Region, RegionChange, Variable


@dataclass
class RegionBook:
    """Everything small a build collects while reading sources (observations go to the store)."""

    provenances: dict[str, Provenance] = field(default_factory=dict)
    periods_held: set[int] = field(default_factory=set)
    variables: list[Variable] = field(default_factory=list)
    boundaries: list[Boundary] = field(default_factory=list)
    changes: list[RegionChange] = field(default_factory=list)
    _regions: dict[tuple[str, int], tuple[Region, str]] = field(default_factory=dict)
    # (code, year) described by a source other than local figures: the hierarchy local codes
    # are checked against (a local file naming its own regions does not vouch for them)
    _described: set[tuple[str, int]] = field(default_factory=set)

    def add_source(self, provenance: Provenance) -> None:
        if provenance.source_id in self.provenances:
            raise InputError(
                self.path_of(provenance.source_id),
                f"the same input ({provenance.source_id}) is given twice",
            )
        self.provenances[provenance.source_id] = provenance

    def path_of(self, source_id: str) -> str:
        """A file path (or URL) to name in an error; the source id when none is known."""
        provenance = self.provenances.get(source_id)
        if provenance is None or not provenance.url:
            return source_id
        return provenance.url.removeprefix("file://")

    def add_regions(self, regions: Iterable[Region], provenance: Provenance) -> None:
        """Record regions; the same region from two inputs must agree on name and parent.

        A name equal to the code means "name unknown" and gives way to a real name.
        """
        for region in regions:
            key = (region.code, region.year)
            if provenance.kind != "local":
                self._described.add(key)
            known = self._regions.get(key)
            if known is None:
                self._regions[key] = (region, provenance.source_id)
                continue
            old, old_source = known
            self._regions[key] = (self._agree(old, old_source, region, provenance), old_source)

    def _agree(self, old: Region, old_source: str, new: Region, provenance: Provenance) -> Region:
        names_differ = old.name != new.name and old.code not in (old.name, new.name)
        parents_differ = (
            old.parent_code is not None
            and new.parent_code is not None
            and old.parent_code != new.parent_code
        )
        if names_differ or parents_differ:
            raise InputError(
                self.path_of(provenance.source_id),
                f"region {new.code} in {new.year} is {new.name!r} (parent {new.parent_code})"
                f" in {provenance.source_id}, but {old.name!r} (parent {old.parent_code})"
                f" in {old_source} ({self.path_of(old_source)})",
            )
        name = old.name if old.name != old.code else new.name
        parent = old.parent_code or new.parent_code
        gemeente = old.gemeente_code or new.gemeente_code
        provincie = old.provincie_code or new.provincie_code
        if (name, parent, gemeente, provincie) == (
            old.name,
            old.parent_code,
            old.gemeente_code,
            old.provincie_code,
        ):
            return old  # the usual case (boundaries and figures of the same regions): no copy
        return replace(
            old,
            name=name,
            parent_code=parent,
            gemeente_code=gemeente,
            provincie_code=provincie,
        )

    def regions_of(self, year: int) -> list[Region]:
        return [region for (_, y), (region, _) in self._regions.items() if y == year]

    def hierarchy_codes(self, year: int) -> set[str]:
        """Codes of `year` that a source other than local figures describes."""
        return {code for code, y in self._described if y == year}

    def years(self) -> set[int]:
        return {year for _, year in self._regions}
