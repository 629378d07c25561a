"""Finding a table's changes from the changed region of its file agrees with comparing the whole tables."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from belarus_data.history.tablediff import TableChanges, changes_since, compare_tables
from belarus_data.storage.csvfile import read_arrow, read_table
from belarus_data.storage.tables import table

SPEC = table("actor_aliases")  # composite key (actor_id, alias), a handful of columns


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SPEC.columns)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _row(key: int, value: int) -> list[str]:
    cells = {c: "" for c in SPEC.columns}
    cells.update(actor_id=f"act-{key:03d}", alias=f"alias {key}", script="Latn", status_reason=f"n{value}")
    return [cells[c] for c in SPEC.columns]


def _summary(found: TableChanges) -> tuple[object, ...]:
    return (
        sorted(found.added),
        sorted((line, sorted(cells.items())) for line, cells in found.deleted),
        sorted((p.index, p.old_line, sorted(p.old.items()), sorted(p.new.items())) for p in found.differing),
    )


@given(
    st.lists(st.integers(0, 3), min_size=0, max_size=12),
    st.lists(st.tuples(st.sampled_from(["edit", "drop", "insert"]), st.integers(0, 30), st.integers(0, 3)), max_size=6),
)
@settings(max_examples=200, deadline=None)
def test_region_changes_equal_whole_table_changes(
    tmp_path_factory: object, values: list[int], edits: list[tuple[str, int, int]]
) -> None:
    old_rows = [_row(k, v) for k, v in enumerate(values)]
    new_rows = [list(r) for r in old_rows]
    fresh = 100
    for kind, at, value in edits:
        if kind == "edit" and new_rows:
            new_rows[at % len(new_rows)][SPEC.columns.index("status_reason")] = f"e{value}"
        elif kind == "drop" and new_rows:
            del new_rows[at % len(new_rows)]
        elif kind == "insert":
            new_rows.insert(at % (len(new_rows) + 1), _row(fresh, value))
            fresh += 1
    folder = tmp_path_factory.mktemp("t")  # type: ignore[attr-defined]
    path = Path(folder) / "actor_aliases.csv"
    old = _csv(old_rows)
    stored = Path(folder) / "stored.csv"
    stored.write_bytes(old)
    path.write_bytes(_csv(new_rows))
    parsed = read_table(path, "records/actor_aliases.csv", SPEC.columns, [])
    assert parsed is not None
    region = changes_since(SPEC, stored, path, parsed)
    whole = compare_tables(SPEC, read_arrow(old, SPEC), parsed.data)
    assert _summary(region) == _summary(whole)


def test_a_file_missing_at_the_base_is_all_new(tmp_path: Path) -> None:
    path = tmp_path / "actor_aliases.csv"
    path.write_bytes(_csv([_row(1, 1), _row(2, 2)]))
    parsed = read_table(path, "records/actor_aliases.csv", SPEC.columns, [])
    assert parsed is not None
    assert changes_since(SPEC, None, path, parsed).added == [0, 1]
