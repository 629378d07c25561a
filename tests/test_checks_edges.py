"""Dates against sources, curation rules and the fast engine's flags, at their edges.

Each test names the exact problems (code, file, line, field) and no others; the flag tests hold the
fast engine to flagging no row of a valid dataset (so that a flag cannot silently grow to every row,
which would only cost time) and to flagging exactly the broken row of a table.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pytest
from conftest import REPO, VALID, copy_row, read_rows, set_cell, write_rows

from belarus_data import validate
from belarus_data.checks import cells
from belarus_data.problems import Problem
from belarus_data.storage.csvfile import read_table
from belarus_data.storage.tables import TABLES, table

CLAIMS, EVENTS, SOURCES = "records/claims.csv", "records/events.csv", "records/sources.csv"
Located = tuple[str, str, int | None, str | None]


def located(root: Path, engine: str = "fast") -> list[Located]:
    return sorted((p.code, p.file, p.line, p.field) for p in errors(root, engine))


def errors(root: Path, engine: str = "fast") -> list[Problem]:
    return validate(root, engine=engine).errors  # type: ignore[arg-type]


def only(root: Path, code: str, file: str, line: int | None, field: str | None) -> Problem:
    found = errors(root)
    assert [(p.code, p.file, p.line, p.field) for p in found] == [(code, file, line, field)], [
        p.as_text() for p in found
    ]
    # Every problem says what is wrong and what would be right.
    assert found[0].message.strip() and found[0].hint.strip()
    return found[0]


def cells_of(root: Path, name: str, line: int, **values: str) -> None:
    # A date these tests set is not resolved from the fixture's "in mid-June": the phrase and its anchor
    # go too, so only the rule under test speaks (phrase-out-of-range has its own tests).
    dated = {"time_edtf": ("time_phrase", "time_anchor"), "date_edtf": ("date_phrase", "date_anchor")}
    for column in [c for key in values if key in dated for c in dated[key]]:
        values.setdefault(column, "")
    for column, value in values.items():
        set_cell(root, name, line, column, value)


def add_source(root: Path, source_id: str, published: str) -> None:
    """A copy of the fixture's source under another ID and publication date (same text)."""
    copy_row(root, "sources", 2, id=source_id, url=f"https://example.org/{source_id}", published=published)


def add_claim_copy(root: Path, claim_id: str, line: int, **values: str) -> int:
    """A copy of the claim at ``line`` under another ID, with ``values`` changed; its line."""
    return copy_row(root, "claims", line, **({"id": claim_id} | values))


# --- dates against their sources (the fixture's source is published 2022-08-~10: at latest 2022-08-11) ---


def test_a_report_dated_on_the_last_possible_publication_day_is_valid(root: Path) -> None:
    cells_of(root, "claims", 2, time_edtf="2022-08-11")
    cells_of(root, "events", 2, date_edtf="2022-08-11")
    assert located(root) == []


def test_a_report_dated_the_day_after_is_reported(root: Path) -> None:
    cells_of(root, "claims", 2, time_edtf="2022-08-12")
    problem = only(root, "date-after-source", CLAIMS, 2, "time_edtf")
    assert "'2022-08-12'" in problem.message and "2022-08-~10" in problem.message


def test_a_prediction_may_be_dated_after_its_source(root: Path) -> None:
    cells_of(root, "claims", 4, time_edtf="2023")
    assert located(root) == []


def test_an_open_start_is_never_after_the_source(root: Path) -> None:
    cells_of(root, "claims", 2, time_edtf="../2022-09")
    cells_of(root, "events", 2, date_edtf="../2022-09")
    assert located(root) == []


def test_a_past_event_dated_after_its_source_is_reported_once(root: Path) -> None:
    # Two claims of the same source link the event: one problem, at the event.
    cells_of(root, "claims", 3, event_id="evt-fx2q7k9m")
    cells_of(root, "events", 2, date_edtf="2022-08-12")
    problem = only(root, "date-after-source", EVENTS, 2, "date_edtf")
    assert "src-fixture-note" in problem.message and "'2022-08-12'" in problem.message
    assert "occurred" in problem.message


