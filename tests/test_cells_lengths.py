"""Characters are counted the same way below and above the threshold where polars counts them."""

from __future__ import annotations

import pyarrow as pa
import pytest

from belarus_data.checks import cells
from belarus_data.models import columns as c

# Every UTF-8 length (1-4 bytes), a combining mark (one code point of its own), empty and null.
VALUES = ["x", "ы", "€", "\U0001f600", "e\u0301", "", None, "ы" * 600, "\U0001f600" * 601, "Мінск, 2024"]


def chunked(values: list[str | None]) -> pa.ChunkedArray:
    """Several chunks, one a slice, so that offsets do not start at zero."""
    array = pa.array(["padding", *values], pa.string()).slice(1)
    third = len(values) // 3
    return pa.chunked_array([array.slice(0, third), array.slice(third, third), array.slice(2 * third)])


@pytest.mark.parametrize("rows", [len(VALUES) * 10, cells.LARGE_ROWS + 7], ids=["arrow", "polars"])
def test_characters_are_code_points_whoever_counts_them(rows: int) -> None:
    values = (VALUES * (rows // len(VALUES) + 1))[:rows]
    counted = cells.ColumnArrays(chunked(values)).char_lengths
    assert counted.tolist() == [len(v) if v is not None else 0 for v in values]


def test_a_large_column_is_too_long_by_characters_not_bytes() -> None:
    rule = c.text_column(600)
    # 600 Cyrillic letters (1200 bytes) fit; 601 astral characters (2404 bytes) do not; nor 601 ASCII.
    values = ["ы" * 600, "\U0001f600" * 601, "x" * 601, "x" * 600, None] * (cells.LARGE_ROWS // 5 + 1)
    flags = cells.column_flags(chunked(values), rule, required=False)
    assert len(values) > cells.LARGE_ROWS
    assert flags[:5].tolist() == [False, True, True, False, False]
    assert int(flags.sum()) == 2 * (len(values) // 5)
