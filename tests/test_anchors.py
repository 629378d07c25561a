"""Time anchors, relative phrases and the order of contexts (checks/anchors.py, dates/phrases.py).

The fixture's source is published ``2022-08-~10`` (strictly 2022-08-10); its claim at line 2 and its
event at line 2 say "in mid-June", resolved as 2022-06-11/2022-06-20 against that anchor.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import copy_row, read_rows, set_cell

from belarus_data import validate
from belarus_data.dates import phrases
from belarus_data.models.lists import canonical_list
from belarus_data.problems import Problem
from belarus_data.storage.formatting import format_dataset

CLAIMS, EVENTS = "records/claims.csv", "records/events.csv"
d = dt.date


def located(root: Path) -> list[tuple[str, str, int | None, str | None]]:
    return sorted((p.code, p.file, p.line, p.field) for p in errors(root))


def errors(root: Path) -> list[Problem]:
    return validate(root, base=None).errors


# --- the phrase table -------------------------------------------------------------------------------

WINDOW = (d(2016, 6, 21), d(2016, 7, 3))  # Tuesday 21 June to Sunday 3 July 2016


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Now", ((d(2016, 6, 21), d(2016, 7, 3)),)),
        ("Last week", ((d(2016, 6, 13), d(2016, 6, 26)),)),
        ("this week", ((d(2016, 6, 20), d(2016, 7, 3)),)),
        ("next week", ((d(2016, 6, 27), d(2016, 7, 10)),)),
        ("Earlier this month", ((d(2016, 6, 1), d(2016, 7, 2)),)),
        ("later this month", ((d(2016, 6, 22), d(2016, 7, 31)),)),
        ("last month", ((d(2016, 5, 1), d(2016, 6, 30)),)),
        ("this year", ((d(2016, 1, 1), d(2016, 12, 31)),)),
        ("next year", ((d(2017, 1, 1), d(2017, 12, 31)),)),
        ("in August-September this year", ((d(2016, 8, 1), d(2016, 9, 30)),)),
        ("early June 2015", ((d(2015, 6, 1), d(2015, 6, 10)),)),
        ("late February this year", ((d(2016, 2, 21), d(2016, 2, 29)),)),  # a leap year
    ],
)
def test_each_phrase_allows_its_interval(phrase: str, expected: tuple[phrases.Interval, ...]) -> None:
    assert phrases.allowed(phrase, *WINDOW) == expected


def test_a_month_without_a_year_may_be_last_this_or_next_year() -> None:
    assert phrases.allowed("In mid-June", *WINDOW) == (
        (d(2015, 6, 11), d(2015, 6, 20)),
        (d(2016, 6, 11), d(2016, 6, 20)),
        (d(2017, 6, 11), d(2017, 6, 20)),
    )


@pytest.mark.parametrize(
    "phrase", ["recently", "в июне", "in the summer", "on Tuesday", "mid-June-July", "December-January", ""]
)
def test_a_phrase_outside_the_table_is_not_judged(phrase: str) -> None:
    assert phrases.allowed(phrase, *WINDOW) is None


def test_an_open_anchor_leaves_that_side_open() -> None:
    assert phrases.allowed("last week", None, d(2016, 7, 3)) == ((None, d(2016, 6, 26)),)
    assert phrases.allowed("mid-June", d(2016, 6, 21), None) == ((None, None),)


def test_the_edges_of_the_calendar_do_not_raise() -> None:
    assert phrases.allowed("next week", d(9999, 12, 30), d(9999, 12, 31)) == ((None, None),)
    assert phrases.allowed("last month", d(1, 1, 1), d(1, 1, 5)) == ((None, None),)  # no month before year 1


def test_within_judges_known_ends_only() -> None:
    allowed = ((d(2016, 6, 1), d(2016, 7, 2)),)
    assert phrases.within((None, d(2016, 7, 2)), allowed)
    assert not phrases.within((None, d(2016, 7, 3)), allowed)
    assert not phrases.within((d(2016, 5, 31), d(2016, 6, 5)), allowed)


DAILY = ["now", "last week", "next month", "this year", "earlier this year", "later this month"]
# Named months (and phrases not in the table, which allow nothing whatever the anchor): by the anchor's years.
YEARLY = [
    "mid-June",
    "in January",
    "late February",
    "August-September this year",
    "early June 2015",
    "December-January",
    "recently",
    "в июне",
]
ANCHORS = [
    (d(2016, 6, 21), d(2016, 7, 3)),
    (d(2015, 12, 20), d(2016, 1, 10)),  # across a year's end
    (d(2016, 2, 29), d(2016, 2, 29)),
    (None, d(2016, 7, 3)),
    (d(2016, 6, 21), None),
    (None, None),
]


@pytest.mark.parametrize("phrase", DAILY + YEARLY)
def test_a_phrase_resolved_by_years_allows_what_it_allows_by_days(phrase: str) -> None:
    """The phrase rule resolves a named month once per (phrase, years): the same as per anchor day."""
    assert phrases.by_year(phrase) == (phrase in YEARLY)
    for earliest, latest in ANCHORS:
        if phrases.by_year(phrase):
            years = (earliest.year if earliest else None, latest.year if latest else None)
            assert phrases.in_years(phrase, *years) == phrases.allowed(phrase, earliest, latest), (earliest, latest)


def test_the_phrase_rule_judges_a_named_month_anchored_across_years(root: Path) -> None:
    """An anchor whose earliest and latest day fall in two years allows the month in each (and next to them)."""
    line = 2
    set_cell(root, "claims", line, "time_phrase", "in January")
    set_cell(root, "claims", line, "time_anchor", "2015-12-20/2016-01-10")
    set_cell(root, "claims", line, "time_edtf", "2018-01")
    assert any(p.code == "phrase-out-of-range" and p.line == line for p in errors(root))
    set_cell(root, "claims", line, "time_edtf", "2016-01")
    assert not any(p.code == "phrase-out-of-range" and p.line == line for p in errors(root))


# --- anchor-not-published ---------------------------------------------------------------------------


def test_the_fixture_is_valid(root: Path) -> None:
    assert located(root) == []


def test_a_claim_anchor_other_than_published_is_reported(root: Path) -> None:
    set_cell(root, "claims", 2, "time_anchor", "2022-08")
    found = [p for p in errors(root) if p.code == "anchor-not-published"]
    assert [(p.file, p.line, p.field) for p in found] == [(CLAIMS, 2, "time_anchor")]
    assert "2022-08-~10" in found[0].message and "anchor:" in found[0].hint


def test_notes_naming_another_anchor_exempt_it(root: Path) -> None:
    set_cell(root, "claims", 2, "time_anchor", "2022-08")
    set_cell(root, "claims", 2, "notes", "Resolved against the report. anchor: the month of the report")
    assert "anchor-not-published" not in {p.code for p in errors(root)}


@pytest.mark.parametrize("notes", ["anchor:", "anchor:   ", "re-anchor: x", "Anchor: the report"])
def test_the_notes_marker_is_exact(root: Path, notes: str) -> None:
    set_cell(root, "claims", 2, "time_anchor", "2022-08")
    set_cell(root, "claims", 2, "notes", notes)
    assert "anchor-not-published" in {p.code for p in errors(root)}


def test_an_event_anchor_must_be_a_reporting_source_s_published(root: Path) -> None:
    set_cell(root, "events", 2, "date_anchor", "2022-08-10")
    found = [p for p in errors(root) if p.code == "anchor-not-published"]
    assert [(p.file, p.line, p.field) for p in found] == [(EVENTS, 2, "date_anchor")]


def test_a_retracted_claim_is_not_judged(root: Path) -> None:
    set_cell(root, "claims", 2, "time_anchor", "2022-08")
    set_cell(root, "claims", 2, "time_edtf", "2022-01")
    line = copy_row(root, "claims", 2, id="clm-fxcopy01")  # keeps the event supported
    set_cell(root, "claims", 2, "record_status", "retracted")
    set_cell(root, "claims", 2, "status_reason", "Wrong.")
    set_cell(root, "claims", line, "time_anchor", "2022-08-~10")
    set_cell(root, "claims", line, "time_edtf", "2022-06-11/2022-06-20")
    codes = {p.code for p in errors(root)}
    assert not codes & {"anchor-not-published", "phrase-out-of-range"}, codes


# --- phrase-out-of-range ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2022-06-10/2022-06-20", "2022-06", "2022-06-~21", "2019-06-15", "../2022-06-21"])
def test_a_date_outside_the_phrase_is_reported(root: Path, value: str) -> None:
    set_cell(root, "claims", 2, "time_edtf", value)
    found = [p for p in errors(root) if p.code == "phrase-out-of-range"]
    assert [(p.file, p.line, p.field) for p in found] == [(CLAIMS, 2, "time_edtf")]
    assert "2022-06-11/2022-06-20" in found[0].message


@pytest.mark.parametrize(
    "value", ["2022-06-15", "2022?-06-~15", "2021-06-11/2021-06-20", "../2022-06-20", "2022-06-11/.."]
)
def test_a_date_inside_the_phrase_is_accepted(root: Path, value: str) -> None:
    set_cell(root, "claims", 2, "time_edtf", value)
    assert "phrase-out-of-range" not in {p.code for p in errors(root)}


def test_an_event_date_outside_its_phrase_is_reported(root: Path) -> None:
    set_cell(root, "events", 2, "date_phrase", "last week")
    found = [p for p in errors(root) if p.code == "phrase-out-of-range"]
    # The anchor is 2022-08-10, a Wednesday: the week before runs 1-7 August.
    assert [(p.file, p.line, p.field) for p in found] == [(EVENTS, 2, "date_edtf")]
    assert "2022-08-01/2022-08-07" in found[0].message


def test_a_phrase_outside_the_table_is_left_alone(root: Path) -> None:
    set_cell(root, "claims", 2, "time_phrase", "в середине июня")
    set_cell(root, "claims", 2, "time_edtf", "2019")
    assert "phrase-out-of-range" not in {p.code for p in errors(root)}


def test_an_unreadable_anchor_is_reported_once_and_not_skipped_silently(root: Path) -> None:
    set_cell(root, "claims", 2, "time_anchor", "mid-2022")
    codes = [p.code for p in errors(root) if p.line == 2 and p.file == CLAIMS]
    assert "check-skipped" not in codes and "phrase-out-of-range" not in codes
    assert codes  # the cell rule names the unreadable value


# --- context-order and fmt --------------------------------------------------------------------------


def test_contexts_out_of_order_are_reported_and_fmt_sorts_them(root: Path) -> None:
    set_cell(root, "events", 2, "context", "military;intelligence")
    found = [p for p in errors(root) if p.code == "context-order"]
    assert [(p.file, p.line, p.field) for p in found] == [(EVENTS, 2, "context")]
    assert "'intelligence;military'" in found[0].hint
    format_dataset(root)
    assert read_rows(root / EVENTS)[1][3] == "intelligence;military"
    assert located(root) == []


def test_canonical_list_keeps_every_item() -> None:
    assert canonical_list("political;military;intelligence") == "intelligence;military;political"
    assert canonical_list("military") == "military"
    assert canonical_list("military;;intelligence") == "military;;intelligence"  # the cell rules report the gap


def test_an_empty_context_item_is_reported_once_not_as_out_of_order(root: Path) -> None:
    set_cell(root, "events", 2, "context", "military;")
    codes = [p.code for p in errors(root) if (p.file, p.line, p.field) == (EVENTS, 2, "context")]
    assert codes and "context-order" not in codes
