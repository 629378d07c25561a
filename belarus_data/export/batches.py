"""A table as typed Arrow batches, read a block at a time: what every export streams from.

Exports run after a full validation (:func:`~belarus_data.export.common.checked_root`),
so the files are known to be regular CSV whose cells pass every rule; they are
read here with pyarrow's streaming CSV reader (the options of
:func:`belarus_data.storage.csvfile.parse_fast`: every cell a string, an empty
cell null), ``BLOCK_BYTES`` at a time (one thread: a parallel parse only reads further ahead), and each block is converted to the
export types of :func:`arrow_schema`. Memory then grows with one block, not
with the table. Every record is read, withdrawn ones too: exports carry
``record_status`` and say which rows are current.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from belarus_data._version import __version__
from belarus_data.models.columns import Column
from belarus_data.storage.paths import inside
from belarus_data.storage.tables import Table

if TYPE_CHECKING:
    import pyarrow as pa

DATA_LICENCE = "CC-BY-4.0"
# Bytes of CSV parsed per batch (~1,500 claims). pyarrow's streaming reader parses a few dozen
# blocks ahead of the consumer, so the block size sets the reader's memory: ~40 MB at 1 MiB, ~300 MB at 8 MiB.
BLOCK_BYTES = 1 << 20
# What the Parquet and JSON exports say about which rows are current (SQLite has views for it).
CURRENT_NOTE = (
    "Every record is exported, withdrawn ones too; the current records are those whose "
    "record_status is 'active' (what the loaders return by default)."
)


def arrow_type(rule: Column) -> pa.DataType:
    """The Arrow type a column is exported as.

    >>> from belarus_data.storage.tables import table
    >>> str(arrow_type(table("claims").rules["claim_type"]))
    'dictionary<values=string, indices=int32, ordered=0>'
    """
    import pyarrow as pa

    if rule.kind == "integer":
        return pa.int64()
    if rule.kind == "boolean":
        return pa.bool_()
    if rule.kind == "date":
        return pa.date32()
    if rule.vocab and not rule.multi:
        return pa.dictionary(pa.int32(), pa.string())
    return pa.string()


def arrow_schema(spec: Table) -> pa.Schema:
    """The Arrow schema of a table as exported: types, nullability, descriptions and table metadata.

    The stored columns in CSV order, then the derived ones
    (:func:`belarus_data.storage.derived.derived_columns`: each EDTF column's
    strict and fuzzy bounds as ``date32``), each described.

    >>> from belarus_data.storage.tables import table
    >>> arrow_schema(table("events")).field("date_lower").type
    DataType(date32[day])
    """
    import pyarrow as pa

    from belarus_data.storage.derived import derived_columns, precision_note

    fields = []
    for name in spec.columns:
        rule = spec.rules[name]
        meta = {"description": spec.description_of(name)}
        if rule.vocab:
            meta["vocabulary"] = rule.vocab
        if name == "time_precision" and precision_note(spec):
            meta["description"] += " " + str(precision_note(spec))
        fields.append(pa.field(name, arrow_type(rule), nullable=name not in spec.required, metadata=meta))
    for column in derived_columns(spec):
        meta = {"description": column.description, "derived_from": column.source}
        fields.append(pa.field(column.name, pa.date32(), nullable=True, metadata=meta))
    meta = {
        "table": spec.name,
        "title": spec.title,
        "description": spec.description,
        "primary_key": json.dumps(list(spec.primary_key)),
        "foreign_keys": json.dumps(
            [{"field": f.field, "table": f.table, "reference": f.reference} for f in spec.foreign_keys]
        ),
        "dataset": "belarus-data",
        "dataset_version": __version__,
        "license": DATA_LICENCE,
        "current_records": CURRENT_NOTE,
    }
    return pa.schema(fields, metadata=meta)


def typed_column(rule: Column, column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """A checked string column converted to its export type (:func:`arrow_type`).

    >>> import pyarrow as pa
    >>> from belarus_data.storage.tables import table
    >>> typed_column(table("claims").rules["start"], pa.array(["12", None])).to_pylist()
    [12, None]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from belarus_data.models import integers

    if rule.kind == "integer":
        return integers.to_arrow(column)  # the one integer rule
    if rule.kind == "boolean":
        return pc.equal(column, "true")
    if rule.kind == "date":
        return pc.cast(pc.strptime(column, "%Y-%m-%d", "s"), pa.date32())
    if rule.vocab and not rule.multi:
        # The whole vocabulary as the dictionary, in every batch: readers get the same categories throughout.
        codes = pa.array(rule.codes, pa.string())
        indices = pc.index_in(column, value_set=codes).cast(pa.int32())
        if isinstance(indices, pa.ChunkedArray):
            indices = indices.combine_chunks()
        return pa.DictionaryArray.from_arrays(indices, codes)
    return column


def typed(spec: Table, strings: pa.Table | pa.RecordBatch) -> pa.Table:
    """A batch of string cells (as read from the CSV) as a table with :func:`arrow_schema`.

    The derived columns come from :func:`belarus_data.storage.derived.with_date_bounds`
    (the loaders' function, so exported bounds equal loaded ones), which also fills
    an event's empty ``time_precision``.
    """
    import pyarrow as pa

    from belarus_data.storage.derived import with_date_bounds

    cells = strings if isinstance(strings, pa.Table) else pa.Table.from_batches([strings])
    full = with_date_bounds(spec, cells.select(list(spec.columns)))
    schema = arrow_schema(spec)
    arrays = [
        typed_column(spec.rules[f.name], full.column(f.name)) if f.name in spec.rules else full.column(f.name)
        for f in schema
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


def export_schema(spec: Table) -> pa.Schema:
    """The schema of the table as exported (:func:`arrow_schema`)."""
    return arrow_schema(spec)


def string_batches(root: Path, spec: Table, block_bytes: int = BLOCK_BYTES) -> Iterator[pa.RecordBatch]:
    """The table's cells as string batches (empty cell = null), every record, a block of the file at a time."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    path = inside(root, spec.path)
    reader = pacsv.open_csv(
        str(path),
        read_options=pacsv.ReadOptions(
            column_names=list(spec.columns), skip_rows=1, block_size=block_bytes, use_threads=False
        ),
        parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in spec.columns},
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )
    try:
        for batch in reader:
            if batch.num_rows:
                yield batch
    finally:
        reader.close()


def table_batches(root: Path, spec: Table, block_bytes: int = BLOCK_BYTES) -> Iterator[pa.Table]:
    """The table as typed batches (:func:`arrow_schema`): every record, with the derived date-bound columns.

    >>> from belarus_data.storage.paths import resolve_root
    >>> from belarus_data.storage.tables import table
    >>> sum(b.num_rows for b in table_batches(resolve_root(None), table("actors"))) > 0
    True
    """
    for batch in string_batches(root, spec, block_bytes):
        yield typed(spec, batch)


def whole_table(root: Path, spec: Table) -> pa.Table:
    """The whole table, typed (for the small tables an export looks rows up in)."""
    import pyarrow as pa

    parts = list(table_batches(root, spec))
    return pa.concat_tables(parts).combine_chunks() if parts else arrow_schema(spec).empty_table()


def json_ready(data: pa.Table) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: dates as 'YYYY-MM-DD' strings, vocabulary codes as strings, empty as None."""
    import pyarrow as pa

    columns = {}
    for name, column in zip(data.column_names, data.columns, strict=True):
        kind = column.type
        if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
            column = column.cast(pa.string())
        elif pa.types.is_dictionary(kind):
            column = column.cast(kind.value_type)
        columns[name] = column.to_pylist()
    return [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]
