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

from belarus_data.checks import cells, curation, dates, evidence, package, references
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


def validate(root: str | os.PathLike[str] | None = None, *, engine: Engine = "fast") -> Report:
    """Check the whole dataset and return a :class:`~belarus_data.problems.Report` of every problem.

    ``root`` defaults to the installed data. ``engine="rows"`` validates every row
    with Pydantic (slow, the reference); the default flags rows with vectorised
    checks first and gives the same problems.

    >>> import belarus_data
    >>> belarus_data.validate().ok
    True
    """
    base = resolve_root(root)
    ctx = Context(root=base, tables={}, engine=engine)
    read_tables(base, ctx)
    for check in CHECKS:
        check(ctx)
    return Report(
        root=str(base),
        problems=ctx.problems,
        rows={name: t.num_rows for name, t in ctx.tables.items()},
        summary=summarise({name: t.data for name, t in ctx.tables.items()}),
    )
