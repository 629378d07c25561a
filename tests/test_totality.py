"""Every check is total: a row a check skips because an input is invalid always carries a reported problem.

Checks record what they skip (``Context.skipped``); after every check,
``Context.account_for_skips`` reports each skipped row that no problem explains
(``check-skipped``), so a skip can never pass silently. Here: that mechanism
itself, and a sweep over the corpus and many mutated datasets in which it must
never have to fire (each skip is explained by the problem that caused it).
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from conftest import copy_valid, line_of, read_rows, set_cell, write_rows
from corpus import iter_cases
from test_engines_agree import BAD_VALUES, MUTATIONS
from test_generate import load_generator
from test_integers import HOSTILE

from belarus_data import validate, validation
from belarus_data.checks import cells
from belarus_data.checks.context import Context, Skip
from belarus_data.problems import Problem
from belarus_data.storage.snapshot import Snapshot
from belarus_data.storage.tables import TABLES, table


@pytest.fixture
def skips(monkeypatch: pytest.MonkeyPatch) -> list[Skip]:
    """Every skip recorded by the validations run in the test."""
    seen: list[Skip] = []
    original = Context.account_for_skips

    def record(self: Context) -> None:
        seen.extend(self.skips)
        original(self)

    monkeypatch.setattr(Context, "account_for_skips", record)
    return seen


def unexplained(root: Path, engine: str = "fast") -> list[str]:
    report = validate(root, engine=engine)  # type: ignore[arg-type]
    return [p.as_text() for p in report.problems if p.code == "check-skipped"]


def context_of(root: Path) -> Context:
    ctx = Context(root=root, tables={})
    ctx.tables = Snapshot.of_tree(root).parsed_tables(ctx.problems)
    return ctx


def test_an_unexplained_skip_is_reported_at_its_row(root: Path) -> None:
    ctx = context_of(root)
    ctx.skipped(table("claims"), [0], ("start",), "start is not a whole number")
    ctx.account_for_skips()
    assert [(p.file, p.line, p.field, p.code) for p in ctx.problems] == [
        ("records/claims.csv", 2, "start", "check-skipped")
    ]
    assert "start is not a whole number" in ctx.problems[0].message


def test_a_skip_is_explained_by_a_problem_at_its_row_or_upstream(root: Path) -> None:
    ctx = context_of(root)
    ctx.problems.append(Problem("records/claims.csv", 2, "start", "not-integer", "x"))
    ctx.problems.append(Problem("records/sources.csv", 2, "text_path", "text-missing", "x"))
    ctx.skipped(table("claims"), [0], ("start",), "start is not a whole number")
    ctx.skipped(table("claims"), [0], ("end",), "a problem at another field does not explain it")
    ctx.skipped(
        table("claims"),
        [1, 2],
        ("source_id",),
        "its source's text cannot be read",
        upstream=(table("sources"), np.array([0, -1])),
    )
    ctx.account_for_skips()
    assert [(p.line, p.field) for p in ctx.problems if p.code == "check-skipped"] == [(2, "end"), (4, "source_id")]


def test_a_check_that_skips_without_a_reported_cause_cannot_pass(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the cell checks (which report the bad offset), evidence's skip of the row is still reported."""
    line = line_of(root, "claims", "clm-fx1a2b3c")
    set_cell(root, "claims", line, "quote", "A quote that the source never contained at all")
    set_cell(root, "claims", line, "start", "-0")
    text, paraphrase, tables = validation.LANES
    monkeypatch.setattr(validation, "LANES", (text, paraphrase, tuple(c for c in tables if c not in cells.CELL_CHECKS)))
    report = validate(root)
    assert [(p.file, p.line, p.code) for p in report.problems] == [("records/claims.csv", line, "check-skipped")]
    assert not report.ok


@pytest.mark.parametrize(
    ("name", "key", "column", "value"),
    [
        ("sources", "src-fixture-note", "published", "2016-13"),
        ("sources", "src-fixture-note", "retrieved", "2016-02-30"),
        ("events", "evt-fx2q7k9m", "date_edtf", "mid-June"),
        ("claims", "clm-fx1a2b3c", "created", "yesterday"),
    ],
)
def test_a_date_rule_that_cannot_read_a_date_says_so(
    root: Path, monkeypatch: pytest.MonkeyPatch, name: str, key: str, column: str, value: str
) -> None:
    """Without the cell checks, a date the date rules cannot read is still reported at its row (check-skipped)."""
    line = line_of(root, name, key)
    set_cell(root, name, line, column, value)
    text, paraphrase, tables = validation.LANES
    monkeypatch.setattr(validation, "LANES", (text, paraphrase, tuple(c for c in tables if c not in cells.CELL_CHECKS)))
    report = validate(root)
    assert (f"records/{name}.csv", line, column, "check-skipped") in {
        (p.file, p.line, p.field, p.code) for p in report.problems
    }


CORPUS = iter_cases()


def test_no_corpus_case_skips_a_row_silently(tmp_path: Path, skips: list[Skip]) -> None:
    for number, case in enumerate(CORPUS):
        root = case.materialise(tmp_path / str(number))
        assert unexplained(root) == [], case.name
    assert sum(len(s.lines) for s in skips) > 0  # the corpus does make checks skip rows


# Every integer column, and the columns whose values checks read to decide what else to check.
TARGETS = [
    ("claims", "clm-fx1a2b3c", "start"),
    ("claims", "clm-fx1a2b3c", "end"),
    ("claims", "clm-fx4d5e6f", "quote"),
    ("claims", "clm-fx4d5e6f", "source_id"),
    ("claims", "clm-fx7g8h9i", "version"),
    ("sources", "src-fixture-note", "text_length"),
    ("sources", "src-fixture-note", "text_path"),
    ("sources", "src-fixture-note", "text_sha256"),
    ("sources", "src-fixture-note", "id"),
    ("sources", "src-fixture-note", "published"),
    ("events", "evt-fx2q7k9m", "date_edtf"),
    ("actors", "act-blr", "version"),
]


@pytest.mark.parametrize(("name", "key", "column"), TARGETS)
def test_hostile_values_in_the_inputs_of_checks_are_never_skipped_silently(
    tmp_path: Path, skips: list[Skip], name: str, key: str, column: str
) -> None:
    for number, value in enumerate([*HOSTILE, *BAD_VALUES]):
        root = copy_valid(tmp_path / str(number))
        set_cell(root, name, line_of(root, name, key), column, value)
        for engine in ("fast", "rows") if value in HOSTILE else ("fast",):
            assert unexplained(root, engine) == [], (column, value)


def test_the_rule_and_row_mutations_are_never_skipped_silently(tmp_path: Path) -> None:
    for number, (name, key, column, value) in enumerate(MUTATIONS):
        root = copy_valid(tmp_path / str(number))
        set_cell(root, name, line_of(root, name, key), column, value)
        assert unexplained(root) == [], (name, column, value)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_mutations_are_never_skipped_silently(tmp_path: Path, skips: list[Skip], seed: int) -> None:
    root = load_generator().generate(200, tmp_path / "generated", seed=seed)
    rng = random.Random(seed)
    values = [*HOSTILE, *BAD_VALUES]
    for _ in range(80):
        target = rng.choice(TABLES)
        path = root / target.path
        rows = read_rows(path)
        rows[rng.randrange(1, len(rows))][rng.randrange(len(rows[0]))] = rng.choice(values)
        write_rows(path, rows)
    text = next((root / "records" / "texts").iterdir())
    text.write_bytes(text.read_bytes()[:-5])  # one text changed: its claims are checked against the new bytes
    assert unexplained(root) == []
    assert skips
