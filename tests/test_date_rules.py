"""Date rules: EDTF ranges run forwards, nothing past is dated after its record was created,
and a text is not captured before it was published.

The rules compare strict bounds (as written), so these tests pin down what the
``edtf`` package itself accepts (reversed intervals are valid EDTF to it), what
qualifiers, seasons, sets and open or unknown ends do, and that equal ends pass.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import set_cell
from edtf import parse_edtf

from belarus_data import validate
from belarus_data.checks import dates as date_checks
from belarus_data.dates import edtf
from belarus_data.storage.tables import TABLES

D = dt.date

# value -> (start's earliest day, end's latest day) of its reversed range
REVERSED = {
    "2016-08/2016-06": (D(2016, 8, 1), D(2016, 6, 30)),
    "2016/2015-12": (D(2016, 1, 1), D(2015, 12, 31)),
    "2016-08-15/2016-08-14": (D(2016, 8, 15), D(2016, 8, 14)),
    # a qualifier does not widen the rule: the package's fuzzy bounds of these overlap
    "2016~/2015": (D(2016, 1, 1), D(2015, 12, 31)),
    "2016-08?/2016-06?": (D(2016, 8, 1), D(2016, 6, 30)),
    "2016?-08/2016-06": (D(2016, 8, 1), D(2016, 6, 30)),
    "2016-08-~15/2016-08-10": (D(2016, 8, 15), D(2016, 8, 10)),
    "%2016-06/2016-05": (D(2016, 6, 1), D(2016, 5, 31)),
    # seasons: autumn (September-November) before summer; June before spring
    "2016-23/2016-22": (D(2016, 9, 1), D(2016, 8, 31)),
    "2016-06/2016-21": (D(2016, 6, 1), D(2016, 5, 31)),
    # ranges inside sets, member by member
    "[2016..2014]": (D(2016, 1, 1), D(2014, 12, 31)),
    "{2010,2016..2014}": (D(2016, 1, 1), D(2014, 12, 31)),
    "[2019, 2016-08..2016-06]": (D(2016, 8, 1), D(2016, 6, 30)),
}

FORWARD = [
    "2016",
    "2016-06-15",
    "2016-21",  # a season
    "201X",
    "2016-XX-15",
    "2016-06/2016-06",  # equal ends
    "2016-06-15/2016-06-15",
    "2016/2016-06",  # the year may start in January
    "2016-06/2016-06-10",
    "2016-21/2016-06",
    "2016-06-21?/2016-08?",
    "2016?-06-~15",
    "../2016",  # open ends
    "2016/..",
    "../2016-08?",
    "2016/",  # unknown ends
    "/2016",
    "/2016-06?",
    "[2014..2016]",
    "{2016,2014}",
    "[2014, 2015..2016]",
    "[..2014]",  # open ranges in sets
    "[2016..]",
    "../..",
]

INVALID = [
    "nonsense",
    "2016-13",
    "2016-06-15T10:00:00/2016-06-15T09:00:00",
    "0100/-0100",
    "Y-17000",
    "",
    # whitespace, which the edtf package skips between tokens
    " 2016",
    "2016\n",
    "2016-06/\t",
    "2016-06 /..",
    "2016-06-15 T10:00:00",
    "[2019 ,2016]",
    "[2019,  2016]",
]


def test_the_edtf_package_skips_whitespace_but_parse_does_not() -> None:
    assert str(parse_edtf("2016-06/\t")) == "2016-06/"  # an unknown end, after the package's own guess
    assert edtf.parse("2016-06/\t") is None
    assert edtf.parse("[2019, 2016]") is not None  # a space after a set's comma is EDTF


@pytest.mark.parametrize("value", sorted(REVERSED))
def test_the_edtf_package_accepts_reversed_ranges_and_reversal_finds_them(value: str) -> None:
    parse_edtf(value)  # valid EDTF to the package: the rule is ours
    assert edtf.parse(value) is not None
    found = edtf.reversal(value)
    assert found is not None and (found.earliest, found.latest) == REVERSED[value]


@pytest.mark.parametrize("value", FORWARD)
def test_forward_open_unknown_and_single_values_are_not_reversed(value: str) -> None:
    assert edtf.parse(value) is not None
    assert edtf.reversal(value) is None


@pytest.mark.parametrize("value", INVALID)
def test_invalid_values_are_not_called_reversed(value: str) -> None:
    assert edtf.parse(value) is None  # reported as `edtf` instead
    assert edtf.reversal(value) is None


@pytest.mark.parametrize("value", [v for v in [*REVERSED, *FORWARD] if "/" in v and not v.startswith("/")])
def test_strict_bounds_are_the_packages_strict_bounds_except_unknown_ends(value: str) -> None:
    parsed = parse_edtf(value)
    library = (edtf.to_date(parsed.lower_strict()), edtf.to_date(parsed.upper_strict()))
    bounds = edtf.strict(value)
    assert bounds is not None
    expected = (library[0], None if value.endswith("/") else library[1])
    assert (bounds.earliest, bounds.latest) == expected


def test_unknown_ends_are_no_bound_not_the_packages_ten_year_guess() -> None:
    # The package says '2016/' ends on 2026-01-01 and '/2016' starts on 2006-12-31.
    assert edtf.stated("2016/") == edtf.DateBounds(D(2016, 1, 1), D(2026, 1, 1))
    assert edtf.strict("2016/") == edtf.DateBounds(D(2016, 1, 1), None)
    assert edtf.strict("/2016") == edtf.DateBounds(None, D(2016, 12, 31))
    assert edtf.strict("../2016") == edtf.DateBounds(None, D(2016, 12, 31))
    assert edtf.strict("2016-06?") == edtf.DateBounds(D(2016, 6, 1), D(2016, 6, 30))  # not widened
    assert edtf.strict("nonsense") is None


# --- through validate, both engines -----------------------------------------------------------


def _codes(root: Path) -> set[tuple[str, int | None, str | None, str]]:
    fast = {(p.file, p.line, p.field, p.code) for p in validate(root).problems}
    rows = {(p.file, p.line, p.field, p.code) for p in validate(root, engine="rows").problems}
    assert fast == rows
    return fast


# Every EDTF column, at a row of the fixture where a value is allowed.
EDTF_CELLS = [
    (t.name, column, 4 if column == "horizon" else 2) for t in TABLES for column in t.columns if t.rules[column].edtf
]


def test_every_edtf_column_is_listed() -> None:
    assert {(t, c) for t, c, _ in EDTF_CELLS} == {
        ("sources", "published"),
        ("sources", "page_updated"),
        ("claims", "time_edtf"),
        ("claims", "time_anchor"),
        ("claims", "horizon"),
        ("events", "date_edtf"),
        ("events", "date_anchor"),
    }


@pytest.mark.parametrize(("table", "column", "line"), EDTF_CELLS)
def test_a_reversed_range_is_reported_in_every_edtf_column(root: Path, table: str, column: str, line: int) -> None:
    set_cell(root, table, line, column, "2020-08/2020-06")
    assert (f"records/{table}.csv", line, column, "edtf-reversed") in _codes(root)
    problem = next(p for p in validate(root).problems if p.code == "edtf-reversed")
    assert problem.message == "'2020-08/2020-06' ends (2020-06-30) before it begins (2020-08-01)"
    assert problem.hint == "write the earlier end first: '2020-06/2020-08'"


def test_a_reversed_value_is_not_also_an_invalid_one(root: Path) -> None:
    set_cell(root, "events", 2, "date_edtf", "2022-06-20/2022-06-10")
    found = _codes(root)
    assert ("records/events.csv", 2, "date_edtf", "edtf-reversed") in found
    assert not any(code == "edtf" for *_, code in found)


# The fixture's source and event were created on 2026-11-20.
@pytest.mark.parametrize(
    ("value", "late"),
    [
        ("2026-11-20", False),  # the same day
        ("2026-11-21", False),  # a day later: the local date may run a day ahead of UTC's
        ("2026-11-22", True),
        ("2026-11-22?", True),  # a qualifier does not widen the rule
        ("2026-11~", False),  # begins on 2026-11-01
        ("2026-24", True),  # winter: December 2026
        ("2026-23", False),  # autumn: from September
        ("2026-11-15/2026-12-31", False),  # only the start counts
        ("../2030", False),  # open start
        ("/2030", False),  # unknown start (the package would guess 2020-12-31)
        ("2030/..", True),
        ("[2020, 2030]", False),  # one of a set: the earliest member may be meant
        ("{2027,2028}", True),
    ],
)
def test_published_after_created(root: Path, value: str, late: bool) -> None:
    set_cell(root, "sources", 2, "published", value)
    set_cell(root, "sources", 2, "retrieved", "2026-11-20")
    found = _codes(root)
    assert (("records/sources.csv", 2, "published", "date-after-created") in found) == late


@pytest.mark.parametrize(("retrieved", "late"), [("2026-11-20", False), ("2026-11-21", False), ("2026-11-22", True)])
def test_retrieved_after_created(root: Path, retrieved: str, late: bool) -> None:
    set_cell(root, "sources", 2, "retrieved", retrieved)
    found = _codes(root)
    assert (("records/sources.csv", 2, "retrieved", "date-after-created") in found) == late


def test_page_stamp_after_created(root: Path) -> None:
    set_cell(root, "sources", 2, "page_updated", "2026-12-01T10:00:00")
    assert ("records/sources.csv", 2, "page_updated", "date-after-created") in _codes(root)


# The fixture's source is published '2022-08-~10': strictly, from 2022-08-10.
@pytest.mark.parametrize(
    ("published", "retrieved", "early"),
    [
        ("2022-08-~10", "2022-08-10", False),  # the same day
        ("2022-08-~10", "2022-08-09", False),  # a day before: time zones
        ("2022-08-~10", "2022-08-08", True),
        ("2022-08-~10", "2022-08-01", True),  # '~' does not widen it
        ("2022-08?", "2022-07-30", True),
        ("../2022-09", "2022-01-01", False),  # open start
        ("/2022-09", "2022-01-01", False),  # unknown start
        ("2022-06-21?/2022-08?", "2022-06-21", False),
    ],
)
def test_retrieved_before_published(root: Path, published: str, retrieved: str, early: bool) -> None:
    set_cell(root, "sources", 2, "published", published)
    set_cell(root, "sources", 2, "retrieved", retrieved)
    found = _codes(root)
    assert (("records/sources.csv", 2, "retrieved", "retrieved-before-published") in found) == early


@pytest.mark.parametrize(
    ("status", "late"),
    [
        ("occurred", True),
        ("reported", True),
        ("alleged", True),
        ("denied", True),
        ("planned", False),
        ("proposed", False),
    ],
)
def test_an_event_that_happened_is_not_dated_after_it_was_recorded(root: Path, status: str, late: bool) -> None:
    assert set(date_checks.PAST_EVENT_STATUSES) | {"planned", "proposed"} == set(
        __import__("belarus_data.vocab", fromlist=["EVENT_STATUS"]).EVENT_STATUS
    )
    set_cell(root, "events", 2, "event_status", status)
    set_cell(root, "events", 2, "date_edtf", "2026-12-01/2026-12-05")
    found = _codes(root)
    assert (("records/events.csv", 2, "date_edtf", "date-after-created") in found) == late


@pytest.mark.parametrize(("claim_type", "late"), [("report", True), ("prediction", False)])
def test_a_report_is_not_dated_after_its_claim_was_created(root: Path, claim_type: str, late: bool) -> None:
    # Claim 4 is the fixture's prediction; as a report it loses its prediction fields.
    if claim_type == "report":
        for column in ("horizon", "resolution", "resolution_note"):
            set_cell(root, "claims", 4, column, "")
        set_cell(root, "claims", 4, "claim_type", "report")
    set_cell(root, "claims", 4, "time_edtf", "2026-12-01")
    found = _codes(root)
    assert (("records/claims.csv", 4, "time_edtf", "date-after-created") in found) == late


def test_a_date_that_cannot_be_read_is_reported_as_such_and_skipped(root: Path) -> None:
    """Total: a row the date rules cannot evaluate carries its own problem."""
    set_cell(root, "sources", 2, "created", "2026-02-30")
    set_cell(root, "sources", 2, "retrieved", "2027-13-01")
    set_cell(root, "sources", 2, "published", "2027-99")
    found = _codes(root)
    assert ("records/sources.csv", 2, "created", "not-date") in found
    assert ("records/sources.csv", 2, "retrieved", "not-date") in found
    assert ("records/sources.csv", 2, "published", "edtf") in found
    assert not any(code in {"date-after-created", "retrieved-before-published"} for *_, code in found)


def test_the_real_dataset_keeps_these_rules(tmp_path: Path) -> None:
    from belarus_data.storage.paths import resolve_root

    report = validate(resolve_root(None))
    codes = {"edtf-reversed", "date-after-created", "retrieved-before-published"}
    assert not [p for p in report.problems if p.code in codes]
