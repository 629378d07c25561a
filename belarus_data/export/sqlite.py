"""SQLite export for SQL, DuckDB and Datasette, built with sqlite-utils.

One table per dataset table, typed columns (INTEGER, TEXT; dates as ISO
'YYYY-MM-DD' text, which sorts and compares correctly), NOT NULL on required
columns, the primary keys and foreign keys of the registry, an index on every
foreign-key column, and FTS5 full-text indexes on statements, quotes,
descriptions and actor names and aliases. Beside the database goes a
``metadata.json`` that Datasette reads for titles, licence, source and the
description of every table and column, all taken from the models.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from belarus_data._version import __version__
from belarus_data.export.batches import export_schema, table_batches
from belarus_data.export.common import Step, checked_root, no_step, require
from belarus_data.models.columns import Column
from belarus_data.storage.atomic import CannotWrite, remove_leftovers, temporary_beside, write_text
from belarus_data.storage.tables import TABLES, Table, table

if TYPE_CHECKING:
    import pyarrow as pa

PURPOSE = "the SQLite export"
# Primary SQLite result codes of ordinary faults (https://www.sqlite.org/rescode.html) as errno values.
SQLITE_ERRNO = {13: errno.ENOSPC, 8: errno.EROFS, 10: errno.EIO, 14: errno.EACCES}  # FULL, READONLY, IOERR, CANTOPEN
EXTRA = "sqlite"

# table -> columns indexed for full-text search (FTS5)
FULL_TEXT: dict[str, tuple[str, ...]] = {
    "claims": ("statement", "quote"),
    "events": ("description",),
    "actors": ("name", "description"),
    "actor_aliases": ("alias",),
    "sources": ("title", "outlet", "author"),
}
# table -> the column Datasette shows for a row when another table links to it
LABELS: dict[str, str] = {"sources": "title", "actors": "name", "events": "description", "claims": "statement"}
FACETS: dict[str, list[str]] = {
    "claims": ["claim_type", "modality", "attribution", "source_id"],
    "events": ["event_type", "event_status", "country"],
    "actors": ["actor_type", "country"],
    "event_participants": ["role"],
    "actor_aliases": ["alias_type", "script"],
}
# Unicode-aware tokens with accents folded, so 'Lukasenka' finds 'Lukašenka'.
TOKENIZE = "unicode61 remove_diacritics 2"
TITLE = "belarus-data: claims and events on Belarus's foreign and security policy"
SOURCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def sql_type(rule: Column) -> type:
    """The Python type sqlite-utils maps to the column's SQLite type."""
    if rule.kind in ("integer", "boolean"):
        return int
    return str


def _table_order() -> list[str]:
    # Parents before children, so that each foreign key's target table exists when its table is created.
    return ["actors", "actor_aliases", "sources", "events", "event_participants", "claims"]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_table_sql(spec: Table, schema: pa.Schema) -> str:
    """``CREATE TABLE`` with the exported columns' types, NOT NULL, the primary key and the foreign keys.

    Declared at creation (not added afterwards, which rewrites the table), so the
    rows are written once.
    """
    import pyarrow as pa

    lines = []
    for field in schema:
        kind = "INTEGER" if pa.types.is_integer(field.type) or pa.types.is_boolean(field.type) else "TEXT"
        lines.append(f"{_quoted(field.name)} {kind}" + (" NOT NULL" if field.name in spec.required else ""))
    lines.append("PRIMARY KEY (" + ", ".join(_quoted(k) for k in spec.primary_key) + ")")
    lines += [
        f"FOREIGN KEY ({_quoted(fk.field)}) REFERENCES {_quoted(fk.table)}({_quoted(fk.reference)})"
        for fk in spec.foreign_keys
    ]
    return f"CREATE TABLE {_quoted(spec.name)} (\n   " + ",\n   ".join(lines) + "\n)"


def sql_rows(data: pa.Table) -> Iterator[tuple[Any, ...]]:
    """A typed batch as SQLite parameter rows: dates as ISO text, vocabulary codes as text, booleans as 0/1."""
    import pyarrow as pa

    columns = []
    for column in data.columns:
        if pa.types.is_date(column.type) or pa.types.is_timestamp(column.type):
            column = column.cast(pa.string())
        elif pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        columns.append(column.to_pylist())
    return zip(*columns, strict=True)


def current_view_sql(spec: Table) -> str:
    """The view of a table's current records: those whose ``record_status`` is ``active``."""
    return (
        f"CREATE VIEW {_quoted('current_' + spec.name)} AS "
        f"SELECT * FROM {_quoted(spec.name)} WHERE record_status = 'active'"
    )


