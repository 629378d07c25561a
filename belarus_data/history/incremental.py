"""Which rows a pull request can have broken: the scope of an incremental validation against a base.

The base (where the branch left ``main``) passed validation when it landed, so
a row that is byte-for-byte the same as at the base, in a dataset whose rules
and schema did not change, cannot have become invalid *on its own*. Checks of
one row (its cells, its quote against its text, its wording) therefore need
to run only on the rows that changed, and on the rows that lean on a changed
row:

* a claim whose source changed, or whose source's text file changed, is
  checked again (its quote, dates and attribution read the source);
* a source is checked (and its text read and hashed) if it changed, if its text
  file changed, or if a changed claim cites it.

Checks across whole tables (keys, references, withdrawn targets, event
support, event dates) always run on everything: they are cheap and a change
anywhere can break them. When the validator's own rules may differ from the
base's (``belarus_data/``, ``schema/``, ``datapackage.json`` or
``pyproject.toml`` changed), everything is checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from belarus_data.history.tablediff import TableChanges
from belarus_data.storage.csvfile import ParsedTable
from belarus_data.storage.snapshot import Snapshot

if TYPE_CHECKING:
    import numpy as np

# Paths (relative to the dataset root) whose change means the rules themselves may have changed.
RULE_PATHS = ("belarus_data", "schema", "datapackage.json", "pyproject.toml")


@dataclass
class Scope:
    """Row indices to check row by row, per table; or, with ``everything``, why all rows are checked."""

    rows: dict[str, np.ndarray]
    everything: str | None = None  # the reason, when the scope is the whole dataset

    def count(self) -> int:
        return sum(len(r) for r in self.rows.values())


def scope(base: Snapshot, tables: dict[str, ParsedTable], changes: dict[str, TableChanges]) -> Scope:
    """The rows of the working tree's ``tables`` to check row by row, given each table's ``changes`` since ``base``."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    paths = base.changed_paths()
    rules = sorted(p for p in paths if p.split("/", 1)[0] in RULE_PATHS)
    if rules:
        return Scope({}, f"the rules may have changed ({', '.join(rules[:3])}{', …' if len(rules) > 3 else ''})")
    rows: dict[str, np.ndarray] = {}
    for name, parsed in tables.items():
        change = changes.get(name)
        if change is None:  # no such table at the base: all of it is new
            rows[name] = np.arange(parsed.num_rows)
            continue
        rows[name] = np.unique(np.array(change.added + [p.index for p in change.differing], dtype=np.int64))
    if "sources" in tables and "claims" in tables:
        sources, claims = tables["sources"].data, tables["claims"].data
        texts = {p.removeprefix("records/") for p in paths if p.startswith("records/texts/")}
        retexted = np.flatnonzero(
            np.asarray(
                pc.fill_null(
                    pc.is_in(sources.column("text_path"), value_set=pa.array(sorted(texts), pa.string())), False
                )
            )
        )
        touched = np.union1d(rows["sources"], retexted)
        touched_ids = sources.column("id").take(pa.array(touched)).drop_null()
        leaning = np.flatnonzero(
            np.asarray(pc.fill_null(pc.is_in(claims.column("source_id"), value_set=touched_ids), False))
        )
        rows["claims"] = np.union1d(rows["claims"], leaning)
        cited = claims.column("source_id").take(pa.array(rows["claims"])).drop_null()
        citing = np.flatnonzero(np.asarray(pc.fill_null(pc.is_in(sources.column("id"), value_set=cited), False)))
        rows["sources"] = np.union1d(touched, citing)
    return Scope(rows)
