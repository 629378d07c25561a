"""edtf_bounds / acled_precision (the public date bounds) and with_date_bounds (the derived columns).

Expected values come from the ``edtf`` package itself (lower_strict/upper_strict,
lower_fuzzy/upper_fuzzy), never from our own fast path, and the shipped data's
values are read from the CSV files, so the tests do not depend on what the
dates currently are.
"""

from __future__ import annotations

import csv
import datetime as dt
import doctest
import math
import time
from pathlib import Path

import pyarrow as pa
import pytest
from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException

import belarus_data
from belarus_data.dates import bounds as bounds_module
from belarus_data.dates.bounds import EdtfBounds, acled_precision, edtf_bounds
from belarus_data.storage import derived
from belarus_data.storage.derived import derived_columns, edtf_columns, stem, with_date_bounds
from belarus_data.storage.tables import TABLES, table

REPO = Path(__file__).parent.parent


def day(value: object) -> dt.date | None:
    if isinstance(value, time.struct_time):
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    assert isinstance(value, float) and math.isinf(value), value
    return None


def package_bounds(value: str) -> EdtfBounds | None:
    """The edtf package's own four bounds, an unknown interval end (empty side of '/') as None."""
    try:
        parsed = parse_edtf(value)
    except EDTFParseException:
        return None
    got = EdtfBounds(
        day(parsed.lower_strict()), day(parsed.upper_strict()), day(parsed.lower_fuzzy()), day(parsed.upper_fuzzy())
    )
    if "/" in value:
        start, _, end = value.partition("/")
        if not start:
            got = EdtfBounds(None, got.upper, None, got.upper_fuzzy)
        if not end:
            got = EdtfBounds(got.lower, None, got.lower_fuzzy, None)
    return got


CASES = [
    "2016",
    "2016-06",
    "2016-06-15",
    "2016-02-29",
    "2016?",
    "2016-06~",
    "2016-06-15%",
    "2016?-06-~15",
    "2016-~06",
    "2016-06/2016-08",
    "2016-06?/2016-08?",
    "2016-06-13/2016-06-19",
    "2016-06-15/..",
    "../2016-08",
    "2016/",
    "/2016-08",
    "2016-21",  # a season (spring)
    "201X",
    "2016-06-XX",
    "[2016, 2018]",
    "{2016-06-01..2016-06-03}",
    "2016-06-15T10:00:00Z",
]


@pytest.mark.parametrize("value", CASES)
def test_bounds_are_the_packages(value: str) -> None:
    expected = package_bounds(value)
    assert expected is not None, value
    assert edtf_bounds(value) == expected


def test_qualifiers_widen_only_the_fuzzy_bounds() -> None:
    plain, approximate = edtf_bounds("2016-06"), edtf_bounds("2016-06~")
    assert (
        (approximate.lower, approximate.upper)
        == (plain.lower, plain.upper)
        == (dt.date(2016, 6, 1), dt.date(2016, 6, 30))
    )
    assert approximate.lower_fuzzy is not None and approximate.upper_fuzzy is not None
    assert approximate.lower_fuzzy < plain.lower_fuzzy == plain.lower
    assert approximate.upper_fuzzy > plain.upper_fuzzy == plain.upper
    # '%' (uncertain and approximate) widens by two units, '~' by one
    both = edtf_bounds("2016-06%")
    assert both.lower_fuzzy is not None and both.lower_fuzzy < approximate.lower_fuzzy


def test_open_and_unknown_ends_are_none() -> None:
    assert edtf_bounds("2016-06/..") == EdtfBounds(dt.date(2016, 6, 1), None, dt.date(2016, 6, 1), None)
    assert edtf_bounds("../2016-06").lower is None
    # the package guesses ten years for an unknown end: not a bound
    unknown = edtf_bounds("2016-06/")
    assert unknown.upper is None and unknown.upper_fuzzy is None and unknown.lower == dt.date(2016, 6, 1)
    assert edtf_bounds("/2016-06").lower_fuzzy is None


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "not a date",
        " 2016",
        "2016 ",
        "2016-13",
        "2016-02-30",
        "２０１６",  # full-width digits
        "٢٠١٦",  # Arabic-Indic digits
        "2016\u200b",  # zero-width space
        "2016‐06",  # U+2010 hyphen, a look-alike
        "-2016",
        "+2016",
        "9" * 200,
        "2016-06/2016-08/2016-09",
        "..",
        "../..",
        "/",
        "2016-06-15T25:00:00",
        "Y20160",  # valid EDTF, but past the years a date can hold
    ],
)
def test_invalid_values_have_no_bounds(value: str | None) -> None:
    assert edtf_bounds(value) == EdtfBounds(None, None, None, None)
    assert acled_precision(value) is None


def test_reversed_interval_keeps_its_bounds_but_has_no_precision() -> None:
    reversed_ = edtf_bounds("2016-08/2016-06")
    assert reversed_.lower == dt.date(2016, 8, 1) and reversed_.upper == dt.date(2016, 6, 30)
    assert acled_precision(reversed_) is None