def build(db_path: Path, root: Path, step: Step = no_step) -> None:
    """Create the database at ``db_path`` (which must not exist) from the dataset at ``root``.

    Each table is inserted a batch at a time (:func:`~belarus_data.export.batches.table_batches`),
    so memory does not grow with the data; SQLite itself keeps its usual small page cache.
    """
    sqlite_utils = require("sqlite_utils", EXTRA, PURPOSE)
    db = sqlite_utils.Database(db_path)
    # A scratch file renamed into place only when complete: a rollback journal or per-statement
    # syncing buys nothing here (a failed build is thrown away; export_sqlite syncs the finished file
    # once). journal_mode MEMORY would hold every page VACUUM rewrites in memory.
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA journal_mode = OFF")
    try:
        names = _table_order()
        assert sorted(names) == sorted(t.name for t in TABLES), "a new table must be added to _table_order()"
        for name in names:
            step(f"insert {name}")
            spec = table(name)
            schema = export_schema(spec)
            db.execute(create_table_sql(spec, schema))
            column_list = ", ".join(_quoted(f.name) for f in schema)
            marks = ", ".join("?" for _ in schema)
            insert = f"INSERT INTO {_quoted(name)} ({column_list}) VALUES ({marks})"
            # executemany runs SQLite's own loop (sqlite-utils' insert_all batches by its variable limit,
            # ~37 rows of 27 columns, and takes ~4x longer); one transaction per batch.
            for batch in table_batches(root, spec):
                with db.conn:
                    db.conn.executemany(insert, sql_rows(batch))
            db.execute(current_view_sql(spec))
        step("indexes")
        db.index_foreign_keys()
        for name, columns in FULL_TEXT.items():
            step(f"full-text index {name}")
            db[name].enable_fts(list(columns), create_triggers=True, tokenize=TOKENIZE)
        broken = db.execute("PRAGMA foreign_key_check").fetchall()
        if broken:  # validation checked the links already; this guards the exporter itself
            raise RuntimeError(f"the exported database breaks {len(broken)} foreign key(s): {broken[:5]}")
        db.execute("PRAGMA optimize")
        db.vacuum()
    finally:
        db.close()


def datasette_metadata(database: str) -> dict[str, Any]:
    """Datasette metadata for a database named ``database`` (the file name without '.db').

    >>> datasette_metadata("belarus")["databases"]["belarus"]["tables"]["claims"]["columns"]["quote"]
    'Verbatim evidence: exactly the source text from start to end.'
    """
    tables: dict[str, Any] = {}
    for spec in TABLES:
        columns = {f.name: f.metadata[b"description"].decode("utf-8") for f in export_schema(spec)}
        entry: dict[str, Any] = {
            "title": spec.title,
            "description": spec.description,
            "columns": columns,
        }
        if spec.name in LABELS:
            entry["label_column"] = LABELS[spec.name]
        if spec.name in FACETS:
            entry["facets"] = FACETS[spec.name]
        if spec.name in FULL_TEXT:
            entry["fts_table"] = f"{spec.name}_fts"
        tables[spec.name] = entry
        tables[f"current_{spec.name}"] = {
            "title": f"{spec.title} (current)",
            "description": f"The current {spec.name}: record_status is 'active' (what the loaders return by default).",
            "columns": columns,
        }
    return {
        "title": TITLE,
        "description": f"Version {__version__}. Records licensed CC BY 4.0; code MIT. Exported by `belarus-data export sqlite`.",
        "license": "CC-BY-4.0 (records)",
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
        "source": f"belarus-data {__version__}",
        "source_url": "https://pypi.org/project/belarus-data/",
        "databases": {database: {"title": TITLE, "tables": tables}},
    }


def export_sqlite(
    out: str | os.PathLike[str],
    root: str | os.PathLike[str] | None = None,
    step: Step = no_step,
    metadata: str | os.PathLike[str] | None = None,
) -> list[Path]:
    """Write the SQLite database ``out`` and Datasette's ``metadata.json`` beside it; returns both paths.

    The database is built in a temporary file in the same directory and renamed
    over ``out`` only when complete, so a reader never sees half a database.
    Raises :class:`~belarus_data.problems.DatasetError` if the dataset does not validate.

    >>> from belarus_data.export.sqlite import export_sqlite
    >>> export_sqlite("belarus.db")  # doctest: +SKIP
    [PosixPath('belarus.db'), PosixPath('metadata.json')]
    """
    require("sqlite_utils", EXTRA, PURPOSE)
    base = checked_root(root, step)
    target = Path(out)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(target)
        tmp = temporary_beside(target)
    except OSError as err:
        raise CannotWrite(err.errno or errno.EIO, err.strerror or str(err), str(target)) from err
    tmp.unlink()  # sqlite-utils creates the file itself
    try:
        build(tmp, base, step)
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        os.replace(tmp, target)
    except OSError as err:  # a full or read-only disk: name the database, not its temporary file
        raise CannotWrite(err.errno or errno.EIO, err.strerror or str(err), str(target)) from err
    except sqlite3.OperationalError as err:  # SQLite's own words for the same faults
        code = SQLITE_ERRNO.get(getattr(err, "sqlite_errorcode", -1) & 0xFF)
        if code is None:
            raise
        raise CannotWrite(code, str(err), str(target)) from err
    finally:
        tmp.unlink(missing_ok=True)
    meta_path = Path(metadata) if metadata is not None else target.parent / "metadata.json"
    write_text(meta_path, json.dumps(datasette_metadata(target.stem), indent=2, ensure_ascii=False) + "\n")
    return [target, meta_path]
