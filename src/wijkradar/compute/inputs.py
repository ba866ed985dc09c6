"""The inputs of one level and year, as a wide matrix (areas × variables) built from long rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa

# Status codes used inside compute; names are what the database stores.
OK, SUPPRESSED, MISSING, TOO_SMALL, UNRANKED = 0, 1, 2, 3, 4
STATUS_NAMES = np.array(["ok", "suppressed", "missing", "too_small", "unranked"], dtype=object)
_STATUS_CODE = {"ok": OK, "suppressed": SUPPRESSED, "missing": MISSING}

ObjArray = npt.NDArray[np.object_]


@dataclass(frozen=True)
class LevelYear:
    """Areas of one level in one period and their source variables.

    values[var] is NaN unless status[var] is OK; a variable absent from the dict was not
    delivered at all for this level and year (status MISSING everywhere).
    """

    level: str
    period: int
    codes: ObjArray
    gemeente: ObjArray  # gemeente code per area or None
    provincie: ObjArray  # provincie code per area or None
    values: dict[str, npt.NDArray[np.float64]] = field(default_factory=dict)
    status: dict[str, npt.NDArray[np.int8]] = field(default_factory=dict)
    sources: dict[str, ObjArray] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return int(self.codes.size)

    def variable(self, key: str) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int8], ObjArray]:
        if key in self.values:
            return self.values[key], self.status[key], self.sources[key]
        return (
            np.full(self.n, np.nan),
            np.full(self.n, MISSING, dtype=np.int8),
            np.full(self.n, None, dtype=object),
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
        """
        code_arr = np.asarray(list(codes), dtype=object)
        order = np.argsort(code_arr.astype(str))
        sorted_codes = code_arr[order].astype(str)
        n = code_arr.size
        values: dict[str, npt.NDArray[np.float64]] = {}
        status: dict[str, npt.NDArray[np.int8]] = {}
        sources: dict[str, ObjArray] = {}
        if observations.num_rows and n:
            obs_codes = np.asarray(observations.column("region_code").to_pylist(), dtype=str)
            variables = np.asarray(observations.column("variable").to_pylist(), dtype=object)
            vals = observations.column("value").to_numpy(zero_copy_only=False).astype(np.float64)
            stat = np.asarray(observations.column("status").to_pylist(), dtype=object)
            srcs = np.asarray(observations.column("source_id").to_pylist(), dtype=object)
            pos = np.searchsorted(sorted_codes, obs_codes)
            pos = np.clip(pos, 0, n - 1)
            known = sorted_codes[pos] == obs_codes
            row = order[pos]
            for var in np.unique(variables[known]):
                sel = known & (variables == var)
                v = np.full(n, np.nan)
                s = np.full(n, MISSING, dtype=np.int8)
                src = np.full(n, None, dtype=object)
                codes_here = np.array(
                    [_STATUS_CODE.get(x, MISSING) for x in stat[sel]], dtype=np.int8
                )
                r = row[sel]
                s[r] = codes_here
                v[r] = np.where(codes_here == OK, vals[sel], np.nan)
                src[r] = srcs[sel]
                values[str(var)], status[str(var)], sources[str(var)] = v, s, src
        return cls(
            level=level,
            period=period,
            codes=code_arr,
            gemeente=np.asarray(list(gemeente), dtype=object),
            provincie=np.asarray(list(provincie), dtype=object),
            values=values,
            status=status,
            sources=sources,
        )
