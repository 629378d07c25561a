"""Validate a dataset root: read every table, run every check, return one report with all problems.

Data flows: CSV bytes -> :mod:`csvfile` (structure, string columns) ->
:mod:`checks.cells` (types, vocabularies, row rules) -> :mod:`checks.references`,
:mod:`checks.graph`, :mod:`checks.evidence`, :mod:`checks.dates`, :mod:`checks.curation`
(across rows and tables) -> :class:`Report`. Nothing read is executed, imported or followed
outside the root.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from belarus_data.checks import (
    anchors,
    cells,
    curation,
    dates,
    evidence,
    graph,
    names,
    package,
    partitioned,
    references,
    rootcause,
    versioning,
)
from belarus_data.checks.context import Context, Engine
from belarus_data.history import incremental
from belarus_data.history.revision import snapshot_at
from belarus_data.problems import Report
from belarus_data.storage.arrowpool import release_unused_memory, reusing_memory
from belarus_data.storage.collector import collection_paused
from belarus_data.storage.paths import resolve_root
from belarus_data.storage.snapshot import Snapshot
from belarus_data.storage.tables import TABLES
from belarus_data.summary import summarise

Check = Callable[[Context], None]

# Lanes of checks that share nothing but the tables they read (and the problem list, to which they
# only append): the source texts and what reads what they leave; the paraphrase rule; the rest.
# Their heavy work is in Arrow and numpy kernels, which release the GIL, so on two cores they overlap;
# the table checks are a queue that every thread takes from once its own lane is done (see run_checks).
TEXT_CHECKS: tuple[Check, ...] = (
    evidence.check_source_texts,  # texts and quotes; then quotes_verified is set, for:
    curation.check_quote_in_one_sentence,
)
PARAPHRASE_CHECKS: tuple[Check, ...] = (curation.check_statement_paraphrases,)
_TABLE_CHECKS: tuple[Check, ...] = (
    package.check_descriptor,
    *cells.CELL_CHECKS,
    references.check_unique_keys,
    references.check_foreign_keys,
    references.check_withdrawn_references,
    graph.check_parent_cycles,
    graph.check_parent_levels,
    graph.check_supersession,
    dates.check_past_dates,
    dates.check_reversed_ranges,
    dates.check_dates_before_created,
    dates.check_retrieved_after_published,
    names.check_name_scripts,
    names.check_confusable_aliases,
    *(check for check in curation.CHECKS if check not in TEXT_CHECKS + PARAPHRASE_CHECKS),
    *anchors.CHECKS,
)
# The longest table checks (CPU time at 1M claims, benchmarks/README.md) are taken first, so that the
# last ones to start are short and both threads finish together; the rest keep the order above.
_LONGEST: tuple[Check, ...] = (
    cells.CELLS_OF["claims"],
    references.check_foreign_keys,
    anchors.check_phrases_in_range,
    cells.CELLS_OF["events"],
    cells.CELLS_OF["event_participants"],
    curation.check_events_linked_and_supported,
    names.check_confusable_aliases,
    dates.check_past_dates,
    graph.check_supersession,
    anchors.check_anchor_is_published,
    curation.check_attribution,
)
TABLE_CHECKS: tuple[Check, ...] = (*_LONGEST, *(check for check in _TABLE_CHECKS if check not in _LONGEST))
LANES: tuple[tuple[Check, ...], ...] = (TEXT_CHECKS, PARAPHRASE_CHECKS, TABLE_CHECKS)


# Checks that look at one row at a time (with what that row points at): an incremental validation
# runs them only on the rows in scope. The others compare rows across whole tables.
ROW_CHECKS: frozenset[Check] = frozenset(
    {
        *cells.CELL_CHECKS,
        *TEXT_CHECKS,
        *PARAPHRASE_CHECKS,
        curation.prepare_quote_spans,
        curation.check_prediction_horizon,
        curation.check_attribution,
        names.check_name_scripts,
    }
)


def run_checks(
    ctx: Context, rows: Context | None = None, also: tuple[Check, ...] = (), first: tuple[Check, ...] = ()
) -> None:
    """Run every check: the lanes side by side; row checks on ``rows`` if given.

    The text and paraphrase lanes run their own checks in order (the sentence rule reads what the
    text check leaves), a thread each. The table checks depend on none of the others, so they are
    one queue, which each thread takes from once its own lane is done, and which one more thread
    takes from from the start where there is a core for it (:func:`check_threads`).
    ``also``: more work on the tables that may run at any time (the summary), queued last;
    ``first``: work a lane will need later, queued before the table checks.
    """
    import threading
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    *pinned, independent = LANES
    queue = deque((*first, *independent, *also))
    taking = threading.Lock()

    def next_check() -> Check | None:
        with taking:
            return queue.popleft() if queue else None

    def run(lane: tuple[Check, ...]) -> None:
        for check in lane:
            check(rows if rows is not None and check in ROW_CHECKS else ctx)
        while (taken := next_check()) is not None:
            taken(rows if rows is not None and taken in ROW_CHECKS else ctx)

    lanes = [*pinned, *([()] * (check_threads(len(pinned)) - len(pinned)))]
    with ThreadPoolExecutor(max_workers=len(lanes), thread_name_prefix="belarus-data-check") as pool:
        for lane in [pool.submit(run, lane) for lane in lanes]:
            lane.result()  # re-raises a check's own failure here


def check_threads(pinned: int) -> int:
    """Threads for the checks: one per pinned lane, and one for the table queue alone if a core is left.

    On two cores a third thread only made the threads take turns for the GIL and the cores:
    validate at 100k claims 0.54 -> 0.52 s, at 1M 3.93 -> 3.87 s (fresh processes, alternating).
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(pinned, 1, min(cores, pinned + 1))