@pytest.mark.parametrize("status", ["planned", "proposed"])
def test_a_future_event_may_be_dated_after_its_source(root: Path, status: str) -> None:
    cells_of(root, "events", 2, date_edtf="2022-09", event_status=status)
    assert located(root) == []


@pytest.mark.parametrize("status", ["reported", "alleged", "denied"])
def test_every_past_status_is_checked(root: Path, status: str) -> None:
    cells_of(root, "events", 2, date_edtf="2022-09", event_status=status)
    only(root, "date-after-source", EVENTS, 2, "date_edtf")


def test_an_event_is_checked_against_each_source_that_reports_it(root: Path) -> None:
    # The second source is published in July: the event in late July is after it, not after the first.
    add_source(root, "src-fixture-july", "2022-07-01")
    add_claim_copy(root, "clm-july-copy", 2, source_id="src-fixture-july", time_edtf="2022-06-11/2022-06-20")
    cells_of(root, "events", 2, date_edtf="2022-07-15")
    found = errors(root)
    dated = [p for p in found if p.code == "date-after-source"]
    assert [(p.file, p.line, p.field) for p in dated] == [(EVENTS, 2, "date_edtf")]
    assert "src-fixture-july" in dated[0].message and "src-fixture-note" not in dated[0].message
    assert "2022-07-01" in dated[0].message


def test_a_report_of_a_later_source_is_judged_by_its_own_source(root: Path) -> None:
    add_source(root, "src-fixture-july", "2022-07-01")
    line = add_claim_copy(root, "clm-july-copy", 2, source_id="src-fixture-july", time_edtf="2022-07-02")
    found = [p for p in errors(root) if p.code == "date-after-source"]
    assert [(p.file, p.line, p.field) for p in found] == [(CLAIMS, line, "time_edtf")]


# --- curation -----------------------------------------------------------------------------------------


def test_a_retracted_report_without_an_event_is_not_asked_for_one(root: Path) -> None:
    cells_of(root, "claims", 2, event_id="")
    found = located(root)
    assert ("report-without-event", CLAIMS, 2, "event_id") in found
    cells_of(root, "claims", 2, record_status="retracted", status_reason="Withdrawn.")
    assert ("report-without-event", CLAIMS, 2, "event_id") not in located(root)


def test_an_undated_report_needs_no_event(root: Path) -> None:
    cells_of(root, "claims", 2, event_id="", time_edtf="", time_phrase="", time_anchor="")
    assert ("report-without-event", CLAIMS, 2, "event_id") not in located(root)


def test_an_event_whose_only_claim_is_retracted_is_unsupported(root: Path) -> None:
    cells_of(root, "claims", 2, record_status="retracted", status_reason="Withdrawn.")
    problem = only(root, "event-unsupported", EVENTS, 2, "id")
    assert problem.hint


def test_a_retracted_event_needs_no_support(root: Path) -> None:
    cells_of(root, "claims", 2, record_status="retracted", status_reason="Withdrawn.")
    cells_of(root, "events", 2, record_status="retracted", status_reason="Withdrawn.")
    path = root / "records" / "event_participants.csv"
    rows = read_rows(path)
    for row in rows[1:]:
        row[rows[0].index("record_status")] = "retracted"
        row[rows[0].index("status_reason")] = "Withdrawn."
    write_rows(path, rows)
    assert located(root) == []


def test_an_event_supported_by_a_second_active_claim_is_supported(root: Path) -> None:
    cells_of(root, "claims", 3, event_id="evt-fx2q7k9m")
    cells_of(root, "claims", 2, record_status="retracted", status_reason="Withdrawn.")
    assert located(root) == []


