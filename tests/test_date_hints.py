"""Each date rule's problem names the right row and field, the days it compared, and a hint naming what to change.

One dataset breaks every date rule at once (the fixture's records were created on 2026-11-20).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import line_of, set_cell

from belarus_data import validate
from belarus_data.problems import Problem


def _broken(root: Path) -> dict[tuple[str, int | None, str | None, str], Problem]:
    set_cell(root, "sources", 2, "published", "2026-12-05")
    set_cell(root, "sources", 2, "page_updated", "2026-12-06T10:00:00")
    set_cell(root, "sources", 2, "retrieved", "2026-11-25")
    set_cell(root, "events", 2, "event_status", "occurred")
    set_cell(root, "events", 2, "date_edtf", "2026-12-01/2026-12-05")
    for column in ("horizon", "resolution", "resolution_note"):
        set_cell(root, "claims", 4, column, "")
    set_cell(root, "claims", 4, "claim_type", "report")
    set_cell(root, "claims", 4, "time_edtf", "2026-12-02")
    report = validate(root)
    return {(p.file, p.line, p.field, p.code): p for p in report.problems}


def test_every_date_rule_names_its_days_and_what_to_change(root: Path) -> None:
    found = _broken(root)
    src, evt, clm = "records/sources.csv", "records/events.csv", "records/claims.csv"

    published = found[(src, 2, "published", "date-after-created")]
    assert "2026-12-05" in published.message and "2026-11-20" in published.message
    assert "published" in published.hint and "created" in published.hint

    stamp = found[(src, 2, "page_updated", "date-after-created")]
    assert "2026-12-06" in stamp.message and "2026-11-20" in stamp.message
    assert "page_updated" in stamp.hint

    retrieved = found[(src, 2, "retrieved", "date-after-created")]
    assert "2026-11-25" in retrieved.message and "2026-11-20" in retrieved.message
    assert "retrieved" in retrieved.hint

    event = found[(evt, 2, "date_edtf", "date-after-created")]
    assert "2026-12-01" in event.message and "2026-11-20" in event.message
    assert "event_status" in event.hint and "planned/proposed" in event.hint

    claim = found[(clm, 4, "time_edtf", "date-after-created")]
    assert "2026-12-02" in claim.message and "2026-11-20" in claim.message
    assert "time_edtf" in claim.hint and "prediction" in claim.hint

    early = found[(src, 2, "retrieved", "retrieved-before-published")]
    assert "2026-11-25" in early.message and "2026-12-05" in early.message
    assert "retrieved" in early.hint and "published" in early.hint


@pytest.mark.parametrize(
    ("name", "key", "column", "value"),
    [
        ("sources", "src-fixture-note", "published", "2016-13"),
        ("sources", "src-fixture-note", "retrieved", "2016-02-30"),
        ("sources", "src-fixture-note", "page_updated", "2016-02-30T10:00:00"),
        ("events", "evt-fx2q7k9m", "date_edtf", "mid-June"),
        ("claims", "clm-fx4d5e6f", "time_edtf", "2016-13"),
        ("claims", "clm-fx1a2b3c", "created", "yesterday"),
    ],
)
def test_an_unreadable_date_is_reported_once_at_its_field_and_no_rule_skips_it_silently(
    root: Path, name: str, key: str, column: str, value: str
) -> None:
    """Each date rule that skips the row names the same field as the cell check's problem (no check-skipped)."""
    line = line_of(root, name, key)
    set_cell(root, name, line, column, value)
    problems = validate(root).problems
    assert [p.code for p in problems if p.code in ("check-skipped", "internal-error")] == []
    assert any((p.file, p.line, p.field) == (f"records/{name}.csv", line, column) for p in problems), [
        p.as_text() for p in problems
    ]
