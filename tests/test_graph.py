"""Whole-graph rules: cycles in parent_id, cycles, chains and inactive targets in superseded_by.

The traversal is tested on its own (shapes, and 100,000-long chains and cycles,
which a recursive walk could not follow), then the checks on tables built
in memory, then end to end through ``validate`` with both engines.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from conftest import read_rows, write_rows

from belarus_data import validate
from belarus_data.checks import graph
from belarus_data.checks.context import Context
from belarus_data.problems import Problem
from belarus_data.storage.csvfile import ParsedTable

LONG = 100_000


# --- the traversal -------------------------------------------------------------------------


def test_follow_finds_ends_steps_and_each_cycle_once() -> None:
    # 0 → 1 → 2 (end); 3 ⇄ 4 with 5 → 3 leading in; 6 alone; 7 → 8 → 9 → 7 entered at 9 from 10.
    successor = np.array([1, 2, -1, 4, 3, 3, -1, 8, 9, 7, 9])
    paths = graph.follow(successor)
    assert paths.cycles == [[3, 4], [7, 8, 9]]
    assert paths.end == [2, 2, 2, -1, -1, -1, 6, -1, -1, -1, -1]
    assert paths.steps == [2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert paths.cycle == [-1, -1, -1, 3, 3, 3, -1, 7, 7, 7, 7]


def test_follow_starts_a_cycle_at_its_earliest_row_in_pointer_order() -> None:
    # 2 → 0 → 3 → 1 → 2, first entered at row 2: reported from row 0, following the pointers.
    paths = graph.follow(np.array([3, 2, 0, 1]))
    assert paths.cycles == [[0, 3, 1, 2]]


def test_follow_with_no_pointers() -> None:
    paths = graph.follow(np.full(4, -1))
    assert paths.cycles == [] and paths.end == [0, 1, 2, 3] and paths.steps == [0, 0, 0, 0]


@pytest.mark.parametrize("reverse", [False, True])
def test_follow_a_long_chain_iteratively(reverse: bool) -> None:
    """Row k points at k+1 (or, reversed, at k-1): both orders of discovery, no recursion."""
    successor = np.arange(1, LONG + 1) if not reverse else np.arange(-1, LONG - 1)
    successor[-1 if not reverse else 0] = -1
    paths = graph.follow(successor)
    final = LONG - 1 if not reverse else 0
    assert paths.cycles == []
    assert set(paths.end) == {final}
    assert paths.steps[0 if not reverse else LONG - 1] == LONG - 1


def test_follow_a_long_cycle_and_a_long_tail_into_it() -> None:
    successor = np.arange(1, 2 * LONG + 1)
    successor[LONG - 1] = 0  # rows 0 .. LONG-1 form a cycle
    successor[-1] = LONG // 2  # rows LONG .. 2*LONG-1 run into it
    paths = graph.follow(successor)
    assert len(paths.cycles) == 1 and paths.cycles[0] == list(range(LONG))
    assert set(paths.end) == {graph.IN_CYCLE}
    assert set(paths.cycle) == {0}


def test_successors_skip_empty_unknown_and_self_and_take_the_first_duplicate() -> None:
    ids = pa.chunked_array([["a", "b", None, "b", "c"]])
    pointers = pa.chunked_array([["b", None, None, "zzz", "c"]])
    # a → the first b; an empty pointer never matches an empty ID; unknown and self point nowhere.
    assert graph.successors(ids, pointers).tolist() == [1, -1, -1, -1, -1]


def test_shown_is_bounded() -> None:
    names = [f"act-{k}" for k in range(LONG)]
    text = graph.shown(names)
    assert len(text) < 300 and f"({LONG - 2 * graph.SHOWN:,} more)" in text
    assert text.startswith("act-0 → ") and text.endswith(f" → act-{LONG - 1}")
    assert graph.shown(["a", "b", "a"]) == "a → b → a"


# --- the checks on tables in memory ------------------------------------------------------


def _context(name: str, columns: dict[str, list[str | None]]) -> Context:
    data = pa.table({k: pa.array(v, pa.string()) for k, v in columns.items()})
    parsed = ParsedTable(f"records/{name}.csv", data, np.arange(2, data.num_rows + 2))
    return Context(root=Path("."), tables={name: parsed})


def _actors(parents: list[str | None], ids: list[str] | None = None) -> Context:
    ids = ids or [f"act-{k}" for k in range(len(parents))]
    return _context("actors", {"id": list(ids), "parent_id": parents, "record_status": ["active"] * len(ids)})


def _found(ctx: Context) -> list[tuple[int | None, str, str | None]]:
    return [(p.line, p.code, p.field) for p in ctx.problems]


def test_parent_cycle_reported_once_at_its_earliest_line_naming_it_in_order() -> None:
    # act-0 → act-2 → act-1 → act-0, and act-3 hangs below the cycle.
    ctx = _actors(["act-2", "act-0", "act-1", "act-1"])
    graph.check_parent_cycles(ctx)
    assert _found(ctx) == [(2, "actor-parent-cycle", "parent_id")]
    assert ctx.problems[0].message.endswith("act-0 → act-2 → act-1 → act-0")
    assert ctx.problems[0].hint


def test_parent_self_is_left_to_the_row_rule_and_a_tree_passes() -> None:
    ctx = _actors(["act-0", "act-0", "act-1", None, "act-unknown"])
    graph.check_parent_cycles(ctx)
    assert ctx.problems == []


def _typed(rows: list[tuple[str, str | None, str | None, str]]) -> Context:
    ids, types, parents, status = (list(column) for column in zip(*rows, strict=True))
    return _context("actors", {"id": ids, "actor_type": types, "parent_id": parents, "record_status": status})


def test_the_hierarchy_of_the_guide_passes() -> None:
    ctx = _typed(
        [
            ("act-blr", "state", None, "active"),
            ("act-blr-mod", "ministry", "act-blr", "active"),
            ("act-blr-mil", "armed_forces", "act-blr-mod", "active"),
            ("act-blr-air-force", "armed_forces", "act-blr-mil", "active"),
            ("act-blr-gov", "government", "act-blr", "active"),
            ("act-lukashenka", "person", "act-blr-gov", "active"),
            ("act-ukr-hur", "intelligence_service", "act-blr-mod", "active"),
            ("act-kgb", "intelligence_service", "act-blr", "active"),  # an agency under no ministry
        ]
    )
    graph.check_parent_levels(ctx)
    assert ctx.problems == []


def test_a_skipped_level_is_reported_at_the_child_naming_both_types() -> None:
    ctx = _typed(
        [
            ("act-rus", "state", None, "active"),
            ("act-rus-mil", "armed_forces", "act-rus", "active"),  # skips the ministry
            ("act-critics", "group", "act-rus", "active"),  # groups have no parent
            ("act-gone", "armed_forces", "act-rus", "retracted"),  # withdrawn: not checked
            ("act-odd", "not-a-type", "act-rus", "active"),  # unknown type: the cell rule's
            ("act-lost", "armed_forces", "act-nowhere", "active"),  # dangling: the key rule's
            ("act-self", "ministry", "act-self", "active"),  # itself: the row rule's
        ]
    )
    graph.check_parent_levels(ctx)
    assert _found(ctx) == [(3, "actor-parent-level", "parent_id"), (4, "actor-parent-level", "parent_id")]
    assert "actor of type armed_forces has a parent of type state (act-rus)" in ctx.problems[0].message
    assert "ministry or armed_forces" in ctx.problems[0].hint
    assert ctx.problems[1].hint.startswith("empty parent_id")


def test_a_long_parent_cycle_is_one_bounded_problem() -> None:
    parents: list[str | None] = [f"act-{k + 1}" for k in range(LONG)]
    parents[-1] = "act-0"
    ctx = _actors(parents)
    graph.check_parent_cycles(ctx)
    assert _found(ctx) == [(2, "actor-parent-cycle", "parent_id")]
    message = ctx.problems[0].message
    assert f"a cycle of {LONG:,} actors" in message and len(message) < 400
    assert message.startswith("parent_id runs") and message.endswith(" → act-0")


def test_a_long_parent_chain_passes() -> None:
    ctx = _actors([*(f"act-{k + 1}" for k in range(LONG - 1)), None])
    graph.check_parent_cycles(ctx)
    assert ctx.problems == []


def _claims(rows: list[tuple[str, str | None]], ids: list[str] | None = None) -> Context:
    """Claims with (record_status, superseded_by) each; IDs clm-0, clm-1, ..."""
    ids = ids or [f"clm-{k}" for k in range(len(rows))]
    return _context(
        "claims",
        {"id": ids, "record_status": [s for s, _ in rows], "superseded_by": [b for _, b in rows]},
    )


def test_supersession_to_an_active_record_passes() -> None:
    ctx = _claims([("superseded", "clm-1"), ("active", None), ("superseded", "clm-1")])
    graph.check_supersession(ctx)
    assert ctx.problems == []


def test_supersession_chain_names_the_final_record() -> None:
    ctx = _claims([("superseded", "clm-1"), ("superseded", "clm-2"), ("superseded", "clm-3"), ("active", None)])
    graph.check_supersession(ctx)
    assert _found(ctx) == [(2, "superseded-chain", "superseded_by"), (3, "superseded-chain", "superseded_by")]
    first, second = ctx.problems
    assert first.message == "points at 'clm-1', which is itself superseded by 'clm-2'"
    assert first.hint == "point superseded_by at the end of the chain, 'clm-3' (2 records further on)"
    assert second.hint == "point superseded_by at the end of the chain, 'clm-3'"


def test_supersession_chain_ending_at_a_retracted_record_says_so() -> None:
    ctx = _claims([("superseded", "clm-1"), ("superseded", "clm-2"), ("retracted", None)])
    graph.check_supersession(ctx)
    assert _found(ctx) == [(2, "superseded-chain", "superseded_by"), (3, "superseded-inactive", "superseded_by")]
    assert "ends at 'clm-2', which is retracted" in ctx.problems[0].hint


def test_supersession_chain_ending_at_the_first_row() -> None:
    # Node 0 (the earliest row) is the end: a pointer to row 0 is a pointer like any other.
    ctx = _claims([("active", None), ("superseded", "clm-0"), ("superseded", "clm-1")])
    graph.check_supersession(ctx)
    assert _found(ctx) == [(4, "superseded-chain", "superseded_by")]
    assert ctx.problems[0].hint == "point superseded_by at the end of the chain, 'clm-0'"


@pytest.mark.parametrize("status", ["retracted", "superseded"])
def test_supersession_by_a_withdrawn_record(status: str) -> None:
    # The target is superseded by nothing valid (its own row is reported for that): still not active.
    ctx = _claims([("superseded", "clm-1"), (status, None if status == "retracted" else "clm-missing")])
    graph.check_supersession(ctx)
    assert _found(ctx) == [(2, "superseded-inactive", "superseded_by")]
    assert ctx.problems[0].message == f"points at 'clm-1', which is {status}"


@pytest.mark.parametrize("status", [None, "actve"])
def test_supersession_by_a_record_whose_status_is_broken_is_left_to_that_record(status: str | None) -> None:
    ctx = _claims([("superseded", "clm-1"), (status, None)])  # type: ignore[list-item]
    graph.check_supersession(ctx)
    assert ctx.problems == []


def test_supersession_cycle_once_and_the_chain_into_it() -> None:
    # clm-0 → clm-1 → clm-2 → clm-1: the cycle at clm-1's line, clm-0's chain pointing there.
    ctx = _claims([("superseded", "clm-1"), ("superseded", "clm-2"), ("superseded", "clm-1")])
    graph.check_supersession(ctx)
    assert _found(ctx) == [(3, "superseded-cycle", "superseded_by"), (2, "superseded-chain", "superseded_by")]
    assert ctx.problems[0].message.endswith("clm-1 → clm-2 → clm-1")
    assert "reported at line 3" in ctx.problems[1].hint


def test_every_supersession_problem_says_what_to_do() -> None:
    ctx = _claims([("superseded", "clm-1"), ("superseded", "clm-0"), ("superseded", "clm-3"), ("retracted", None)])
    graph.check_supersession(ctx)
    assert _found(ctx) == [(2, "superseded-cycle", "superseded_by"), (4, "superseded-inactive", "superseded_by")]
    cycle, inactive = ctx.problems
    assert cycle.hint.startswith("a replacement is the record to use now: make the current one active again")
    assert inactive.hint.startswith("the replacement must be an active record")


def test_supersession_by_a_withdrawn_record_on_the_first_row() -> None:
    ctx = _claims([("retracted", None), ("superseded", "clm-0")])
    graph.check_supersession(ctx)
    assert _found(ctx) == [(3, "superseded-inactive", "superseded_by")]
    assert ctx.problems[0].message == "points at 'clm-0', which is retracted"


def test_follow_a_row_pointing_at_the_first_row() -> None:
    paths = graph.follow(np.array([-1, 0, 1]))
    assert paths.end == [0, 0, 0] and paths.steps == [0, 1, 2] and paths.cycle == [-1, -1, -1]
    paths = graph.follow(np.array([-1, 0]))
    assert paths.end == [0, 0] and paths.steps == [0, 1] and paths.cycles == []


def test_supersession_self_is_left_to_the_row_rule() -> None:
    ctx = _claims([("superseded", "clm-0"), ("active", None)])
    graph.check_supersession(ctx)
    assert ctx.problems == []


def test_a_long_supersession_chain_costs_one_pass() -> None:
    rows: list[tuple[str, str | None]] = [("superseded", f"clm-{k + 1}") for k in range(LONG - 1)]
    ctx = _claims([*rows, ("active", None)])
    graph.check_supersession(ctx)
    problems = ctx.problems
    assert len(problems) == LONG - 2  # every record but the last two points at a replaced one
    assert {p.code for p in problems} == {"superseded-chain"}
    assert problems[0].hint.startswith(f"point superseded_by at the end of the chain, 'clm-{LONG - 1}' ({LONG - 2:,}")


def test_a_long_supersession_cycle_is_one_problem() -> None:
    ctx = _claims([("superseded", f"clm-{(k + 1) % LONG}") for k in range(LONG)])
    graph.check_supersession(ctx)
    assert _found(ctx) == [(2, "superseded-cycle", "superseded_by")]
    assert len(ctx.problems[0].message) < 400


def test_every_table_with_superseded_by_is_checked() -> None:
    from belarus_data.storage.tables import TABLES

    with_column = [t.name for t in TABLES if "superseded_by" in t.columns]
    assert set(with_column) == {"sources", "actors", "claims", "events"}
    for name in with_column:
        prefix = name[:3]
        ctx = _context(
            name,
            {
                "id": [f"{prefix}-a", f"{prefix}-b"],
                "record_status": ["superseded", "superseded"],
                "superseded_by": [f"{prefix}-b", f"{prefix}-a"],
            },
        )
        graph.check_supersession(ctx)
        assert [(p.file, p.code) for p in ctx.problems] == [(f"records/{name}.csv", "superseded-cycle")]


# --- end to end: validate, both engines ------------------------------------------------------


def _append_actor_chain(root: Path, count: int, *, cycle: bool) -> None:
    """``count`` more actors, each the parent of the one before; with ``cycle``, the last is the first's parent."""
    path = root / "records" / "actors.csv"
    rows = read_rows(path)
    header, template = rows[0], rows[1]
    at = {name: header.index(name) for name in ("id", "name", "parent_id", "wikidata", "actor_type", "country")}
    for k in range(count):
        row = list(template)
        row[at["id"]] = f"act-chain-{k}"
        row[at["name"]] = f"Chain body {k}"
        row[at["wikidata"]] = ""
        row[at["actor_type"]] = "armed_forces"  # a type that may nest in itself (units in units): no level skipped
        row[at["parent_id"]] = f"act-chain-{k + 1}" if k + 1 < count else ("act-chain-0" if cycle else "")
        rows.append(row)
    write_rows(path, rows)