def test_a_prediction_without_horizon_or_notes(root: Path) -> None:
    cells_of(root, "claims", 4, horizon="", resolution="open")
    found = located(root)
    assert ("prediction-horizon", CLAIMS, 4, "horizon") in found
    cells_of(root, "claims", 4, notes="The text gives no horizon.")
    assert ("prediction-horizon", CLAIMS, 4, "horizon") not in located(root)


def test_a_predicted_modality_needs_a_horizon_too(root: Path) -> None:
    cells_of(root, "claims", 2, modality="predicted")
    found = located(root)
    assert ("prediction-horizon", CLAIMS, 2, "horizon") in found
    cells_of(root, "claims", 2, notes="No date given.")
    assert ("prediction-horizon", CLAIMS, 2, "horizon") not in located(root)


def test_a_cited_claim_asserted_by_the_outlet_itself(root: Path) -> None:
    cells_of(root, "claims", 3, asserted_by="act-fixture-weekly")
    problem = only(root, "attribution-mismatch", CLAIMS, 3, "asserted_by")
    assert problem.hint


def test_an_author_claim_asserted_by_another_actor_names_the_outlet(root: Path) -> None:
    cells_of(root, "claims", 2, asserted_by="act-rus")
    problem = only(root, "attribution-mismatch", CLAIMS, 2, "asserted_by")
    assert "act-fixture-weekly" in problem.message and "act-fixture-weekly" in problem.hint


def test_an_author_claim_of_a_source_without_an_outlet_actor_is_not_judged(root: Path) -> None:
    cells_of(root, "sources", 2, outlet_actor_id="")
    cells_of(root, "claims", 2, asserted_by="act-rus")
    assert [f for f in located(root) if f[0] == "attribution-mismatch"] == []


def test_a_reported_modality_with_author_attribution(root: Path) -> None:
    cells_of(root, "claims", 2, modality="reported")
    only(root, "attribution-mismatch", CLAIMS, 2, "modality")


def test_an_unnamed_claim_asserted_by_the_outlet(root: Path) -> None:
    cells_of(root, "claims", 3, attribution="unnamed", asserted_by="act-fixture-weekly")
    only(root, "attribution-mismatch", CLAIMS, 3, "asserted_by")


def test_a_statement_that_is_its_quote_in_other_case(root: Path) -> None:
    quote = read_rows(root / "records" / "claims.csv")[2][7]
    cells_of(root, "claims", 3, statement=quote.upper() + "!")
    only(root, "statement-copies-quote", CLAIMS, 3, "statement")


def test_a_statement_copying_a_run_of_its_quote(root: Path) -> None:
    cells_of(root, "claims", 2, statement="Joint air exercise with Russia")
    only(root, "statement-copies-quote", CLAIMS, 2, "statement")
    cells_of(root, "claims", 2, statement="Joint air drill with Russia")
    assert located(root) == []


def test_a_quote_over_two_sentences_is_reported_only_when_verified(root: Path) -> None:
    text = (root / "records" / "texts" / "fixture-note.txt").read_text(encoding="utf-8")
    quote = "in mid-June. Ukrainian intelligence"
    start = text.index(quote)
    cells_of(root, "claims", 2, quote=quote, start=str(start), end=str(start + len(quote)), suffix="", prefix="")
    only(root, "quote-spans-sentences", CLAIMS, 2, "quote")
    cells_of(root, "claims", 2, start=str(start + 1), end=str(start + 1 + len(quote)))
    only(root, "quote-mismatch", CLAIMS, 2, "quote")


# --- the fast engine's flags --------------------------------------------------------------------------


def _parsed(root: Path, name: str) -> pa.Table:
    t = table(name)
    problems: list[Problem] = []
    parsed = read_table(root / t.path, t.path, list(t.columns), problems)
    assert parsed is not None and problems == [], problems
    return parsed.data


@pytest.mark.parametrize("dataset", [VALID, REPO], ids=["fixture", "dataset"])
def test_no_row_of_a_valid_dataset_is_flagged(dataset: Path) -> None:
    for t in TABLES:
        flags = cells.flag_rows(t, _parsed(dataset, t.name))
        assert not flags.any(), (t.name, flags.nonzero())


