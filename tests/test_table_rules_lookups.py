"""The table-wide rules' lookups (checks/joins.py and the shortcuts of references, graph, dates and anchors).

Each shortcut answers what the direct computation answers: keys hashed before they are counted, IDs
looked up among the few values that point at them, a claim followed to its source and event once.
The tables are built in memory, split into several blocks as a parsed file is.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from belarus_data.checks import anchors, dates, graph, joins, references
from belarus_data.checks.context import Context
from belarus_data.storage.csvfile import ParsedTable
from belarus_data.storage.tables import table


def blocks(columns: dict[str, list[str | None]], cuts: int = 3) -> pa.Table:
    """A table of string columns in ``cuts + 1`` blocks (a parsed CSV file is many blocks)."""
    data = pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()})
    n = data.num_rows
    at = sorted({0, n, *random.Random(n).sample(range(n + 1), min(cuts, n + 1))})
    return pa.concat_tables([data.slice(a, b - a) for a, b in itertools.pairwise(at)] or [data])


def parsed(name: str, **columns: list[str | None]) -> ParsedTable:
    """A table of ``name`` with every column of its spec (the ones not given empty)."""
    rows = len(next(iter(columns.values())))
    full = {column: columns.get(column, [None] * rows) for column in table(name).columns}
    return ParsedTable(table(name).path, blocks(full), np.arange(2, rows + 2))


def context(*tables: tuple[str, ParsedTable]) -> Context:
    return Context(root=Path("."), tables=dict(tables))


# --- keys hashed before they are counted ---------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "repeat"),
    [
        ([("a", "x"), ("b", "x"), ("a", "y")], False),
        ([("a", "x"), ("b", "x"), ("a", "x")], True),
        ([("a", None), ("a", None), (None, None)], False),  # incomplete keys are the required rule's
        ([("a\x00", "x"), ("a", "\x00x")], False),  # no separator can make two keys equal
        ([], False),
    ],
)
def test_hashed_keys_tell_a_repeat(keys: list[tuple[str | None, str | None]], repeat: bool) -> None:
    data = blocks({"a": [k[0] for k in keys], "b": [k[1] for k in keys]})
    assert joins.keys_may_repeat(data, ("a", "b")) is repeat
    assert joins.keys_may_repeat(data, ("a",)) is (
        len({k[0] for k in keys if k[0] is not None}) < sum(k[0] is not None for k in keys)
    )


def test_duplicate_keys_are_the_same_hashed_or_not(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(16)
    for _ in range(20):
        ids = [rng.choice(["e1", "e2", "e3", None]) for _ in range(12)]
        actors = [rng.choice(["a1", "a2", None]) for _ in range(12)]
        roles = [rng.choice(["target", "source"]) for _ in range(12)]
        tables = (
            ("events", parsed("events", id=ids)),
            ("event_participants", parsed("event_participants", event_id=ids, actor_id=actors, role=roles)),
        )
        counted = context(*tables)
        references.check_unique_keys(counted)
        monkeypatch.setattr(joins, "HASHED_ROWS", 0)
        hashed = context(*tables)
        references.check_unique_keys(hashed)
        monkeypatch.undo()
        assert hashed.problems == counted.problems
        assert any(p.code == "duplicate-key" for p in counted.problems) == (
            len({i for i in ids if i}) < sum(i is not None for i in ids)
            or len({k for k in zip(ids, actors, roles, strict=True) if None not in k})
            < sum(None not in k for k in zip(ids, actors, roles, strict=True))
        )


# --- one lookup per (table, column, target) ------------------------------------------------------


def test_rows_named_are_first_rows_and_kept_per_pair_of_tables() -> None:
    claims = blocks({"source_id": ["s2", None, "s9", "s1", "s2"]})
    sources = blocks({"id": ["s1", "s2", "s2", None]})
    found = joins.rows_named(claims, "source_id", sources)
    assert found.tolist() == [1, -1, -1, 0, 1]
    assert joins.rows_named(claims, "source_id", sources) is found  # asked again: the same lookup
    other = blocks({"id": ["s9"]})
    assert joins.rows_named(claims, "source_id", other).tolist() == [-1, -1, 0, -1, -1]
    with pytest.raises(ValueError, match="read-only"):
        found[0] = 5


def test_rows_named_never_answers_for_a_table_that_is_gone() -> None:
    for k in range(50):  # a new table may get a dead one's id(): its lookup must be its own
        claims = blocks({"source_id": [f"s{k}"]})
        sources = blocks({"id": ["x", f"s{k}"]})
        assert joins.rows_named(claims, "source_id", sources).tolist() == [1]
        del claims, sources


# --- references: the few pointers looked up, not every ID hashed ----------------------------------


def test_unknown_values_either_way_round() -> None:
    ids = pa.chunked_array([["a", "b"], [None, "c"]])
    for column in (["b", "zz", None, "b"], ["a", "b", "c", "d", "e", "zz", None]):  # fewer, more values than IDs
        unknown = references._unknown_values(pa.chunked_array([column]), ids).to_pylist()
        assert unknown == [v for v in dict.fromkeys(column) if v is not None and v not in ("a", "b", "c")]


def test_a_foreign_key_within_and_across_tables() -> None:
    ctx = context(
        ("sources", parsed("sources", id=["s1", "s2", "s2"], superseded_by=[None, "s9", "s1"])),
        ("claims", parsed("claims", id=["c1", "c2", "c3"], source_id=["s2", "s3", None])),
    )
    references.check_foreign_keys(ctx)
    assert [(p.file, p.line, p.field, p.message) for p in ctx.problems] == [
        ("records/sources.csv", 3, "superseded_by", "'s9' is not an id in sources"),
        ("records/claims.csv", 3, "source_id", "'s3' is not an id in sources"),
    ]


# --- graph: successors found from the pointers' side -----------------------------------------------


def test_successors_across_blocks_take_the_first_duplicate() -> None:
    ids = pa.chunked_array([["a", "b"], [None, "b"], ["c", "a"]])
    pointers = pa.chunked_array([[None, "a"], ["c", "c"], ["zz", None]])
    assert graph.successors(ids, pointers).tolist() == [-1, 0, 4, 4, -1, -1]
    assert graph.successors(ids, pa.chunked_array([[None] * 6], pa.string())).tolist() == [-1] * 6


# --- dates: each (event, source) link reported once, in that order -----------------------------------


def test_an_event_dated_after_its_sources_is_reported_once_per_link_in_order() -> None:
    ctx = context(
        ("sources", parsed("sources", id=["s2", "s1"], published=["2020-01-01", "2020-02-01"])),
        (
            "events",
            parsed("events", id=["e2", "e1"], date_edtf=["2021", "2019"], event_status=["occurred", "occurred"]),
        ),
        (
            "claims",
            parsed(
                "claims",
                id=["c1", "c2", "c3", "c4", "c5"],
                source_id=["s2", "s1", "s2", "s1", "s1"],
                event_id=["e2", "e2", "e2", "e1", None],
                claim_type=["assessment"] * 5,
            ),
        ),
    )
    dates.check_past_dates(ctx)
    assert [(p.line, p.message) for p in ctx.problems] == [
        (2, "the occurred event is dated '2021', after s1 was published (2020-02-01)"),
        (2, "the occurred event is dated '2021', after s2 was published (2020-01-01)"),
    ]


# --- anchors: values compared as numbers --------------------------------------------------------------


def test_an_event_anchor_is_judged_against_the_sources_of_its_id() -> None:
    ctx = context(
        ("sources", parsed("sources", id=["s1", "s2", "s3"], published=["2020-01-01", "2020-02-01", None])),
        (
            "events",
            parsed(
                "events",
                id=["e1", "e1", "e2", "e3", "e1"],
                date_anchor=["2020-02-01", "2020-03-01", "2020-01-01", "2020-01-01", "2020-01-01"],
                record_status=["active"] * 5,
            ),
        ),
        (
            "claims",
            parsed(
                "claims",
                id=["c1", "c2", "c3", "c4"],
                source_id=["s1", "s2", "s3", "s1"],
                event_id=["e1", "e1", "e3", None],
                time_anchor=[None, "2020-02-01", None, "2020-02-01"],
                record_status=["active", "active", "active", "active"],
            ),
        ),
    )
    anchors.check_anchor_is_published(ctx)
    assert [(p.file, p.line, p.message) for p in ctx.problems] == [
        ("records/claims.csv", 5, "'2020-02-01' is not the source's published value ('2020-01-01')"),
        (
            "records/events.csv",
            3,  # the second row of e1: its anchor is no published value of e1's sources (the third's is)
            "'2020-03-01' is not the published value of a source that reports this event ('2020-01-01' or '2020-02-01')",
        ),
        (
            "records/events.csv",
            5,
            "'2020-01-01' is not the published value of a source that reports this event "
            "(none: its sources have no published value)",
        ),
    ]
    assert [(s.file, s.lines.tolist(), s.fields) for s in ctx.skips] == [
        ("records/events.csv", [4], ("id", "date_anchor"))
    ]


def test_a_repeated_claim_without_its_long_texts_is_still_told_apart() -> None:
    # The claims the table-wide rules see may lack statement, quote, prefix and suffix.
    full = parsed("claims", id=["c1", "c1"], created=["2025-01-01"] * 2, notes=["a", "b"], statement=["x", "y"])
    narrow = ParsedTable(full.file, full.data.drop_columns(["statement", "quote", "prefix", "suffix"]), full.lines)
    ctx = context(("claims", narrow))
    references.check_unique_keys(ctx)
    [problem] = ctx.problems
    assert (problem.line, problem.code) == (3, "duplicate-key")
    assert "(they differ in notes)" in problem.hint


def test_kept_is_computed_once_while_others_wait_and_again_after_a_failure() -> None:
    import threading
    import time

    data = blocks({"id": ["a", "b"]})
    calls: list[str] = []
    started = threading.Event()

    def slow() -> int:
        calls.append(threading.current_thread().name)
        started.set()
        time.sleep(0.2)
        return 7

    got: list[int] = []
    first = threading.Thread(target=lambda: got.append(joins.kept((data,), ("test-slow",), slow)), name="first")
    first.start()
    assert started.wait(timeout=10)
    got.append(joins.kept((data,), ("test-slow",), slow))  # asked while the first thread computes
    first.join()
    assert got == [7, 7] and calls == ["first"]

    def failing() -> int:
        raise RuntimeError("the lookup failed")

    with pytest.raises(RuntimeError):
        joins.kept((data,), ("test-failing",), failing)
    assert joins.kept((data,), ("test-failing",), lambda: 3) == 3  # nothing left waiting, nothing kept
