"""Context: where a problem is located, the narrowed context of an incremental run, and skip accounting.

Unit tests of belarus_data/checks/context.py on the valid fixture (claims on lines 2-4).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from conftest import set_cell

from belarus_data.checks.context import Context
from belarus_data.problems import Problem
from belarus_data.storage.snapshot import Snapshot
from belarus_data.storage.tables import table


def context_of(root: Path, **options: object) -> Context:
    ctx = Context(root=root, tables={}, **options)  # type: ignore[arg-type]
    ctx.tables = Snapshot.of_tree(root).parsed_tables(ctx.problems)
    return ctx


def test_add_locates_by_table_spec_or_by_the_parsed_table_given(root: Path) -> None:
    ctx = context_of(root)
    narrow = ctx.narrowed({"claims": np.array([2])})  # its row 0 is line 4
    ctx.add(table("claims"), 1, "start", "code-a", "spec")
    ctx.add(narrow.tables["claims"], 0, "end", "code-b", "parsed", "a hint")
    ctx.add(table("claims"), None, None, "code-c", "whole file")
    assert ctx.problems == [
        Problem("records/claims.csv", 3, "start", "code-a", "spec", ""),
        Problem("records/claims.csv", 4, "end", "code-b", "parsed", "a hint"),
        Problem("records/claims.csv", None, None, "code-c", "whole file", ""),
    ]


def test_add_for_a_table_that_could_not_be_read_names_its_file_without_a_line(root: Path) -> None:
    ctx = context_of(root)
    del ctx.tables["events"]
    ctx.add(table("events"), 0, "id", "code", "message")
    assert ctx.problems == [Problem("records/events.csv", None, "id", "code", "message", "")]


def test_narrowed_keeps_root_engine_problems_and_skips(root: Path) -> None:
    ctx = context_of(root, engine="rows")
    narrow = ctx.narrowed({"claims": np.array([1, 2])})
    assert narrow.root == ctx.root
    assert narrow.engine == "rows"
    assert list(narrow.tables) == ["claims"]
    assert narrow.tables["claims"].lines.tolist() == [3, 4]
    assert narrow.tables["claims"].data.column("id").to_pylist() == ctx.values("claims", "id")[1:]
    assert narrow.problems is ctx.problems
    # A skip recorded in the narrowed context is accounted for by the whole one.
    narrow.skipped(table("claims"), [1], ("end",), "end is not a whole number")
    assert ctx.skips is narrow.skips and len(ctx.skips) == 1
    ctx.account_for_skips()
    assert [(p.file, p.line, p.field, p.code) for p in ctx.problems] == [
        ("records/claims.csv", 4, "end", "check-skipped")
    ]


def test_check_skipped_problem_in_full(root: Path) -> None:
    ctx = context_of(root)
    ctx.skipped(table("claims"), np.array([2]), ("end", "start"), "end is not a whole number")
    ctx.account_for_skips()
    assert ctx.problems == [
        Problem(
            "records/claims.csv",
            4,
            "end",
            "check-skipped",
            "a check could not evaluate this row (end is not a whole number) and no problem explains why",
            "fix the value named; if it looks right, report this as a bug in belarus-data",
        )
    ]


def test_a_problem_at_any_named_field_explains_a_skip_and_each_row_is_reported_once(root: Path) -> None:
    ctx = context_of(root)
    ctx.problems.append(Problem("records/claims.csv", 2, "start", "not-integer", "x"))
    ctx.skipped(table("claims"), [0, 1], ("end", "start"), "an offset is not a whole number")
    ctx.skipped(table("claims"), [1], ("start",), "the same row again")
    ctx.account_for_skips()
    assert [(p.line, p.field) for p in ctx.problems if p.code == "check-skipped"] == [(3, "end")]


def test_an_upstream_row_that_is_missing_or_unread_explains_nothing(root: Path) -> None:
    ctx = context_of(root)
    ctx.problems.append(Problem("records/sources.csv", None, None, "whole-file", "x"))
    ctx.skipped(table("claims"), [0], ("source_id",), "its source", upstream=(table("sources"), np.array([-1])))
    empty = context_of(root)
    empty.tables["sources"] = empty.tables["sources"].take(np.array([], dtype=np.int64))
    empty.problems.append(Problem("records/sources.csv", 2, "text_path", "text-missing", "x"))
    empty.skipped(table("claims"), [0], ("source_id",), "its source", upstream=(table("sources"), np.array([0])))
    for c in (ctx, empty):
        c.account_for_skips()
        assert [(p.line, p.field) for p in c.problems if p.code == "check-skipped"] == [(2, "source_id")]


def test_nothing_skipped_nothing_reported(root: Path) -> None:
    ctx = context_of(root)
    ctx.skipped(table("claims"), [], ("start",), "no rows")
    assert ctx.skips == []
    ctx.account_for_skips()
    assert ctx.problems == []


def test_active_mask_follows_record_status(root: Path) -> None:
    set_cell(root, "claims", 3, "record_status", "retracted")
    ctx = context_of(root)
    statuses = ctx.values("claims", "record_status")
    assert ctx.active_mask("claims").tolist() == [s == "active" for s in statuses] == [True, False, True]
