"""Validate a dataset root: read every table, run every check, return one report with all problems.

Data flows: CSV bytes -> :mod:`csvfile` (structure, string columns) ->
:mod:`checks.cells` (types, vocabularies, row rules) -> :mod:`checks.references`,
:mod:`checks.evidence`, :mod:`checks.dates`, :mod:`checks.curation` (across
tables) -> :class:`Report`. Nothing read is executed, imported or followed
outside the root.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from belarus_data import gitbase
from belarus_data.checks import cells, curation, dates, evidence, package, references, versioning
from belarus_data.checks.context import Context, Engine
from belarus_data.csvfile import read_table
from belarus_data.paths import resolve_root
from belarus_data.problems import Report
from belarus_data.summary import summarise
from belarus_data.tables import TABLES

Check = Callable[[Context], None]

CHECKS: tuple[Check, ...] = (
    package.check_descriptor,
    cells.check_cells,
    references.check_unique_keys,
    references.check_foreign_keys,
    references.check_withdrawn_references,
    evidence.check_source_texts,
    evidence.check_quotes,
    dates.check_past_dates,
    *curation.CHECKS,
)


def read_tables(root: Path, ctx: Context) -> None:
    for table in TABLES:
        parsed = read_table(root / table.path, table.path, table.columns, ctx.problems)
        if parsed is not None:
            ctx.tables[table.name] = parsed


def validate(root: str | os.PathLike[str] | None = None, *, engine: Engine = "fast", base: str | None = None) -> Report:
    """Check the whole dataset and return a :class:`~belarus_data.problems.Report` of every problem.

    ``root`` defaults to the installed data. ``engine="rows"`` validates every row
    with Pydantic (slow, the reference); the default flags rows with vectorised
    checks first and gives the same problems. ``base`` (a git revision) adds the
    versioning rules of :mod:`belarus_data.checks.versioning` against the tables
    at that revision; it raises :class:`~belarus_data.gitbase.GitBaseError` if
    the revision cannot be read.

    >>> import belarus_data
    >>> belarus_data.validate().ok
    True
    """
    dataset = resolve_root(root)
    # Read the base first: an unusable revision is a usage error, raised before any work.
    snapshot = gitbase.snapshot_at(dataset, base) if base is not None else None
    ctx = Context(root=dataset, tables={}, engine=engine)
    read_tables(dataset, ctx)
    for check in CHECKS:
        check(ctx)
    if snapshot is not None:
        versioning.check_against(ctx, snapshot)
    return Report(
        root=str(dataset),
        problems=ctx.problems,
        rows={name: t.num_rows for name, t in ctx.tables.items()},
        summary=summarise({name: t.data for name, t in ctx.tables.items()}),
    )
