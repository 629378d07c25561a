"""Keys and links: unique primary keys, every foreign key resolves, no active record leans on a withdrawn one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from belarus_data.checks import joins
from belarus_data.checks.context import Context
from belarus_data.checks.joins import rows_named
from belarus_data.models.columns import Nearest
from belarus_data.storage.arrays import mask, strings, take_rows
from belarus_data.storage.tables import TABLES, Table

if TYPE_CHECKING:
    import pyarrow as pa


def _key_rows(ctx: Context, table: Table, indices: list[int]) -> list[tuple[str | None, ...]]:
    import numpy as np

    data = ctx.tables[table.name].data
    at = np.asarray(indices, dtype=np.int64)
    columns = [data.column(k).take(at).to_pylist() for k in table.primary_key]
    return list(zip(*columns, strict=True))


def _rows_with_repeated_keys(ctx: Context, table: Table) -> list[int]:
    """Rows whose (complete) key occurs more than once, found with Arrow; usually none."""
    import numpy as np
    import pyarrow.compute as pc

    data = ctx.tables[table.name].data
    if len(table.primary_key) == 1:
        key = data.column(table.primary_key[0])
    else:
        # NUL never occurs in a readable cell, so it cannot make two different keys equal.
        key = pc.binary_join_element_wise(*[data.column(k) for k in table.primary_key], "\x00")
    counts = pc.value_counts(key.drop_null())
    repeated = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
    if len(repeated) == 0:
        return []
    mask = pc.fill_null(pc.is_in(key, value_set=repeated), False)
    rows: list[int] = np.flatnonzero(mask.to_numpy(zero_copy_only=False)).tolist()
    return rows


def check_unique_keys(ctx: Context) -> None:
    for table in TABLES:
        if table.name not in ctx.tables:
            continue
        first: dict[tuple[str | None, ...], int] = {}
        parsed = ctx.tables[table.name]
        if parsed.num_rows >= joins.HASHED_ROWS and not joins.keys_may_repeat(parsed.data, table.primary_key):
            continue  # every key differs
        indices = _rows_with_repeated_keys(ctx, table)
        # Only rows whose key repeats are walked in Python, in file order, to name the first use.
        for index, key in zip(indices, _key_rows(ctx, table, indices), strict=True):
            if any(part is None for part in key):
                continue  # reported as 'required'
            if key in first:
                shown = ", ".join(f"{k}={v!r}" for k, v in zip(table.primary_key, key, strict=True))
                line = parsed.line(first[key])
                ctx.add(
                    table,
                    index,
                    table.primary_key[-1],
                    "duplicate-key",
                    f"{shown} is already used at line {line}",
                    duplicate_hint(table, parsed.data, first[key], index, line),
                )
            else:
                first[key] = index


# What a merge of two pull requests that edited one record leaves (git's union driver keeps both lines).
MERGE_HINT = (
    "two edits of one record were both kept (e.g. by merging two pull requests): merge them into line {line} "
    "with the changes of both{differ}, version = the published version + 1, and delete this line "
    "(`belarus-data validate --base main` says exactly what to set)"
)


def duplicate_hint(table: Table, data: pa.Table, kept: int, again: int, line: int) -> str:
    """The fix for a repeated key: merge two edits of one record (same ``created``), or a fresh ID for a new one."""
    import numpy as np

    rows = take_rows(data, np.asarray([kept, again], dtype=np.int64)).to_pylist()
    if "created" in table.columns and rows[0]["created"] is not None and rows[0]["created"] == rows[1]["created"]:
        # Only the columns read: the claims' long texts may be checked elsewhere, a partition at a time.
        read = [c for c in table.columns if c in data.column_names]
        differ = [c for c in read if c not in ("version", "updated") and rows[0][c] != rows[1][c]]
        if not differ:
            return f"this line repeats line {line}: delete it"
        return MERGE_HINT.format(line=line, differ=f" (they differ in {', '.join(differ)})")
    if table.primary_key == ("id",):
        return "give the new record a fresh ID (`belarus-data new`); never reuse an ID"
    return f"the same {', '.join(table.primary_key)} is recorded twice: keep one line (line {line}) and delete this one"


MAX_SUGGESTIONS = 100  # bad references per column given a "did you mean"


def _unknown_values(column: pa.ChunkedArray, ids: pa.ChunkedArray) -> pa.Array:
    """The distinct values of ``column`` (nulls aside) that are not among ``ids``.

    Work is done on the distinct values, and the hash table is built on the smaller side:
    ``superseded_by`` names few of a million claims, so the million IDs are only looked up.
    """
    import pyarrow.compute as pc

    values = pc.unique(column).drop_null()  # unique first: dropping the nulls of a whole column copies it
    if len(values) == 0:
        return values
    if len(values) < len(ids):
        found = pc.unique(pc.filter(ids, pc.is_in(ids, value_set=values)))
        return pc.filter(values, pc.invert(pc.is_in(values, value_set=found)))
    return pc.filter(values, pc.invert(pc.is_in(values, value_set=pc.unique(ids))))


def check_foreign_keys(ctx: Context) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    for table in TABLES:
        if table.name not in ctx.tables:
            continue
        for fk in table.foreign_keys:
            target = ctx.tables.get(fk.table)
            if target is None:
                continue  # the target file itself is reported broken
            column = ctx.column(table.name, fk.field)
            if fk.table == table.name:  # parent_id, superseded_by: few rows point, so the IDs are only looked up
                unknown = _unknown_values(column, target.data.column(fk.reference))
                if len(unknown) == 0:
                    continue
                bad = np.flatnonzero(mask(pc.is_in(column, value_set=unknown)))
            else:  # the lookup the date and anchor rules share
                bad = np.flatnonzero(
                    (rows_named(ctx.tables[table.name].data, fk.field, target.data, fk.reference) < 0)
                    & mask(pc.is_valid(column))
                )
                if len(bad) == 0:
                    continue
            values = take_rows(pa.table({"value": column}), bad).column(0).to_pylist()  # block by block
            guesser = Nearest(pc.unique(target.data.column(fk.reference)).drop_null().to_pylist())
            for k, (index, value) in enumerate(zip(bad.tolist(), values, strict=True)):
                # "Did you mean" for the first bad values of a column only: past them it is no longer a typo.
                guess = guesser(value) if k < MAX_SUGGESTIONS else None
                ctx.add(
                    table,
                    index,
                    fk.field,
                    "foreign-key",
                    f"{value!r} is not an {fk.reference} in {fk.table}",
                    (f"did you mean {guess!r}? " if guess else "") + f"add the record to records/{fk.table}.csv first",
                )


def check_withdrawn_references(ctx: Context) -> None:
    """An active record may not point at a retracted or superseded one (except through superseded_by)."""
    import numpy as np
    import pyarrow.compute as pc

    withdrawn: dict[str, dict[str, str]] = {}
    gone_rows: dict[str, np.ndarray] = {}
    for table in TABLES:
        if table.name in ctx.tables and table.primary_key == ("id",):
            data = ctx.tables[table.name].data
            gone = pc.fill_null(pc.is_in(data.column("record_status"), value_set=strings(list(_WITHDRAWN))), False)
            # Withdrawn records are few: only they are turned into Python values.
            ids = pc.filter(data.column("id"), gone).to_pylist()
            statuses = pc.filter(data.column("record_status"), gone).to_pylist()
            withdrawn[table.name] = {i: s for i, s in zip(ids, statuses, strict=True) if i}
            gone_rows[table.name] = np.flatnonzero(mask(gone))
    for table in TABLES:
        if table.name not in ctx.tables:
            continue
        active: np.ndarray | None = None
        for fk in table.foreign_keys:
            gone_ids = withdrawn.get(fk.table)
            if not gone_ids or fk.field == "superseded_by":
                continue
            if active is None:
                active = ctx.active_mask(table.name)
            column = ctx.column(table.name, fk.field)
            if fk.table == table.name:  # parent_id: a few pointers
                hits = mask(pc.is_in(column, value_set=strings(list(gone_ids))))
            else:  # the shared lookup; an ID is withdrawn if any row with it is
                target = ctx.tables[fk.table].data
                first = joins.first_rows(target)[gone_rows[fk.table]]
                by_first = np.zeros(target.num_rows + 1, dtype=bool)  # the last slot: no row
                by_first[first[first >= 0]] = True
                hits = by_first[rows_named(ctx.tables[table.name].data, fk.field, target)]
            for index in np.flatnonzero(hits & active).tolist():
                value = column[index].as_py()
                ctx.add(
                    table,
                    index,
                    fk.field,
                    "reference-withdrawn",
                    f"points at {value!r}, which is {gone_ids[value]}",
                    "point at the record that superseded it, or withdraw this record too",
                )


_WITHDRAWN = ("retracted", "superseded")
