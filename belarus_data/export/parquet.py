"""Parquet export: one ``<table>.parquet`` per table, with Arrow types taken from the models.

Integers are int64, booleans bool, calendar dates date32, single-valued
vocabulary columns dictionary<int32, string> whose dictionary holds every code
of the vocabulary (so pandas reads them as the same categoricals the loaders
give), everything else UTF-8 strings. Required columns are non-nullable. Each
field carries its description; the file carries the table's description, keys,
dataset version and licence, so the file explains itself in any Arrow reader.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from belarus_data._version import __version__
from belarus_data.export.common import Step, checked_root, load_frames, no_step
from belarus_data.models.columns import Column
from belarus_data.storage.atomic import write_bytes
from belarus_data.storage.tables import TABLES, Table, table

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

DATA_LICENCE = "CC-BY-4.0"


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
    """The Arrow schema of a table: types, nullability, descriptions and table metadata."""
    import pyarrow as pa

    fields = []
    for name in spec.columns:
        rule = spec.rules[name]
        meta = {"description": spec.description_of(name)}
        if rule.vocab:
            meta["vocabulary"] = rule.vocab
        fields.append(pa.field(name, arrow_type(rule), nullable=name not in spec.required, metadata=meta))
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
    }
    return pa.schema(fields, metadata=meta)


def _column(rule: Column, series: pd.Series, target: pa.DataType) -> Any:
    import pyarrow as pa

    if (rule.vocab and not rule.multi) or rule.kind == "date":
        # Categoricals already carry the whole vocabulary; datetime64[s] becomes timestamp[s].
        return pa.array(series).cast(target)
    return pa.array(series, type=target, from_pandas=True)


def arrow_table(spec: Table, frame: pd.DataFrame) -> pa.Table:
    """A loaded table as an Arrow table with :func:`arrow_schema`."""
    import pyarrow as pa

    schema = arrow_schema(spec)
    arrays = [_column(spec.rules[f.name], frame[f.name], f.type) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


def export_parquet(
    out_dir: str | os.PathLike[str], root: str | os.PathLike[str] | None = None, step: Step = no_step
) -> list[Path]:
    """Write ``<table>.parquet`` for every table into ``out_dir``; returns the paths written.

    Raises :class:`~belarus_data.problems.DatasetError` if the dataset does not validate.

    >>> import pandas as pd
    >>> from belarus_data.export.parquet import export_parquet
    >>> paths = export_parquet("out/parquet")  # doctest: +SKIP
    >>> pd.read_parquet("out/parquet/claims.parquet")["claim_type"].dtype  # doctest: +SKIP
    CategoricalDtype(categories=['report', 'assessment', ...], ordered=False, ...)
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    base = checked_root(root, step)
    frames = load_frames(base, step)
    written = []
    for spec in TABLES:
        step(f"write {spec.name}.parquet")
        data = arrow_table(table(spec.name), frames[spec.name])
        sink = pa.BufferOutputStream()
        pq.write_table(data, sink, compression="zstd")
        path = Path(out_dir) / f"{spec.name}.parquet"
        write_bytes(path, sink.getvalue().to_pybytes())
        written.append(path)
    return written
