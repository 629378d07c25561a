"""A column that repeats its values (references, tags) has its IDs checked once per distinct value: same flags."""

from __future__ import annotations

import random
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from belarus_data.checks import cells
from belarus_data.models import columns as c

BAD = ["src-a--b", "src-", "src-Upper", "src-x-", "evt-ok", "src-gоv", " src-a", "src-a;b"]  # 'о' is Cyrillic


def _column(values: list[str | None]) -> pa.ChunkedArray:
    array = pa.array(["padding", *values], pa.string()).slice(1)
    half = len(values) // 2
    return pa.chunked_array([array.slice(0, half), array.slice(half)])


@pytest.mark.parametrize("repeats", [True, False], ids=["distinct-values", "every-row"])
def test_reference_flags_are_the_same_whether_values_repeat_or_not(repeats: bool) -> None:
    rule = c.id_column("src", "src-x")
    rng = random.Random(16)
    pool = [f"src-gen-{k:06d}" for k in range(50 if repeats else 10**6)]
    values: list[str | None] = [rng.choice(pool) for _ in range(cells.LARGE_ROWS + 1000)]
    for bad in BAD:
        for row in (0, len(values) - 1, rng.randrange(len(values))):
            values[row] = bad
    values[5] = None
    column = _column(values)
    sample = column.slice(0, cells.DISTINCT_SAMPLE)
    assert (pc.count_distinct(sample).as_py() * 4 < 3 * (len(sample) - sample.null_count)) == repeats  # the path
    pattern = re.compile(c.json_schema_for(rule)["pattern"])
    expected = [v is not None and pattern.fullmatch(v) is None for v in values]
    assert cells.column_flags(column, rule, required=False).tolist() == expected
    assert sum(expected) >= len(BAD)


def test_tag_lists_that_repeat_are_checked_exactly() -> None:
    rule = c.TAGS
    pattern = re.compile(c.json_schema_for(rule)["pattern"])
    values: list[str | None] = ["defence;air-force", "economy", None, "a;;b", "Air", "x-;y", "ok;fine"] * 4000
    flags = cells.column_flags(_column(values), rule, required=False)
    assert flags.tolist() == [v is not None and pattern.fullmatch(v) is None for v in values]
    assert int(np.sum(flags)) == 3 * 4000
