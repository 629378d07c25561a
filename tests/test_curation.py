"""Curation checks (docs/curation.md) on broken copies of the valid fixture."""

from __future__ import annotations

from pathlib import Path

from conftest import line_of, read_rows, set_cell
from test_validate import assert_problem

from belarus_data import validate
from belarus_data.checks.curation import sentence_span


def test_sentence_span_splits_on_full_stops_and_line_breaks() -> None:
    text = "First one. Second ’one’. Third?\n\nFourth"
    assert text[slice(*sentence_span(text, 0))] == "First one."
    assert text[slice(*sentence_span(text, 12))] == "Second ’one’."
    assert text[slice(*sentence_span(text, 35))] == "Fourth"


def test_quote_spanning_two_sentences(root: Path) -> None:
    text = (root / "records" / "texts" / "fixture-note.txt").read_text(encoding="utf-8")
    quote = "in mid-June. Ukrainian intelligence"
    start = text.index(quote)
    line = line_of(root, "claims", "clm-fx1a2b3c")
    for column, value in {
        "quote": quote,
        "start": str(start),
        "end": str(start + len(quote)),
        "prefix": "",
        "suffix": "",
    }.items():
        set_cell(root, "claims", line, column, value)
    assert_problem(root, "quote-spans-sentences", "records/claims.csv", line, "quote")


def test_statement_copying_the_quote(root: Path) -> None:
    line = line_of(root, "claims", "clm-fx4d5e6f")
    set_cell(root, "claims", line, "statement", "Russian aircraft used Belarusian airfields.")
    assert_problem(root, "statement-copies-quote", "records/claims.csv", line, "statement")


def test_dated_report_without_event(root: Path) -> None:
    line = line_of(root, "claims", "clm-fx1a2b3c")
    set_cell(root, "claims", line, "event_id", "")
    assert_problem(root, "report-without-event", "records/claims.csv", line, "event_id")
    # ... and the event it reported is now unsupported
    assert_problem(root, "event-unsupported", "records/events.csv", line_of(root, "events", "evt-fx2q7k9m"), "id")


def test_prediction_without_horizon_or_note(root: Path) -> None:
    line = line_of(root, "claims", "clm-fx7g8h9i")
    set_cell(root, "claims", line, "horizon", "")
    assert_problem(root, "prediction-horizon", "records/claims.csv", line, "horizon")
    set_cell(root, "claims", line, "notes", "The text names no time frame.")
    assert validate(root).ok


def test_attribution_must_match_asserting_actor(root: Path) -> None:
    line = line_of(root, "claims", "clm-fx4d5e6f")
    set_cell(root, "claims", line, "attribution", "author")
    report_codes = {(p.code, p.field) for p in validate(root).errors}
    assert ("attribution-mismatch", "asserted_by") in report_codes
    assert ("attribution-mismatch", "modality") in report_codes


def test_alias_unique_per_actor(root: Path) -> None:
    path = root / "records" / "actor_aliases.csv"
    rows = read_rows(path)
    path.write_text(path.read_text(encoding="utf-8") + ",".join(rows[1]) + "\n", encoding="utf-8")
    assert_problem(root, "duplicate-key", "records/actor_aliases.csv", len(rows) + 1, "alias")
