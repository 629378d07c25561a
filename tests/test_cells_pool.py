"""flag_rows screens the columns of a large table in a thread pool: the same flags as one at a time.

LARGE_ROWS is lowered so that the fixture's small tables take the large-table paths (the pool, polars'
character counts, distinct tag values); each table has one broken row, which both paths must flag.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import set_cell

from belarus_data.checks import cells
from belarus_data.storage.snapshot import Snapshot
from belarus_data.storage.tables import table

BROKEN = [
    ("claims", 3, "statement", "zero\u200bwidth"),
    ("sources", 2, "published_basis", ""),
    ("actors", 2, "country", "XXX"),
    ("events", 2, "event_status", "imagined"),
]


@pytest.mark.parametrize(("name", "line", "column", "value"), BROKEN)
def test_the_pool_flags_what_one_at_a_time_flags(
    root: Path, monkeypatch: pytest.MonkeyPatch, name: str, line: int, column: str, value: str
) -> None:
    set_cell(root, name, line, column, value)
    data = Snapshot.of_tree(root).parsed_tables([])[name].data
    monkeypatch.setattr(cells, "LARGE_ROWS", 0)
    monkeypatch.setattr(cells, "WORKERS", 1)
    alone = cells.flag_rows(table(name), data)
    monkeypatch.setattr(cells, "WORKERS", 2)
    pooled = cells.flag_rows(table(name), data)
    assert pooled.tolist() == alone.tolist()
    assert bool(pooled[line - 2])
