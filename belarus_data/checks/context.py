"""What every check reads: the dataset root, its parsed tables, and the problem list.

A check that cannot evaluate a row because one of its inputs is invalid says so
with :meth:`Context.skipped`; the row (or the row it depends on, e.g. a claim's
source) must then carry a problem. :meth:`Context.account_for_skips`, run after
every check, reports any skipped row that does not, so a skip is never silent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from belarus_data.problems import Note, Problem
from belarus_data.storage.csvfile import ParsedTable
from belarus_data.storage.tables import Table

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

Engine = Literal["fast", "rows"]


@dataclass(frozen=True)
class Skip:
    """Rows one check could not evaluate (physical lines of ``file``), and where else their problem may be."""

    file: str
    lines: np.ndarray
    fields: tuple[str, ...]  # a problem at one of these fields of the row explains the skip
    reason: str
    upstream_file: str | None = None
    upstream_lines: np.ndarray | None = None  # aligned with ``lines``; -1: none


@dataclass
class Context:
    root: Path
    tables: dict[str, ParsedTable]  # only tables whose rows could be read
    problems: list[Problem] = field(default_factory=list)
    engine: Engine = "fast"
    quotes_verified: np.ndarray | None = None  # claims whose quote is exactly at its offsets in its text
    skips: list[Skip] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # what a check could not do, by design (not a problem)
    texts_ahead: object | None = None  # evidence.TextsAhead: source texts loaded while the claims are parsed

    def add(
        self, table: Table | ParsedTable, index: int | None, column: str | None, code: str, message: str, hint: str = ""
    ) -> None:
        parsed = table if isinstance(table, ParsedTable) else self.tables.get(table.name)
        file = parsed.file if parsed is not None else (table.path if isinstance(table, Table) else "")
        line = parsed.line(index) if parsed is not None and index is not None else None
        self.problems.append(Problem(file, line, column, code, message, hint))

    def narrowed(self, rows: dict[str, np.ndarray]) -> Context:
        """A context holding only ``rows`` of each table (with their own line numbers), sharing the problem list."""
        return self.sharing({name: parsed.take(rows[name]) for name, parsed in self.tables.items() if name in rows})

    def sharing(self, tables: dict[str, ParsedTable]) -> Context:
        """A context over ``tables`` that reports into this one's problem, skip and note lists."""
        return Context(
            root=self.root,
            tables=tables,
            problems=self.problems,
            engine=self.engine,
            skips=self.skips,
            notes=self.notes,
        )

    def skipped(
        self,
        table: Table,
        rows: Sequence[int] | np.ndarray,
        fields: tuple[str, ...],
        reason: str,
        *,
        upstream: tuple[Table, np.ndarray] | None = None,
    ) -> None:
        """``rows`` of ``table`` were not evaluated by a check because an input is invalid (``reason`` says which).

        Each must carry a problem at one of ``fields`` of its own line, or at the
        row of ``upstream`` (a table and, aligned with ``rows``, the row each
        depends on; -1 for none).
        """
        import numpy as np

        parsed = self.tables[table.name]
        indices = np.asarray(rows, dtype=np.int64)
        if len(indices) == 0:
            return
        found = None
        other = self.tables.get(upstream[0].name) if upstream is not None else None
        if upstream is not None and other is not None and other.num_rows:
            at = np.asarray(upstream[1], dtype=np.int64)
            found = (other.file, np.where(at >= 0, other.lines[np.maximum(at, 0)], -1))
        self.skips.append(Skip(parsed.file, parsed.lines[indices], fields, reason, *(found or (None, None))))

    def account_for_skips(self) -> None:
        """Report every skipped row that carries no problem (neither at its line nor upstream): never a silent skip."""
        if not self.skips:
            return
        at_field = {(p.file, p.line, p.field) for p in self.problems}
        at_line = {(p.file, p.line) for p in self.problems}
        for skip in self.skips:
            upstream = skip.upstream_lines if skip.upstream_lines is not None else [-1] * len(skip.lines)
            for line, other in zip(skip.lines.tolist(), list(upstream), strict=True):
                explained = any((skip.file, line, name) in at_field for name in skip.fields)
                if not explained and (skip.upstream_file, int(other)) not in at_line:
                    at_field.update((skip.file, line, name) for name in skip.fields)
                    self.problems.append(
                        Problem(
                            skip.file,
                            line,
                            skip.fields[0],
                            "check-skipped",
                            f"a check could not evaluate this row ({skip.reason}) and no problem explains why",
                            "fix the value named; if it looks right, report this as a bug in belarus-data",
                        )
                    )

    def column(self, table: str, name: str) -> pa.ChunkedArray:
        return self.tables[table].data.column(name)

    def values(self, table: str, name: str) -> list[str | None]:
        return self.column(table, name).to_pylist()  # type: ignore[no-any-return]

    def active_mask(self, table: str) -> np.ndarray:
        import pyarrow.compute as pc

        from belarus_data.storage.arrays import mask

        return mask(pc.equal(self.column(table, "record_status"), "active"))