def validate(
    root: str | os.PathLike[str] | None = None,
    *,
    engine: Engine = "fast",
    base: str | None = None,
    changed_only: bool = False,
) -> Report:
    """Check the whole dataset and return a :class:`~belarus_data.problems.Report` of every problem.

    ``root`` defaults to the installed data. ``engine="rows"`` validates every row
    with Pydantic (slow, the reference); the default flags rows with vectorised
    checks first and gives the same problems. ``base`` (a git revision) adds the
    versioning rules of :mod:`belarus_data.checks.versioning` against the tables
    at that revision; it raises :class:`~belarus_data.history.git.GitBaseError` if
    the revision cannot be read. With ``changed_only`` (and a base), the checks
    of single rows run only on the rows changed since the base and those that
    depend on them (see :mod:`belarus_data.history.incremental`); ``Report.scope`` says so.

    >>> import belarus_data
    >>> belarus_data.validate().ok
    True
    """
    tree = Snapshot.of_tree(resolve_root(root))
    with reusing_memory(), collection_paused():
        if base is None:
            return _check(tree, None, engine, changed_only=False)
        # The base is resolved first: an unusable revision is a usage error, raised before any work.
        with snapshot_at(tree.root, base) as against:
            return _check(tree, against, engine, changed_only=changed_only)


def _check(tree: Snapshot, base: Snapshot | None, engine: Engine, *, changed_only: bool) -> Report:
    """Every check on ``tree``; the versioning rules (and with ``changed_only``, the scope) against ``base``."""
    ctx = Context(root=tree.root, tables={}, engine=engine)
    if engine == "fast" and partitioned.worth_it(tree):
        return _check_split(tree, ctx, base, changed_only=changed_only)
    if engine == "fast" and not changed_only:
        # The texts are read and hashed while the other tables are parsed (they need only the sources
        # table): the other core is busy from the start.
        sources = tree.parsed("sources", ctx.problems)
        ctx.tables = {} if sources is None else {"sources": sources}
        ctx.texts_ahead = evidence.TextsAhead(ctx)
        try:
            rest = tree.parsed_tables(ctx.problems, skip=("sources",))
        except BaseException:
            ctx.texts_ahead.close()
            raise
        read = rest | ctx.tables
        ctx.tables = {spec.name: read[spec.name] for spec in TABLES if spec.name in read}
    else:
        ctx.tables = tree.parsed_tables(ctx.problems)
    changes = versioning.compare_all(ctx, base) if base is not None else {}
    rows, scope = None, ""
    if changed_only and base is not None:
        planned = incremental.scope(base, ctx.tables, changes)
        if planned.everything is None:
            rows = ctx.narrowed(planned.rows)
            total = sum(t.num_rows for t in ctx.tables.values())
            scope = f"checked {planned.count():,} of {total:,} rows one by one: those changed since {base.label} and those that depend on them"
        else:
            scope = f"checked every row: {planned.everything}"
    summary: dict[str, Any] = {}

    def summarise_tables(ctx: Context) -> None:  # beside the last checks, not after them all
        summary.update(summarise({name: t.data for name, t in ctx.tables.items()}))

    try:
        # The sentence rule's scan of the quotes is done ahead, off the text lane (the longest).
        run_checks(ctx, rows, also=(summarise_tables,), first=(curation.prepare_quote_spans,))
    finally:
        if isinstance(ctx.texts_ahead, evidence.TextsAhead):
            ctx.texts_ahead.close()
    if base is not None:
        versioning.check_against(ctx, base, changes)
    return _report(ctx, base, scope, summary)


