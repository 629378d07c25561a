"""The loaders: active records by default, every record on request, and the derived date columns.

Expected values are computed from the CSV files (and the ``edtf`` package through
``edtf_bounds``), so the tests hold whatever the shipped dates currently are.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import belarus_data
from belarus_data import DatasetError, edtf_bounds, load_table
from belarus_data.dates.bounds import acled_precision
from belarus_data.export.common import load_frames
from belarus_data.storage.derived import derived_columns, stem
from belarus_data.storage.tables import TABLES, table
from tests.conftest import REPO, copy_row, line_of, set_cell

LOADERS = {
    "sources": belarus_data.load_sources,
    "actors": belarus_data.load_actors,
    "actor_aliases": belarus_data.load_actor_aliases,
    "claims": belarus_data.load_claims,
    "events": belarus_data.load_events,
    "event_participants": belarus_data.load_event_participants,
}


def csv_rows(root: Path, name: str) -> list[dict[str, str]]:
    with (root / table(name).path).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def keys(spec_name: str, rows: list[dict[str, str]] | pd.DataFrame) -> list[tuple[str, ...]]:
    key = table(spec_name).primary_key
    if isinstance(rows, pd.DataFrame):
        return [tuple(str(v) for v in row) for row in rows[list(key)].itertuples(index=False)]
    return [tuple(row[k] for k in key) for row in rows]


def test_every_table_has_a_loader() -> None:
    assert set(LOADERS) == {t.name for t in TABLES}


@pytest.mark.parametrize("name", list(LOADERS))
def test_shipped_data_active_by_default_everything_on_request(name: str) -> None:
    rows = csv_rows(REPO, name)
    active = [r for r in rows if r["record_status"] == "active"]
    default = LOADERS[name](REPO)
    every = LOADERS[name](REPO, include_withdrawn=True)
    assert keys(name, default) == keys(name, active)
    assert keys(name, every) == keys(name, rows)
    assert list(default.index) == list(range(len(active)))  # a fresh index, not holes where rows were
    assert load_table(name, REPO).equals(default)
    models = LOADERS[name](REPO, as_models=True)
    assert len(models) == len(active) and all(m.record_status == "active" for m in models)
    assert len(LOADERS[name](REPO, as_models=True, include_withdrawn=True)) == len(rows)


def test_withdrawn_records_are_left_out_until_asked_for(root: Path) -> None:
    before = belarus_data.load_claims(root)
    withdrawn = str(before["id"].iloc[0])
    line = line_of(root, "claims", withdrawn)
    set_cell(root, "claims", line, "record_status", "retracted")
    set_cell(root, "claims", line, "status_reason", "Misread the source.")
    after = belarus_data.load_claims(root)
    assert withdrawn not in set(after["id"]) and len(after) == len(before) - 1
    every = belarus_data.load_claims(root, include_withdrawn=True)
    assert every.set_index("id").loc[withdrawn, "record_status"] == "retracted"
    assert len(every) == len(before)
    # the whole file is still checked: a broken withdrawn row fails the default load too
    set_cell(root, "claims", line, "claim_type", "nonsense")
    with pytest.raises(DatasetError) as raised:
        belarus_data.load_claims(root)
    assert raised.value.problems[0].line == line


def test_exports_read_every_record(root: Path) -> None:
    line = line_of(root, "actors", "act-blr")
    set_cell(root, "actors", line, "record_status", "retracted")
    set_cell(root, "actors", line, "status_reason", "Test: withdrawn.")
    frames = load_frames(root)
    assert "act-blr" in set(frames["actors"]["id"])
    assert "act-blr" not in set(belarus_data.load_actors(root)["id"])


@pytest.mark.parametrize("name", [t.name for t in TABLES if derived_columns(t)])
def test_bound_columns_are_datetimes_from_the_edtf_values(name: str) -> None:
    spec = table(name)
    rows = csv_rows(REPO, name)
    frame = load_table(name, REPO, include_withdrawn=True)
    assert list(frame.columns) == spec.columns + [c.name for c in derived_columns(spec)]
    for column in derived_columns(spec):
        assert str(frame[column.name].dtype) == "datetime64[s]"
        bound = column.name.removeprefix(stem(column.source) + "_")
        expected = [getattr(edtf_bounds(r[column.source] or None), bound) for r in rows]
        got = [None if pd.isna(v) else v.date() for v in frame[column.name]]
        assert got == expected, column.name


def test_time_precision_is_derived_where_empty() -> None:
    rows = csv_rows(REPO, "events")
    events = belarus_data.load_events(REPO, include_withdrawn=True)
    assert isinstance(events["time_precision"].dtype, pd.CategoricalDtype)
    for row, got in zip(rows, events["time_precision"], strict=True):
        given = row["time_precision"]
        derived = acled_precision(row["date_edtf"] or None)
        want = given or (str(derived) if derived is not None else None)
        assert (None if pd.isna(got) else got) == want
    # it is derived where the date allows: some event in the shipped data has a date with both ends
    assert any(acled_precision(r["date_edtf"] or None) for r in rows)


def test_given_time_precision_wins(root: Path) -> None:
    event = str(belarus_data.load_events(root)["id"].iloc[0])
    line = line_of(root, "events", event)
    set_cell(root, "events", line, "date_edtf", "2016-06-15")
    set_cell(root, "events", line, "time_precision", "")
    assert belarus_data.load_events(root).set_index("id").loc[event, "time_precision"] == "1"
    set_cell(root, "events", line, "time_precision", "2")
    assert belarus_data.load_events(root).set_index("id").loc[event, "time_precision"] == "2"
    # the stored CSV is never touched: the derived value lives in the DataFrame only
    assert csv_rows(root, "events")[line - 2]["time_precision"] == "2"


def test_sorting_by_date_lower_is_chronological(root: Path) -> None:
    first = str(belarus_data.load_events(root)["id"].iloc[0])
    set_cell(root, "events", line_of(root, "events", first), "date_edtf", "2016-06-15")
    second = "evt-s0rtm0nt"
    copy_row(root, "events", line_of(root, "events", first), id=second, date_edtf="2016-06~")
    events = belarus_data.load_events(root).set_index("id").loc[[first, second]]
    # as text the day sorts before its month ('-' < '~'); by date_lower the month starts first
    assert list(events.sort_values("date_edtf").index) == [first, second]
    assert list(events.sort_values("date_lower").index) == [second, first]
