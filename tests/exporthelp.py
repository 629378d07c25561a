"""Helpers shared by the export tests: the datasets to export, and loaded rows as plain values.

``expected_rows`` converts the loaders' DataFrames cell by cell, independently
of the exporters' own vectorised conversion, so the round-trip tests compare
an export with the loaders rather than with itself.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import REPO, VALID

from belarus_data.loaders import load_table
from belarus_data.storage.derived import derived_columns
from belarus_data.storage.tables import table

# The fixture, and the real records once they exist.
DATASETS = [pytest.param(VALID, id="fixture"), pytest.param(REPO, id="real-data")]


def plain(kind: str, value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    if kind == "date":
        assert isinstance(value, (pd.Timestamp, dt.date)), value
        return value.date().isoformat() if isinstance(value, pd.Timestamp) else value.isoformat()
    if kind == "integer":
        return int(value)
    if kind == "boolean":
        return bool(value)
    return str(value)


def export_columns(name: str) -> list[str]:
    """The columns every export has: the CSV's, then the derived date bounds (as the loaders give them)."""
    return [*table(name).columns, *(c.name for c in derived_columns(table(name)))]


def expected_rows(name: str, root: Path) -> list[dict[str, Any]]:
    """The rows ``load_table(name, root, include_withdrawn=True)`` gives, as dicts of plain JSON values.

    The CSV's columns in order, then the derived date-bound columns (dates).
    """
    spec = table(name)
    frame = load_table(name, root, include_withdrawn=True)  # exports keep every record
    kinds = {c: spec.rules[c].kind if c in spec.rules else "date" for c in export_columns(name)}
    rows = []
    for record in frame.astype(object).to_dict("records"):
        rows.append({c: plain(kind, record[c]) for c, kind in kinds.items()})
    return rows