def _check_split(tree: Snapshot, ctx: Context, base: Snapshot | None, *, changed_only: bool) -> Report:
    """Every check, with claims.csv streamed and its free text checked a text group at a time (see :mod:`checks.partitioned`).

    Falls back to the whole-table path when the file is not regular (its problems are worded there).
    Every row is checked, ``changed_only`` or not (the scope says so): the versioning rules read only
    the lines that differ from the base (:mod:`history.tablediff`), but the single-row checks of a
    few changed claims would need their free text, which this path holds a group at a time.
    """
    scope = ""
    if changed_only and base is not None:
        scope = (
            f"checked every row: claims.csv is over {partitioned.WHOLE_BYTES >> 20:,} MiB, so its rows are "
            "checked a text group at a time rather than the changed ones alone"
        )
    ctx.tables = tree.parsed_tables(ctx.problems, skip=("claims",))
    planning = ctx.sharing(ctx.tables)
    planning.problems = []  # kept only if the split goes ahead: otherwise the text check plans (and reports) again
    plan = evidence.plan_texts(planning)
    path = tree.file("records/claims.csv")
    split = partitioned.split_claims(path, ctx, plan) if plan is not None and path is not None else None
    if split is None or plan is None:
        claims = tree.parsed("claims", ctx.problems)
        if claims is not None:
            ctx.tables["claims"] = claims
        ctx.tables = {spec.name: ctx.tables[spec.name] for spec in TABLES if spec.name in ctx.tables}
        changes = versioning.compare_all(ctx, base) if base is not None else {}
        run_checks(ctx)
    else:
        ctx.problems.extend(planning.problems)
        ctx.tables["claims"] = split.narrow
        ctx.tables = {spec.name: ctx.tables[spec.name] for spec in TABLES if spec.name in ctx.tables}
        # One after the other, not side by side: the transient memory of the two would add up (the point
        # of this path is a bound on memory; at this size it costs ~5 s of wall time).
        try:
            changes = versioning.compare_all(ctx, base) if base is not None else {}
            cells.check_cells(partitioned.without_claims(ctx))
            for check in TABLE_CHECKS:
                if check not in cells.CELL_CHECKS:
                    check(ctx)
                    release_unused_memory()
            partitioned.check_groups(ctx, plan, split)
        finally:
            split.parts.close()
    if base is not None:
        versioning.check_against(ctx, base, changes)
    return _report(ctx, base, scope)


def _report(ctx: Context, base: Snapshot | None, scope: str, summary: dict[str, Any] | None = None) -> Report:
    ctx.account_for_skips()
    rootcause.fold(ctx)  # one problem per mistake (after the skips are accounted for: it only removes consequences)
    return Report(
        root=str(ctx.root),
        problems=ctx.problems,
        rows={name: t.num_rows for name, t in ctx.tables.items()},
        summary=summary if summary else summarise({name: t.data for name, t in ctx.tables.items()}),
        scope=scope,
        base=base.label if base is not None else None,
        notes=list(ctx.notes),
    )