@pytest.mark.parametrize(
    ("value", "precision"),
    [
        ("2016-06-15", 1),
        ("2016-06-15?", 1),  # strict bounds: an uncertain day is still one day
        ("2016-06-15T10:00:00Z", 1),
        ("2016-06-15/2016-06-16", 2),
        ("2016-06-13/2016-06-19", 2),  # seven days
        ("2016-06-13/2016-06-20", 3),  # eight
        ("2016-06", 3),
        ("2016-06?/2016-08?", 3),
        ("2016", 3),
        ("2016-06-15/..", None),
        ("2016-06/", None),
    ],
)
def test_acled_precision(value: str, precision: int | None) -> None:
    assert acled_precision(value) == precision
    assert acled_precision(edtf_bounds(value)) == precision


def test_public_names() -> None:
    assert belarus_data.edtf_bounds is edtf_bounds
    assert belarus_data.EdtfBounds is EdtfBounds
    assert belarus_data.acled_precision is acled_precision
    assert {"edtf_bounds", "EdtfBounds", "acled_precision"} <= set(dir(belarus_data))


@pytest.mark.parametrize("module", [belarus_data, bounds_module, derived])
def test_docstring_examples_run(module: object) -> None:
    result = doctest.testmod(module, raise_on_error=False)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0


def shipped_cells(name: str) -> list[dict[str, str]]:
    with (REPO / "records" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("name", [t.name for t in TABLES if edtf_columns(t)])
def test_every_shipped_edtf_value_has_the_packages_bounds(name: str) -> None:
    spec = table(name)
    values = {row[col] for row in shipped_cells(name) for col in edtf_columns(spec) if row[col]}
    assert values
    for value in values:
        assert edtf_bounds(value) == package_bounds(value), value


def test_derived_column_names() -> None:
    assert [c.name for c in derived_columns(table("events"))][:4] == [
        "date_lower",
        "date_upper",
        "date_lower_fuzzy",
        "date_upper_fuzzy",
    ]
    claims = {c.name for c in derived_columns(table("claims"))}
    assert {"time_lower", "time_upper_fuzzy", "horizon_lower", "time_anchor_upper"} <= claims
    assert {"published_lower", "published_upper_fuzzy"} <= {c.name for c in derived_columns(table("sources"))}
    assert derived_columns(table("actors")) == []
    assert stem("date_edtf") == "date" and stem("published") == "published"
    for spec in TABLES:
        names = [c.name for c in derived_columns(spec)]
        assert len(set(names)) == len(names) and not set(names) & set(spec.columns)
        assert all(c.description and c.source in spec.columns for c in derived_columns(spec))


def string_table(name: str, rows: list[dict[str, str]]) -> pa.Table:
    spec = table(name)
    schema = pa.schema([(col, pa.string()) for col in spec.columns])
    return pa.table({col: [row.get(col) or None for row in rows] for col in spec.columns}, schema=schema)


@pytest.mark.parametrize("name", [t.name for t in TABLES])
def test_with_date_bounds_on_the_shipped_tables(name: str) -> None:
    spec = table(name)
    rows = shipped_cells(name)
    out = with_date_bounds(spec, string_table(name, rows))
    assert out.column_names == spec.columns + [c.name for c in derived_columns(spec)]
    for column in derived_columns(spec):
        assert out.schema.field(column.name).type == pa.date32()
        bound = column.name.removeprefix(stem(column.source) + "_")
        expected = [getattr(edtf_bounds(row[column.source] or None), bound) for row in rows]
        assert out.column(column.name).to_pylist() == expected, column.name
    if "time_precision" in spec.columns:
        got = out.column("time_precision").to_pylist()
        for row, precision in zip(rows, got, strict=True):
            if row["time_precision"]:
                assert precision == row["time_precision"]  # a given precision is kept
            else:
                derived_value = acled_precision(row["date_edtf"] or None)
                assert precision == (None if derived_value is None else str(derived_value))


def test_given_precision_is_kept_and_empty_filled() -> None:
    rows = [
        {"date_edtf": "2016-06-15", "time_precision": "3"},  # curator's choice wins
        {"date_edtf": "2016-06-15"},
        {"date_edtf": "2016-06-13/2016-06-19"},
        {"date_edtf": "2016-06"},
        {"date_edtf": "2016-06/.."},
        {},
    ]
    out = with_date_bounds(table("events"), string_table("events", rows))
    assert out.column("time_precision").to_pylist() == ["3", "1", "2", "3", None, None]
    assert out.column("date_upper").to_pylist()[4:] == [None, None]


def test_bounds_are_computed_once_per_distinct_value(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str | None] = []
    real = derived.edtf_bounds

    def counting(value: str | None) -> EdtfBounds:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(derived, "edtf_bounds", counting)
    distinct = [f"2016-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 29)] + ["2016-06?/2016-08?", None]
    values = [distinct[i % len(distinct)] for i in range(200_000)]
    column = pa.chunked_array([pa.array(values, pa.string())] * 2)  # two chunks, as a large CSV gives
    spec = table("events")
    data = pa.table({col: column if col == "date_edtf" else pa.nulls(len(column), pa.string()) for col in spec.columns})
    out = with_date_bounds(spec, data)
    assert len(calls) == len(distinct) + 1  # and one for date_anchor, all empty
    assert out.num_rows == 2 * len(values)
    at = len(values) + 7  # a row of the second chunk
    assert out.column("date_lower")[at].as_py() == edtf_bounds(values[7]).lower == dt.date(2016, 1, 8)
    assert out.column("time_precision").null_count == 2 * values.count(None)
