"""Keys and links: unique primary keys, every foreign key resolves, no active record leans on a withdrawn one."""

from __future__ import annotations

from belarus_data.checks.context import Context
from belarus_data.models.columns import nearest
from belarus_data.tables import TABLES, Table


def _key_rows(ctx: Context, table: Table) -> list[tuple[str | None, ...]]:
    data = ctx.tables[table.name].data
    columns = [data.column(k).to_pylist() for k in table.primary_key]
    return list(zip(*columns, strict=True))


def check_unique_keys(ctx: Context) -> None:
    for table in TABLES:
        if table.name not in ctx.tables:
            continue
        first_line: dict[tuple[str | None, ...], int] = {}
        parsed = ctx.tables[table.name]
        for index, key in enumerate(_key_rows(ctx, table)):
            if any(part is None for part in key):
                continue  # reported as 'required'
            if key in first_line:
                shown = ", ".join(f"{k}={v!r}" for k, v in zip(table.primary_key, key, strict=True))
                ctx.add(
                    table,
                    index,
                    table.primary_key[-1],
                    "duplicate-key",
                    f"{shown} is already used at line {first_line[key]}",
                    "give the new record a fresh ID (`belarus-data new`); never reuse an ID",
                )
            else:
                first_line[key] = parsed.line(index)


def check_foreign_keys(ctx: Context) -> None:
    import numpy as np
    import pyarrow.compute as pc

    for table in TABLES:
        if table.name not in ctx.tables:
            continue
        for fk in table.foreign_keys:
            target = ctx.tables.get(fk.table)
            if target is None:
                continue  # the target file itself is reported broken
            known = pc.unique(target.data.column(fk.reference).drop_null())
            column = ctx.column(table.name, fk.field)
            missing = np.asarray(
                pc.fill_null(pc.and_(pc.is_valid(column), pc.invert(pc.is_in(column, value_set=known))), False)
            )
            if not missing.any():
                continue
            choices = known.to_pylist()
            values = column.to_pylist()
            for index in np.flatnonzero(missing).tolist():
                value = values[index]
                guess = nearest(value, choices)
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
    withdrawn: dict[str, dict[str, str]] = {}
    for table in TABLES:
        if table.name in ctx.tables and table.primary_key == ("id",):
            ids = ctx.values(table.name, "id")
            statuses = ctx.values(table.name, "record_status")
            withdrawn[table.name] = {
                i: s for i, s in zip(ids, statuses, strict=True) if i and s in ("retracted", "superseded")
            }
    for table in TABLES:
        if table.name not in ctx.tables:
            continue
        active = ctx.active_mask(table.name)
        for fk in table.foreign_keys:
            gone = withdrawn.get(fk.table)
            if not gone or fk.field == "superseded_by":
                continue
            for index, value in enumerate(ctx.values(table.name, fk.field)):
                if value in gone and active[index]:
                    ctx.add(
                        table,
                        index,
                        fk.field,
                        "reference-withdrawn",
                        f"points at {value!r}, which is {gone[value]}",
                        "point at the record that superseded it, or withdraw this record too",
                    )