BROKEN_ROWS = [
    ("actors", 2, "updated", "2026-11-19"),  # before created
    ("actors", 2, "updated", "2026-11-21"),  # version 1, updated != created
    ("actors", 2, "status_reason", "Why."),  # active with a reason
    ("actors", 2, "record_status", "retracted"),  # withdrawn without one
    ("actors", 2, "superseded_by", "act-rus"),  # superseded_by without superseded
    ("actors", 2, "parent_id", "act-blr"),  # its own parent
    ("actors", 2, "version", "01"),
    ("actors", 2, "version", "0"),
    ("actors", 2, "wikidata", "Q0x"),
    ("actors", 2, "country", "XXX"),
    ("actors", 2, "name", "="),
    ("actors", 2, "name", ""),
    ("sources", 2, "published_basis", ""),  # published without its basis
    ("sources", 2, "text_length", "-1"),
    ("claims", 2, "end", "56"),  # end - start is not the quote's length
    ("claims", 2, "end", "0"),  # end <= start
    ("claims", 2, "start", "x"),
    ("claims", 2, "quote", ""),
    ("claims", 2, "time_anchor", ""),  # a time phrase without its anchor
    ("claims", 2, "horizon", "2023"),  # a horizon on a report
    ("claims", 4, "resolution", ""),  # a prediction without resolution
    ("claims", 4, "resolution", "came_true"),  # resolved without a note
    ("claims", 4, "resolution", "did_not"),
    ("claims", 4, "resolution", "partly"),
    ("claims", 4, "resolution", "indeterminate"),  # a checked prediction needs a note, settled or not
    ("sources", 2, "language", ""),  # required, and a language code
    ("sources", 2, "language", "xx-not"),
    ("claims", 2, "tags", "air-force;;exercise"),
    ("claims", 2, "tags", "air-force;"),
    ("claims", 2, "id", "clm-"),
    ("claims", 2, "id", "clm-fx1a2b3c-"),
    ("claims", 2, "id", "xlm-fx1a2b3c"),
    ("claims", 2, "claim_type", "Report"),
    ("events", 2, "date_anchor", ""),  # a date phrase without its anchor
    ("events", 2, "country", ""),  # geo precision without a place
    ("events", 2, "date_edtf", "2022-13"),
    ("events", 2, "cameo_code", "06x"),
]


@pytest.mark.parametrize(("name", "line", "column", "value"), BROKEN_ROWS)
def test_a_broken_row_is_the_only_one_flagged(root: Path, name: str, line: int, column: str, value: str) -> None:
    set_cell(root, name, line, column, value)
    flags = cells.flag_rows(table(name), _parsed(root, name))
    assert flags.nonzero()[0].tolist() == [line - 2]


@pytest.mark.parametrize(("name", "line", "column", "value"), BROKEN_ROWS)
def test_a_broken_row_is_reported_alike_by_both_engines(
    root: Path, name: str, line: int, column: str, value: str
) -> None:
    set_cell(root, name, line, column, value)
    fast = located(root, "fast")
    assert any(f[2] == line and f[1] == f"records/{name}.csv" for f in fast), fast
    assert fast == located(root, "rows")


def test_a_source_text_hash_in_upper_case_is_a_cell_problem(root: Path) -> None:
    digest = hashlib.sha256((root / "records" / "texts" / "fixture-note.txt").read_bytes()).hexdigest()
    set_cell(root, "sources", 2, "text_sha256", digest.upper())
    found = located(root)
    assert found and all(f[1] == SOURCES and f[2] == 2 for f in found)
    assert located(root, "rows") == found


# --- the byte screen of large free-text columns, one window at a time ----------------------------------


