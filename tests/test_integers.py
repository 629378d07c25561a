"""One integer rule: every consumer reads a hostile string the same way, and a bad offset never hides a quote.

The rule (belarus_data/models/integers.py): ASCII ``0`` or ``[1-9][0-9]*``,
below 2^63, within the column's bounds. Its consumers: the Pydantic models
(``validate(engine="rows")``), the vectorised cell flags (``engine="fast"``),
the evidence check (offsets, text_length), the versioning rules, the loaders
and ``belarus-data new --set``.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from click.testing import CliRunner
from conftest import copy_valid, line_of, set_cell
from gitrepo import commit_all, git, make_repo

from belarus_data import DatasetError, load_claims, load_sources, validate
from belarus_data.checks import evidence, versioning
from belarus_data.cli import main
from belarus_data.models import integers

# Each hostile string, and what the rule makes of it in a column with bounds 1..10,000,000
# (None: a whole number in range). '' is an empty cell in a CSV file, hence `required` there.
HOSTILE: dict[str, str | None] = {
    "-0": "not-integer",
    "+1": "not-integer",
    "01": "not-integer",
    "00": "not-integer",
    "0x1": "not-integer",
    "1e3": "not-integer",
    " 1": "not-integer",
    "1 ": "not-integer",
    "\u00b2": "not-integer",  # ² : str.isdigit() is True, int() raises
    "\u0662": "not-integer",  # ٢ : int() reads 2
    "\uff11": "not-integer",  # １ : int() reads 1
    "1_000": "not-integer",  # int() reads 1000
    "9223372036854775807": "out-of-range",  # 2^63 - 1: a whole number, above the column's maximum
    "9223372036854775808": "out-of-range",  # 2^63
    str(10**30): "out-of-range",
    "-1": "not-integer",
    "NaN": "not-integer",
    "1.0": "not-integer",
    "-": "not-integer",
    "": "not-integer",
    "57": None,  # controls: the rule is not refusing everything
    "1": None,
}
CELL_CODE = {value: ("required" if value == "" else code) for value, code in HOSTILE.items()}


def scalar(value: str) -> int | None:
    return integers.parse_or_none(value)


def test_the_scalar_rule_on_the_hostile_table() -> None:
    for value, code in HOSTILE.items():
        try:
            number = integers.parse_in_range(value, 1, 10_000_000)
        except integers.IntegerError as err:
            assert err.code == code, ascii(value)
            continue
        assert code is None and str(number) == value, ascii(value)
    assert integers.parse("9223372036854775807") == 2**63 - 1
    assert integers.parse("0") == 0


def chunked(values: list[str | None]) -> pa.ChunkedArray:
    """Several chunks, one a slice, so that offsets do not start at zero."""
    array = pa.array(["padding", *values], pa.string()).slice(1)
    third = len(values) // 3
    return pa.chunked_array([array.slice(0, third), array.slice(third, third), array.slice(2 * third)])


def test_the_vectorised_rule_is_the_scalar_rule() -> None:
    rng = random.Random(7)
    values: list[str | None] = [*HOSTILE, None, "0", "10", "922337203685477580", "9223372036854775799"]
    for _ in range(20_000):
        body = "".join(rng.choices("0123456789-+ .e_\u0661\u00b2", k=rng.randint(0, 21)))
        values.append(rng.choice(["", "-", "0", "1", "9"]) + body or None)
    ok, numbers = integers.parse_array(chunked(values))
    for value, good, number in zip(values, ok.tolist(), numbers.tolist(), strict=True):
        expected = scalar(value) if value is not None else None
        assert good == (expected is not None), ascii(value)
        assert number == (expected if expected is not None else 0), ascii(value)


def test_arrow_reading_refuses_what_the_rule_refuses() -> None:
    assert integers.to_arrow(pa.array(["5", None, "0"])).to_pylist() == [5, None, 0]
    for value in HOSTILE:
        if scalar(value) is None:
            with pytest.raises(integers.IntegerError):
                integers.to_arrow(pa.array(["1", value]))


def test_evidence_and_versioning_read_numbers_by_the_rule() -> None:
    offsets = evidence._offsets(pa.chunked_array([pa.array(list(HOSTILE))]))
    for value, offset in zip(HOSTILE, offsets.tolist(), strict=True):
        assert offset == (scalar(value) if scalar(value) is not None else -1), ascii(value)
        assert versioning._int(value) == scalar(value), ascii(value)


def located(root: Path, engine: str) -> set[tuple[str, int | None, str | None, str]]:
    return {(p.file, p.line, p.field, p.code) for p in validate(root, engine=engine).problems}  # type: ignore[arg-type]


def plain_id(value: str) -> str:
    """A test id of printable ASCII without backslashes or quotes: pytest escapes any other character in a
    node id, and an escaped id cannot be selected again on the command line (mutmut selects tests by id)."""
    shown = "".join(ch if " " < ch < "\x7f" and ch not in "\\'\"[]" else f"U+{ord(ch):04X}" for ch in value)
    return f"<{shown}>"


@pytest.mark.parametrize("value", list(HOSTILE), ids=[plain_id(v) for v in HOSTILE])
def test_every_consumer_agrees_on_a_claim_offset_and_a_text_length(tmp_path: Path, value: str) -> None:
    root = copy_valid(tmp_path / "dataset")
    claim, source = line_of(root, "claims", "clm-fx1a2b3c"), line_of(root, "sources", "src-fixture-note")
    original_end = "57"
    set_cell(root, "claims", claim, "end", value)
    set_cell(root, "sources", source, "text_length", value if value != original_end else "185")
    code = CELL_CODE[value]
    fast, rows = located(root, "fast"), located(root, "rows")
    assert fast == rows
    if code is None:
        assert not any(p[3] in {"not-integer", "out-of-range", "check-skipped"} for p in fast), fast
    else:
        assert ("records/claims.csv", claim, "end", code) in fast
        assert ("records/sources.csv", source, "text_length", code) in fast
        assert not any(p[3] == "check-skipped" for p in fast), fast
    # The command: exit 1 for a problem (never 3), 0 for the untouched control.
    result = CliRunner().invoke(main, ["validate", "--root", str(root), "--no-base"])
    assert result.exit_code == (0 if value == original_end else 1), result.output
    # The loaders raise the same problems (or load the control, the number read as it is written).
    if value == original_end:
        assert load_claims(root).set_index("id").loc["clm-fx1a2b3c", "end"] == 57
        assert load_sources(root)["text_length"].iloc[0] == 185
    elif code is not None:
        for loader, where in (
            (load_claims, ("records/claims.csv", claim, "end")),
            (load_sources, ("records/sources.csv", source, "text_length")),
        ):
            with pytest.raises(DatasetError) as raised:
                loader(root)
            assert (*where, code) in {(p.file, p.line, p.field, p.code) for p in raised.value.problems}


@pytest.mark.parametrize("value", list(HOSTILE), ids=[plain_id(v) for v in HOSTILE])
def test_new_reads_a_number_by_the_same_rule(tmp_path: Path, value: str) -> None:
    root = copy_valid(tmp_path / "dataset")
    args = ["new", "source", "--root", str(root), "--dry-run", "--set", "title=A new source for numbers"]
    args += ["--set", f"text_length={value}"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output  # other fields are missing in any case
    code = CELL_CODE[value]
    if code in (None, "required"):
        assert "text_length: [" not in result.output, result.output
    else:
        assert f"text_length: [{code}]" in result.output, result.output


@pytest.mark.parametrize("value", [v for v, code in HOSTILE.items() if code is not None and v], ids=plain_id)
def test_versioning_never_crashes_on_a_hostile_version(tmp_path: Path, value: str) -> None:
    repo = make_repo(tmp_path)
    git(repo, "checkout", "-q", "-b", "pr")
    line = line_of(repo, "claims", "clm-fx4d5e6f")
    set_cell(repo, "claims", line, "statement", "Kyiv says Russian aircraft flew from Belarusian airfields.")
    set_cell(repo, "claims", line, "version", value)
    commit_all(repo, "a change with a hostile version")
    problems = {(p.file, p.line, p.field, p.code) for p in validate(repo, base="main").problems}
    assert ("records/claims.csv", line, "version", HOSTILE[value]) in problems
    assert not any(p[3] == "check-skipped" for p in problems), problems


# Spellings of 0 that are not the whole number 0: each once let (or could let) an invented quote through.
NOT_ZERO = ["-0", "00", "+0", "\u0660", "\uff10", " 0", "0 ", "0.0", "-00", "0e0", "0x0", "\u2070"]


@pytest.mark.parametrize("start", NOT_ZERO, ids=[plain_id(v) for v in NOT_ZERO])
@pytest.mark.parametrize("engine", ["fast", "rows"])
def test_an_invented_quote_with_a_non_canonical_offset_is_reported_at_its_line(
    tmp_path: Path, start: str, engine: str
) -> None:
    root = copy_valid(tmp_path / "dataset")
    line = line_of(root, "claims", "clm-fx1a2b3c")
    invented = "A quote that the source never contained at all"
    set_cell(root, "claims", line, "quote", invented)
    set_cell(root, "claims", line, "start", start)
    set_cell(root, "claims", line, "end", str(len(invented)))
    set_cell(root, "claims", line, "prefix", "")
    report = validate(root, engine=engine)  # type: ignore[arg-type]
    assert ("records/claims.csv", line, "start", "not-integer") in {
        (p.file, p.line, p.field, p.code) for p in report.problems
    }
    result = CliRunner().invoke(main, ["validate", "--root", str(root), "--no-base"])
    assert result.exit_code == 1 and f"records/claims.csv:{line}" in result.output


@pytest.mark.parametrize("end", ["+46", "046", "\u0664\u0666", "46.0", "４６"], ids=plain_id)
def test_an_invented_quote_with_a_non_canonical_end_is_reported_at_its_line(tmp_path: Path, end: str) -> None:
    root = copy_valid(tmp_path / "dataset")
    line = line_of(root, "claims", "clm-fx1a2b3c")
    set_cell(root, "claims", line, "quote", "A quote that the source never contained at all")
    set_cell(root, "claims", line, "end", end)
    assert ("records/claims.csv", line, "end", "not-integer") in located(root, "fast")


def test_the_canonical_zero_lets_the_quote_be_compared(tmp_path: Path) -> None:
    root = copy_valid(tmp_path / "dataset")
    line = line_of(root, "claims", "clm-fx1a2b3c")
    set_cell(root, "claims", line, "quote", "A quote that the source never contained at all")
    set_cell(root, "claims", line, "end", "46")
    set_cell(root, "claims", line, "prefix", "")
    assert ("records/claims.csv", line, "quote", "quote-mismatch") in located(root, "fast")


def test_the_flags_never_miss_a_number_out_of_its_column_bounds() -> None:
    from belarus_data.checks import cells
    from belarus_data.models import columns as c

    rule = c.int_column(minimum=1, maximum=10)
    values = ["0", "1", "10", "11", "9223372036854775807", "9223372036854775808", "-1", None]
    flags = cells.column_flags(pa.chunked_array([pa.array(values, pa.string())]), rule, required=False)
    assert flags.tolist() == [True, False, False, True, True, True, True, False]
    assert np.array_equal(integers.in_range(np.array([0, 1, 10, 11]), 1, 10), [False, True, True, False])


def test_changed_only_still_reports_a_non_canonical_offset(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    git(repo, "checkout", "-q", "-b", "pr")
    line = line_of(repo, "claims", "clm-fx1a2b3c")
    set_cell(repo, "claims", line, "quote", "A quote that the source never contained at all")
    set_cell(repo, "claims", line, "start", "-0")
    set_cell(repo, "claims", line, "end", "46")
    set_cell(repo, "claims", line, "prefix", "")
    commit_all(repo, "an invented quote")
    report = validate(repo, base="main", changed_only=True)
    assert ("records/claims.csv", line, "start", "not-integer") in {
        (p.file, p.line, p.field, p.code) for p in report.problems
    }
    assert not any(p.code == "check-skipped" for p in report.problems)


def test_a_version_unreadable_at_the_base_is_not_compared_silently(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    line = line_of(repo, "claims", "clm-fx4d5e6f")
    set_cell(repo, "claims", line, "version", "-0")  # what the old rule let through on main
    commit_all(repo, "a broken base")
    git(repo, "checkout", "-q", "-b", "pr")
    set_cell(repo, "claims", line, "statement", "Kyiv says Russian aircraft flew from Belarusian airfields.")
    set_cell(repo, "claims", line, "version", "1")
    commit_all(repo, "a change whose bump cannot be checked")
    problems = [p for p in validate(repo, base="main").problems if p.code == "check-skipped"]
    assert [(p.file, p.line, p.field) for p in problems] == [("records/claims.csv", line, "version")]
    assert "version is '1' here and '-0' at base" in problems[0].message
