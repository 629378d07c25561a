"""Small Arrow/numpy conversions every check family uses (one definition each)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import polars as pl
    import pyarrow as pa


def strings(values: list[str]) -> pa.Array:
    """An Arrow string array, e.g. a value set for ``pyarrow.compute.is_in``."""
    import pyarrow as pa

    return pa.array(values, pa.string())


def mask(values: Any) -> np.ndarray:
    """A boolean numpy mask from an Arrow boolean result; null counts as False."""
    import numpy as np
    import pyarrow.compute as pc

    return np.asarray(pc.fill_null(values, False), dtype=bool)


def take_rows(data: pa.Table, rows: Any) -> pa.Table:
    """``data``'s rows at ``rows`` (any order, repeats allowed), taken block by block.

    ``Table.take`` on the ~700 blocks of a parsed file concatenates every column
    first: 1.3 s and +340 MB at 1M claims, even for two rows. Here each block
    gives its own rows, and only the (small) result is reordered.
    """
    import numpy as np
    import pyarrow as pa

    wanted = np.asarray(rows, dtype=np.int64)
    batches = data.to_batches()
    if len(wanted) == 0 or not batches:
        return data.slice(0, 0)
    first = int(wanted[0])
    if wanted[-1] - first == len(wanted) - 1 and np.array_equal(wanted, np.arange(first, first + len(wanted))):
        return data.slice(first, len(wanted))  # one run of rows (claims of one text group): no copy
    order = np.argsort(wanted, kind="stable")
    ascending = wanted[order]
    starts = np.cumsum([0] + [b.num_rows for b in batches])
    block = np.searchsorted(starts, ascending, side="right") - 1
    cuts = np.flatnonzero(np.diff(block)) + 1
    parts = [
        batches[int(blocks[0])].take(pa.array(group - starts[blocks[0]], pa.int64()))
        for group, blocks in zip(np.split(ascending, cuts), np.split(block, cuts), strict=True)
    ]
    taken = pa.Table.from_batches(parts, schema=data.schema)
    if np.array_equal(order, np.arange(len(order))):
        return taken
    back = np.empty(len(order), dtype=np.int64)
    back[order] = np.arange(len(order))
    return taken.combine_chunks().take(pa.array(back, pa.int64()))


def take_cells(column: pa.ChunkedArray | pa.Array, rows: Any) -> pa.ChunkedArray:
    """``column``'s cells at ``rows`` (any order), without joining its chunks first (see :func:`take_rows`).

    ``ChunkedArray.take`` concatenates the whole column before it takes even no
    cell: 15 ms for a 100 MB column of quotes, per call. A run of rows (every
    row, say) is a slice of the column, not a copy.
    """
    import pyarrow as pa

    chunked = pa.chunked_array([column]) if isinstance(column, pa.Array) else column
    return take_rows(pa.table({"cells": chunked}), rows).column(0)


POLARS_ROWS = 20_000  # values from which a polars kernel pays for importing polars (~0.1–0.2 s)


def code_points(column: pa.ChunkedArray | pa.Array, empty: int, polars_from: int = POLARS_ROWS) -> np.ndarray:
    """Each value's length in code points, ``empty`` where there is none (int64).

    From ``polars_from`` values on, polars counts (~4 GB/s; Arrow's ``utf8_length``
    runs at ~2 GB/s on text that is not ASCII); fewer are counted by Arrow, so
    that a small dataset never imports polars.

    >>> import pyarrow as pa
    >>> code_points(pa.array(["Лукашэнка", None]), empty=-1).tolist()
    [9, -1]
    """
    import numpy as np
    import pyarrow.compute as pc

    if len(column) < polars_from:
        return np.asarray(pc.fill_null(pc.utf8_length(column), empty), dtype=np.int64)
    counted: np.ndarray = polars_strings(column).str.len_chars().fill_null(empty).to_numpy().astype(np.int64)
    return counted


def polars_strings(column: pa.ChunkedArray | pa.Array) -> pl.Series:
    """A string column as a polars Series, its views made by Arrow first.

    polars imports Arrow's string *views* as they are, but builds views for a
    plain string column itself, holding the GIL and, when its thread pool is
    busy with another check's work, waiting for it: ~0.4 s of every other
    thread's time at 1M claims. Arrow's cast lets go of the GIL.
    """
    import polars as pl
    import pyarrow as pa
    import pyarrow.compute as pc

    return pl.Series(pc.cast(column, pa.string_view()))
