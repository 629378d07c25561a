"""Which row of one table a column of another names: one lookup per (table, column, target), shared by the checks.

The reference, date and anchor rules all follow a claim to its source and its event. At a million
claims each lookup hashes the target's IDs and probes a million cells (10–50 ms); it is done once and
kept while both tables live (Arrow tables are immutable, so a result keyed by their identity cannot go
stale).
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

_Key = tuple[int, str, int, str]
_found: dict[_Key, tuple[weakref.ref[pa.Table], weakref.ref[pa.Table], np.ndarray]] = {}
_lock = threading.Lock()


def rows_named(data: pa.Table, column: str, target: pa.Table, key: str = "id") -> np.ndarray:
    """Per row of ``data``, the first row of ``target`` whose ``key`` is its ``column`` value; -1: empty or none.

    >>> import pyarrow as pa
    >>> claims = pa.table({"source_id": ["s2", None, "s9", "s1"]})
    >>> sources = pa.table({"id": ["s1", "s2", "s2"]})
    >>> rows_named(claims, "source_id", sources).tolist()
    [1, -1, -1, 0]
    """
    import numpy as np
    import pyarrow.compute as pc

    at: _Key = (id(data), column, id(target), key)
    with _lock:
        for stale in [k for k, (a, b, _) in _found.items() if a() is None or b() is None]:
            del _found[stale]
        kept = _found.get(at)
        if kept is not None and kept[0]() is data and kept[1]() is target:
            return kept[2]
    found = pc.index_in(data.column(column), value_set=target.column(key).combine_chunks(), skip_nulls=True)
    rows = np.asarray(pc.fill_null(found, -1), dtype=np.int64)
    rows.flags.writeable = False  # shared by every check that asks
    with _lock:
        _found[at] = (weakref.ref(data), weakref.ref(target), rows)
    return rows
