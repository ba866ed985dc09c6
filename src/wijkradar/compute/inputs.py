"""The inputs of one level and year, as a wide matrix (areas × variables) built from long rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

# Status codes used inside compute; names are what the database stores.
OK, SUPPRESSED, MISSING, TOO_SMALL, UNRANKED = 0, 1, 2, 3, 4
STATUS_NAMES = np.array(["ok", "suppressed", "missing", "too_small", "unranked"], dtype=object)

ObjArray = npt.NDArray[np.object_]


@dataclass(frozen=True)
class LevelYear:
    """Areas of one level in one period and their source variables.

    values[var] is NaN unless status[var] is OK; a variable absent from the dict was not
    delivered at all for this level and year (status MISSING everywhere). sources[var] holds per
    area an index into source_ids (-1: no source), so no Python string per cell is kept.
    """

    level: str
    period: int
    codes: ObjArray
    gemeente: ObjArray  # gemeente code per area or None
    provincie: ObjArray  # provincie code per area or None
    values: dict[str, npt.NDArray[np.float64]] = field(default_factory=dict)
    status: dict[str, npt.NDArray[np.int8]] = field(default_factory=dict)
    sources: dict[str, npt.NDArray[np.int32]] = field(default_factory=dict)
    source_ids: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        return int(self.codes.size)

    def variable(
        self, key: str
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int8], npt.NDArray[np.int32]]:
        if key in self.values:
            return self.values[key], self.status[key], self.sources[key]
        return (
            np.full(self.n, np.nan),
            np.full(self.n, MISSING, dtype=np.int8),
            np.full(self.n, -1, dtype=np.int32),
        )

    @classmethod
    def from_long(
        cls,
        level: str,
        period: int,
        codes: Sequence[str],
        gemeente: Sequence[str | None],
        provincie: Sequence[str | None],
        observations: pa.Table,
    ) -> LevelYear:
        """Pivot long observations (region_code, variable, value, status, source_id) of this
        level and period onto `codes`. Rows for codes not in `codes` are ignored; a later row for
        the same area and variable replaces an earlier one.

        The string columns are mapped to integer positions in Arrow (index_in, dictionary
        encoding), so a national buurt year (~700 000 rows) creates no Python object per row.
        """
        code_arr = np.asarray(list(codes), dtype=object)
        n = code_arr.size
        values: dict[str, npt.NDArray[np.float64]] = {}
        status: dict[str, npt.NDArray[np.int8]] = {}
        sources: dict[str, npt.NDArray[np.int32]] = {}
        source_ids: tuple[str, ...] = ()
        if observations.num_rows and n:
            obs = observations.combine_chunks()
            row = _indices(
                pc.index_in(obs["region_code"], value_set=pa.array(code_arr, pa.string()))
            )
            var_enc = obs["variable"].chunk(0).dictionary_encode()
            var_idx = _indices(var_enc.indices)
            stat = _indices(pc.index_in(obs["status"], value_set=_STATUS_VALUES), MISSING)
            src_enc = obs["source_id"].chunk(0).dictionary_encode()
            src_idx = _indices(src_enc.indices)
            source_ids = tuple(str(s) for s in src_enc.dictionary.to_pylist())
            vals = obs["value"].to_numpy(zero_copy_only=False).astype(np.float64)
            known = row >= 0
            # Stable sort by variable keeps the input order within a variable, so the last row
            # for an area still wins when assigned in order.
            order = np.flatnonzero(known)
            order = order[np.argsort(var_idx[order], kind="stable")]
            bounds = np.flatnonzero(np.diff(var_idx[order])) + 1
            for part in np.split(order, bounds):
                if part.size == 0:
                    continue
                var = str(var_enc.dictionary[int(var_idx[part[0]])])
                v = np.full(n, np.nan)
                s = np.full(n, MISSING, dtype=np.int8)
                src = np.full(n, -1, dtype=np.int32)
                r = row[part]
                s[r] = stat[part]
                v[r] = np.where(stat[part] == OK, vals[part], np.nan)
                src[r] = src_idx[part]
                values[var], status[var], sources[var] = v, s, src
        return cls(
            level=level,
            period=period,
            codes=code_arr,
            gemeente=np.asarray(list(gemeente), dtype=object),
            provincie=np.asarray(list(provincie), dtype=object),
            values=values,
            status=status,
            sources=sources,
            source_ids=source_ids,
        )


_STATUS_VALUES = pa.array(["ok", "suppressed", "missing"])  # positions are OK, SUPPRESSED, MISSING


def _indices(arr: pa.Array | pa.ChunkedArray, null: int = -1) -> npt.NDArray[np.int32]:
    """Integer positions from index_in / dictionary indices; a null becomes `null`."""
    filled = pc.fill_null(arr, null)
    return np.asarray(filled.to_numpy(zero_copy_only=False), dtype=np.int32)
