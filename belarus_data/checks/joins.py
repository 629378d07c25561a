"""Lookups the table-wide checks share: which row of one table a column of another names, and a column's distinct values.

The reference, date and anchor rules all follow a claim to its source and its event, and read the
same date columns. At a million claims each lookup hashes a million cells (10–50 ms); it is done once
and kept while the tables it read live (Arrow tables are immutable, so a result keyed by their identity
cannot go stale, and a table that is gone takes its results with it). Row numbers are int32, as Arrow
gives them (4 MB per million rows); multiply them only after widening to int64.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from belarus_data.storage.arrays import POLARS_ROWS, code_points

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

    from belarus_data.dates.edtf_columns import ColumnBounds

T = TypeVar("T")
_found: dict[tuple[object, ...], tuple[tuple[weakref.ref[pa.Table], ...], Any]] = {}
_computing: dict[tuple[object, ...], threading.Event] = {}  # set when that computation ends (or fails)
_lock = threading.Lock()


def kept(tables: tuple[pa.Table, ...], what: tuple[object, ...], compute: Callable[[], T]) -> T:
    """``compute()``, once while ``tables`` (the Arrow tables it reads) live.

    A check that asks while another thread is computing the same value waits for it rather than
    computing it again (checks run side by side; one may be asked for early, to be ready later).
    """
    at = (*what, *(id(t) for t in tables))
    while True:
        with _lock:
            for stale in [k for k, (refs, _) in _found.items() if any(ref() is None for ref in refs)]:
                del _found[stale]
            found = _found.get(at)
            if found is not None and all(ref() is t for ref, t in zip(found[0], tables, strict=True)):
                return cast(T, found[1])
            running = _computing.get(at)
            if running is None:
                done = _computing[at] = threading.Event()
                break
        running.wait()  # then look again: kept, or (if it failed) computed here
    try:
        value = compute()
        with _lock:
            _found[at] = (tuple(weakref.ref(t) for t in tables), value)
        return value
    finally:
        with _lock:
            del _computing[at]
        done.set()


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
        rows = np.asarray(pc.fill_null(found, -1), dtype=np.int32)  # Arrow's own type: no copy
        rows.flags.writeable = False  # shared by every check that asks
        return rows

    return kept((data, target), ("rows_named", column, key), lookup)


def distinct(data: pa.Table, column: str) -> pa.Array:
    """The distinct values of ``column`` (empty aside), in order of first use.

    >>> import pyarrow as pa
    >>> distinct(pa.table({"d": ["2020", None, "2021", "2020"]}), "d").to_pylist()
    ['2020', '2021']
    """

    def unique() -> pa.Array:
        import pyarrow.compute as pc

        return pc.unique(data.column(column)).drop_null()  # unique first: dropping a column's nulls copies it

    return kept((data,), ("distinct", column), unique)


def codes(data: pa.Table, column: str) -> tuple[pa.Array, np.ndarray]:
    """The :func:`distinct` values of ``column``, and per row its value's position among them (-1: empty).

    A rule that reads each distinct value once (a date, a phrase) works on these.

    >>> import pyarrow as pa
    >>> values, index = codes(pa.table({"d": ["2020", None, "2021", "2020"]}), "d")
    >>> values.to_pylist(), index.tolist()
    (['2020', '2021'], [0, -1, 1, 0])
    """
    values = distinct(data, column)

    def encode() -> np.ndarray:
        import numpy as np
        import pyarrow.compute as pc

        index = np.asarray(pc.fill_null(pc.index_in(data.column(column), value_set=values), -1), dtype=np.int32)
        index.flags.writeable = False
        return index

    return values, kept((data,), ("codes", column), encode)


def date_bounds(data: pa.Table, column: str) -> ColumnBounds:
    """What the EDTF parser says of each :func:`distinct` value of ``column`` (aligned with them), read once.

    Every date rule reads the same columns: their values are parsed once per validation, most of them
    in one vectorised pass (:func:`belarus_data.dates.edtf_columns.column_bounds`).
    """
    from belarus_data.dates.edtf_columns import column_bounds

    values = distinct(data, column)
    return kept((data,), ("date_bounds", column), lambda: column_bounds(values))


def char_lengths(data: pa.Table, column: str) -> np.ndarray:
    """Each value's length in code points (0 where empty), counted once: the cell rules and the quote check both ask.

    >>> import pyarrow as pa
    >>> char_lengths(pa.table({"q": ["Лукашэнка", None]}), "q").tolist()
    [9, 0]
    """

    def count() -> np.ndarray:
        lengths = code_points(data.column(column), 0)
        lengths.flags.writeable = False  # shared by every check that asks
        return lengths

    return kept((data,), ("char_lengths", column), count)


HASHED_ROWS = POLARS_ROWS  # rows from which hashing keys with polars pays for its import


def keys_may_repeat(data: pa.Table, key: tuple[str, ...]) -> bool:
    """Whether two complete ``key`` values of ``data`` may be equal: False when their 64-bit hashes all differ.

    Hashing (polars, one Rust pass) and sorting the hashes costs a fraction of an exact hash table of
    the strings; equal keys have equal hashes, so a False is exact, and a True (a repeat, or a collision
    of two hashes) is for the caller to settle exactly. A key with an empty part is not complete.

    >>> import pyarrow as pa
    >>> keys_may_repeat(pa.table({"id": ["a", "b", None, None]}), ("id",))
    False
    """

    def hashed() -> bool:
        import numpy as np
        import polars as pl
        import pyarrow.compute as pc

        complete = np.ones(data.num_rows, dtype=bool)
        for name in key:
            if data.column(name).null_count:
                complete &= np.asarray(pc.fill_null(pc.is_valid(data.column(name)), False), dtype=bool)
        frame = pl.DataFrame(pl.from_arrow(data.select(list(key))))
        hashes = frame.hash_rows().to_numpy()[complete]
        hashes.sort()
        return bool((hashes[1:] == hashes[:-1]).any())

    return kept((data,), ("keys_may_repeat", key), hashed)


def first_rows(data: pa.Table, key: str = "id") -> np.ndarray:
    """Per row, the first row whose ``key`` is the same (the row itself when keys are unique); -1: empty.

    >>> import pyarrow as pa
    >>> first_rows(pa.table({"id": ["a", "b", "a", None]})).tolist()
    [0, 1, 0, -1]
    """
    if data.num_rows >= HASHED_ROWS and not keys_may_repeat(data, (key,)):
        import numpy as np
        import pyarrow.compute as pc

        def own() -> np.ndarray:
            rows = np.where(
                np.asarray(pc.fill_null(pc.is_valid(data.column(key)), False), bool),
                np.arange(data.num_rows, dtype=np.int32),
                np.int32(-1),
            )
            rows.flags.writeable = False
            return rows

        return kept((data,), ("first_rows", key), own)
    return rows_named(data, key, data, key)
