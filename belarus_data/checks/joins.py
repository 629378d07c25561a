"""Lookups the table-wide checks share: which row of one table a column of another names, and a column's distinct values.

The reference, date and anchor rules all follow a claim to its source and its event, and read the
same date columns. At a million claims each lookup hashes a million cells (10–50 ms); it is done once
and kept while the tables it read live (Arrow tables are immutable, so a result keyed by their identity
cannot go stale, and a table that is gone takes its results with it).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

T = TypeVar("T")
_found: dict[tuple[object, ...], tuple[tuple[weakref.ref[pa.Table], ...], Any]] = {}
_lock = threading.Lock()


def _kept(tables: tuple[pa.Table, ...], what: tuple[object, ...], compute: Callable[[], T]) -> T:
    """``compute()``, once while ``tables`` (the Arrow tables it reads) live."""
    at = (*what, *(id(t) for t in tables))
    with _lock:
        for stale in [k for k, (refs, _) in _found.items() if any(ref() is None for ref in refs)]:
            del _found[stale]
        kept = _found.get(at)
        if kept is not None and all(ref() is t for ref, t in zip(kept[0], tables, strict=True)):
            return cast(T, kept[1])
    value = compute()
    with _lock:
        _found[at] = (tuple(weakref.ref(t) for t in tables), value)
    return value


def rows_named(data: pa.Table, column: str, target: pa.Table, key: str = "id") -> np.ndarray:
    """Per row of ``data``, the first row of ``target`` whose ``key`` is its ``column`` value; -1: empty or none.

    >>> import pyarrow as pa
    >>> claims = pa.table({"source_id": ["s2", None, "s9", "s1"]})
    >>> sources = pa.table({"id": ["s1", "s2", "s2"]})
    >>> rows_named(claims, "source_id", sources).tolist()
    [1, -1, -1, 0]
    """

    def lookup() -> np.ndarray:
        import numpy as np
        import pyarrow.compute as pc

        found = pc.index_in(data.column(column), value_set=target.column(key).combine_chunks(), skip_nulls=True)
        rows = np.asarray(pc.fill_null(found, -1), dtype=np.int64)
        rows.flags.writeable = False  # shared by every check that asks
        return rows

    return _kept((data, target), ("rows_named", column, key), lookup)


def codes(data: pa.Table, column: str) -> tuple[pa.Array, np.ndarray]:
    """The distinct values of ``column`` (empty aside), in order of first use, and per row its value's position.

    A rule that reads each distinct value once (a date, a phrase) works on these; -1: an empty cell.

    >>> import pyarrow as pa
    >>> values, index = codes(pa.table({"d": ["2020", None, "2021", "2020"]}), "d")
    >>> values.to_pylist(), index.tolist()
    (['2020', '2021'], [0, -1, 1, 0])
    """

    def encode() -> tuple[pa.Array, np.ndarray]:
        import numpy as np
        import pyarrow.compute as pc

        values = pc.unique(data.column(column)).drop_null()  # unique first: dropping a column's nulls copies it
        index = np.asarray(pc.fill_null(pc.index_in(data.column(column), value_set=values), -1), dtype=np.int64)
        index.flags.writeable = False
        return values, index

    return _kept((data,), ("codes", column), encode)