def _large_column(bad: str | None, filler: str = "Кірылічны тэкст") -> pa.ChunkedArray:
    """More rows than LARGE_ROWS of one clean script; row 7 holds ``bad`` in the middle, if given."""
    values = [filler] * (cells.LARGE_ROWS + 1)
    if bad is not None:
        values[7] = filler[:4] + bad + filler[4:]
    return pa.chunked_array([pa.array(values, pa.string())])


@pytest.mark.parametrize("filler", ["Кірылічны тэкст", "Latin text only", "Ёлка і ў"])
def test_a_clean_large_column_is_not_flagged(filler: str) -> None:
    assert not cells._free_text_flags(_large_column(None, filler)).any()


@pytest.mark.parametrize(
    "bad",
    [
        "\x7f",  # DEL: the one byte above 0x7E that is positive as int8
        "\x85",  # a C1 control (lead byte C2)
        "\x80",  # another C1 control (lead byte C2)
        "\u0483",  # a combining Cyrillic mark (lead byte D2)
        "\u0301",  # a combining accent (lead byte CC)
        "\u200b",  # zero width space (three bytes)
        "\x07",  # a control below 0x20
    ],
)
@pytest.mark.parametrize("filler", ["Кірылічны тэкст", "Latin text only"])
def test_the_byte_screen_flags_the_one_bad_row_of_a_clean_window(bad: str, filler: str) -> None:
    flags = cells._free_text_flags(_large_column(bad, filler))
    assert flags.nonzero()[0].tolist() == [7]


def test_every_problem_of_a_broken_row_names_its_field_and_says_what_is_wrong(root: Path) -> None:
    set_cell(root, "actors", 2, "version", "01")
    set_cell(root, "claims", 3, "claim_type", "Report")
    for engine in ("fast", "rows"):
        found = errors(root, engine)
        assert sorted((p.code, p.file, p.line, p.field) for p in found) == [
            ("not-integer", "records/actors.csv", 2, "version"),
            ("vocab", "records/claims.csv", 3, "claim_type"),
        ]
        assert all(p.message and p.hint for p in found)
        assert "'report'" in next(p.hint for p in found if p.code == "vocab")


def test_a_record_superseding_itself_is_flagged_alone(root: Path) -> None:
    for column, value in (("record_status", "superseded"), ("status_reason", "Merged."), ("superseded_by", "act-rus")):
        set_cell(root, "actors", 6, column, value)
    flags = cells.flag_rows(table("actors"), _parsed(root, "actors"))
    assert flags.nonzero()[0].tolist() == [4]


def test_the_flags_of_a_large_table_keep_every_column_s_findings() -> None:
    # Above LARGE_ROWS the columns are flagged on threads; each column's flags must add to the others.
    data = _parsed(VALID, "actors")
    copies = cells.LARGE_ROWS // data.num_rows + 1
    big = pa.concat_tables([data] * copies)
    rows = {"name": 3, "updated": 5, "wikidata": 11}  # an early column, a late one, and the row rules
    bad = {"name": "=1", "updated": "2026-11-19", "wikidata": "Q0x"}
    for column, row in rows.items():
        values = big.column(column).to_pylist()
        values[row] = bad[column]
        big = big.set_column(big.column_names.index(column), column, pa.array(values, pa.string()))
    flags = cells.flag_rows(table("actors"), big)
    assert flags.nonzero()[0].tolist() == sorted(rows.values())


def test_a_statement_copying_the_start_of_its_quote_in_a_later_row(root: Path) -> None:
    # The copy begins where the row's quote begins: right after the previous row's quote in the buffer.
    cells_of(root, "claims", 3, statement="Russian aircraft used Belarusian")
    only(root, "statement-copies-quote", CLAIMS, 3, "statement")


def test_a_prediction_by_type_alone_needs_a_horizon(root: Path) -> None:
    cells_of(root, "claims", 4, modality="possible", horizon="", resolution="open")
    problem = next(p for p in errors(root) if p.code == "prediction-horizon")
    assert (problem.file, problem.line, problem.field) == (CLAIMS, 4, "horizon")
    assert problem.hint.strip()
