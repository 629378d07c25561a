"""The Parquet export read by DuckDB: claims joined to events and filtered by the derived date bounds.

This is the path the README gives for data that outgrows pandas, so it runs here
on the fixture and the real records, and its answer is checked against the
loaders (a different reader, computed row by row in Python).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from conftest import REPO
from exporthelp import DATASETS

from belarus_data.export.parquet import export_parquet
from belarus_data.loaders import load_table

QUERY = """
SELECT c.id AS claim, e.id AS event, e.date_edtf, e.date_lower, e.date_upper
FROM read_parquet($claims) AS c
JOIN read_parquet($events) AS e ON c.event_id = e.id
WHERE c.record_status = 'active' AND e.record_status = 'active'
  AND e.date_lower >= $since AND e.date_upper <= $until
ORDER BY e.date_lower, c.id
"""


def in_duckdb(out: Path, since: dt.date, until: dt.date) -> list[tuple[object, ...]]:
    params = {
        "claims": str(out / "claims.parquet"),
        "events": str(out / "events.parquet"),
        "since": since,
        "until": until,
    }
    return duckdb.connect().execute(QUERY, params).fetchall()


def in_pandas(root: Path, since: dt.date, until: dt.date) -> list[tuple[object, ...]]:
    claims = load_table("claims", root)  # active records by default
    events = load_table("events", root)
    found = []
    by_id = {e["id"]: e for e in events.to_dict("records")}
    for claim in claims.to_dict("records"):
        event = by_id.get(claim["event_id"])
        if event is None or event["date_lower"] is None or event["date_upper"] is None:
            continue
        lower, upper = event["date_lower"], event["date_upper"]
        if lower != lower or upper != upper:  # NaT: an open or unknown end is no bound
            continue
        if lower.date() >= since and upper.date() <= until:
            found.append((claim["id"], event["id"], event["date_edtf"], lower.date(), upper.date()))
    return sorted(found, key=lambda r: (r[3], r[0]))


@pytest.mark.parametrize("dataset", DATASETS)
def test_duckdb_joins_claims_to_events_filtered_by_date_bounds(dataset: Path, tmp_path: Path) -> None:
    export_parquet(tmp_path, dataset)
    everything = in_duckdb(tmp_path, dt.date(1900, 1, 1), dt.date(2100, 12, 31))
    assert everything == in_pandas(dataset, dt.date(1900, 1, 1), dt.date(2100, 12, 31))
    assert everything, "the dataset has claims of dated events"
    # A window holding only some of them: the bounds are real dates that DuckDB compares.
    first_upper = min(row[4] for row in everything)
    assert isinstance(first_upper, dt.date)
    window = in_duckdb(tmp_path, dt.date(1900, 1, 1), first_upper)
    assert window == in_pandas(dataset, dt.date(1900, 1, 1), first_upper)
    assert 0 < len(window) <= len(everything)
    assert all(row[4] <= first_upper for row in window)  # type: ignore[operator]


def test_withdrawn_rows_are_exported_and_record_status_selects_the_current(tmp_path: Path) -> None:
    # The real records hold retracted event participants: all are exported, the active ones are current.
    export_parquet(tmp_path, REPO)
    path = str(tmp_path / "event_participants.parquet")
    counts = dict(
        duckdb.connect()
        .execute("SELECT record_status, count(*) FROM read_parquet($p) GROUP BY ALL", {"p": path})
        .fetchall()
    )
    everything = load_table("event_participants", REPO, include_withdrawn=True)
    assert sum(counts.values()) == len(everything)
    assert counts["active"] == len(load_table("event_participants", REPO)) < len(everything)
