"""Parquet export: one ``<table>.parquet`` per table, with Arrow types taken from the models.

Integers are int64, booleans bool, calendar dates date32, single-valued
vocabulary columns dictionary<int32, string> whose dictionary holds every code
of the vocabulary (so pandas reads them as the same categoricals the loaders
give), everything else UTF-8 strings. Required columns are non-nullable. Each
field carries its description; the file carries the table's description, keys,
dataset version and licence, so the file explains itself in any Arrow reader.
Every record is exported, withdrawn ones too: ``record_status = 'active'``
selects the current ones.
"""

from __future__ import annotations

import os
from pathlib import Path

from belarus_data.export.batches import CURRENT_NOTE, DATA_LICENCE, arrow_schema, arrow_type, table_batches
from belarus_data.export.common import Step, checked_root, no_step
from belarus_data.storage.atomic import atomic_file
from belarus_data.storage.tables import TABLES, Table

__all__ = ["CURRENT_NOTE", "DATA_LICENCE", "arrow_schema", "arrow_type", "export_parquet"]


def write_table_parquet(path: Path, root: Path, spec: Table) -> None:
    """Write one table to ``path`` as Parquet, a batch at a time (atomically: all of it or nothing)."""
    import pyarrow.parquet as pq

    with atomic_file(path) as sink:
        writer = None
        try:
            for batch in table_batches(root, spec):
                if writer is None:
                    writer = pq.ParquetWriter(sink, batch.schema, compression="zstd")
                writer.write_table(batch)
            if writer is None:  # an empty table still gets its schema
                empty = arrow_schema(spec).empty_table()
                writer = pq.ParquetWriter(sink, empty.schema, compression="zstd")
                writer.write_table(empty)
        finally:
            if writer is not None:
                writer.close()


def export_parquet(
    out_dir: str | os.PathLike[str], root: str | os.PathLike[str] | None = None, step: Step = no_step
) -> list[Path]:
    """Write ``<table>.parquet`` for every table into ``out_dir``; returns the paths written.

    Every record is written, withdrawn ones too; ``record_status == 'active'``
    selects the current ones (the file's metadata says so). Each table is
    written a batch at a time, so memory does not grow with the data.
    Raises :class:`~belarus_data.problems.DatasetError` if the dataset does not validate.

    >>> import pandas as pd
    >>> from belarus_data.export.parquet import export_parquet
    >>> paths = export_parquet("out/parquet")  # doctest: +SKIP
    >>> pd.read_parquet("out/parquet/claims.parquet")["claim_type"].dtype  # doctest: +SKIP
    CategoricalDtype(categories=['report', 'assessment', ...], ordered=False, ...)
    """
    base = checked_root(root, step)
    written = []
    for spec in TABLES:
        step(f"write {spec.name}.parquet")
        path = Path(out_dir) / f"{spec.name}.parquet"
        write_table_parquet(path, base, spec)
        written.append(path)
    return written
