"""Counts that describe a dataset: rows per table, per status, per type; sources and date range."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from belarus_data.dates.edtf_columns import NO_DAY, column_bounds

if TYPE_CHECKING:
    import pyarrow as pa

# table -> vocabulary columns worth counting
COUNTED: dict[str, tuple[str, ...]] = {
    "sources": ("record_status",),
    "actors": ("record_status", "actor_type"),
    "actor_aliases": ("record_status",),
    "events": ("record_status", "event_type", "event_status"),
    "event_participants": ("record_status", "role"),
    "claims": ("record_status", "claim_type", "modality"),
}


def _counts(column: pa.ChunkedArray) -> dict[str, int]:
    import pyarrow.compute as pc

    # Counted with the empty cells, which are then left out: dropping them first copies the column.
    pairs = [p for p in pc.value_counts(column).to_pylist() if p["values"] is not None]
    return {str(p["values"]): int(p["counts"]) for p in sorted(pairs, key=lambda p: (-p["counts"], str(p["values"])))}


def summarise(tables: dict[str, pa.Table]) -> dict[str, Any]:
    """A JSON-ready summary of the given tables (string columns, as read from CSV)."""
    import pyarrow.compute as pc

    out: dict[str, Any] = {"tables": {}}
    for name, data in tables.items():
        entry: dict[str, Any] = {"rows": data.num_rows}
        for column in COUNTED.get(name, ()):
            entry[column] = _counts(data.column(column))
        out["tables"][name] = entry
    if "events" in tables:
        distinct = pc.unique(tables["events"].column("date_edtf")).drop_null()  # each date parsed once
        bounds = column_bounds(distinct)  # the widest bounds, as edtf.parse gives them
        earliest = bounds.fuzzy_earliest[bounds.fuzzy_earliest != NO_DAY]
        latest = bounds.fuzzy_latest[bounds.fuzzy_latest != NO_DAY]
        out["event_dates"] = {
            "earliest": dt.date.fromordinal(int(earliest.min())).isoformat() if len(earliest) else None,
            "latest": dt.date.fromordinal(int(latest.max())).isoformat() if len(latest) else None,
        }
    if "sources" in tables:
        out["sources"] = tables["sources"].select(["id", "title", "published"]).to_pylist()
    return out