def _located(root: Path, engine: str) -> set[tuple[str, int | None, str | None, str]]:
    return {(p.file, p.line, p.field, p.code) for p in validate(root, engine=engine).problems}  # type: ignore[arg-type]


def test_validate_reports_a_long_parent_cycle_once_in_both_engines(root: Path) -> None:
    _append_actor_chain(root, 3000, cycle=True)
    report = validate(root)
    cycle = [p for p in report.problems if p.code == "actor-parent-cycle"]
    first_line = len(read_rows(root / "records" / "actors.csv")) - 3000 + 1
    assert [(p.file, p.line) for p in cycle] == [("records/actors.csv", first_line)]
    assert _located(root, "rows") == {(p.file, p.line, p.field, p.code) for p in report.problems}


def test_validate_accepts_a_long_parent_chain(root: Path) -> None:
    _append_actor_chain(root, 3000, cycle=False)
    assert validate(root).ok


def test_graph_problems_are_complete(root: Path) -> None:
    """Every problem the graph checks make names a file, line, field, message and hint."""
    _append_actor_chain(root, 5, cycle=True)
    for problem in validate(root).problems:
        assert isinstance(problem, Problem)
        assert problem.file and problem.line and problem.field and problem.message and problem.hint


def test_every_graph_and_date_code_has_a_corpus_case() -> None:
    from corpus import iter_cases

    codes = {e.code for case in iter_cases() if case.name.startswith(("graph-", "date-")) for e in case.expected}
    assert {
        "actor-parent-self",
        "actor-parent-cycle",
        "actor-parent-level",
        "lifecycle-superseded",
        "superseded-cycle",
        "superseded-chain",
        "superseded-inactive",
        "edtf-reversed",
        "date-after-created",
        "retrieved-before-published",
        "lifecycle-dates",
        "edtf",
    } <= codes


def test_shown_cuts_only_past_its_bound() -> None:
    for count in (2 * graph.SHOWN, 2 * graph.SHOWN + 1):
        assert graph.shown([str(k) for k in range(count)]) == " → ".join(str(k) for k in range(count))
    cut = graph.shown([str(k) for k in range(2 * graph.SHOWN + 2)])
    assert cut == " → ".join([*map(str, range(6)), "… (2 more) …", *map(str, range(8, 14))])


def test_follow_orders_cycles_by_their_earliest_row() -> None:
    assert graph.follow(np.array([5, 2, 1, -1, -1, 0])).cycles == [[0, 5], [1, 2]]
