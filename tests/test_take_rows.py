"""storage.arrays.take_rows gives exactly the rows asked for, in order, whatever the blocks: runs, gaps, repeats."""

from __future__ import annotations

import polars as pl
import pyarrow as pa
import pytest

from belarus_data.storage.arrays import polars_strings, take_cells, take_rows

# Four blocks of five rows: the value of row i is i.
BLOCKS = pa.Table.from_batches([pa.record_batch({"a": list(range(k * 5, k * 5 + 5))}) for k in range(4)])


@pytest.mark.parametrize(
    "wanted",
    [[0], [19], [3, 4, 5, 6], [18, 19], list(range(20)), [2, 1], [0, 2, 3], [5, 5], [4, 5, 5, 6], [7, 6, 5]],
)
def test_rows_are_those_asked_for(wanted: list[int]) -> None:
    assert take_rows(BLOCKS, wanted).column("a").to_pylist() == wanted


def test_a_run_of_rows_is_a_slice_without_copy() -> None:
    taken = take_rows(BLOCKS, list(range(3, 12)))
    # A slice shares the blocks' buffers: the first block's data buffer is the original's.
    assert taken.column("a").chunk(0).buffers()[1].address == BLOCKS.column("a").chunk(0).buffers()[1].address


def test_no_rows() -> None:
    assert take_rows(BLOCKS, []).num_rows == 0


@pytest.mark.parametrize("wanted", [[], [7], [0, 19], [19, 0, 7, 7], list(range(20))])
def test_cells_of_a_chunked_column_are_those_asked_for(wanted: list[int]) -> None:
    column = BLOCKS.column("a")
    assert column.num_chunks == 4
    assert take_cells(column, wanted).to_pylist() == wanted
    assert take_cells(column.combine_chunks(), wanted).to_pylist() == wanted  # one array, as one chunk


def test_taking_a_few_cells_does_not_join_the_column() -> None:
    """Arrow's ChunkedArray.take joins every chunk first: the cells taken here come from the chunk itself."""
    column = pa.chunked_array([pa.array(["x" * 20] * 1_000), pa.array(["y" * 20] * 1_000)])
    default = pa.default_memory_pool()
    counted = pa.proxy_memory_pool(default)  # counts the peak of what is allocated through it
    pa.set_memory_pool(counted)
    try:
        taken = take_cells(column, [1_500])
    finally:
        pa.set_memory_pool(default)
    assert taken.to_pylist() == ["y" * 20]
    # A join of the column allocates its 40,000 bytes of characters (48,320 measured); one cell, a few hundred.
    assert counted.max_memory() < 10_000


def test_polars_strings_hold_the_column_as_it_is() -> None:
    """Short (inline) and long values, non-ASCII, empty and missing ones, across chunks: the same in polars."""
    values = ["Minsk", None, "", "Лукашэнка і Пуцін сустрэліся ў Сочы", "x" * 12, "y" * 13, "😀 astral"]
    column = pa.chunked_array([pa.array(values[:3]), pa.array(values[3:])])
    for given in (column, column.combine_chunks()):
        series = polars_strings(given)
        assert series.dtype == pl.String
        assert series.to_list() == values
