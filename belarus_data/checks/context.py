"""What every check reads: the dataset root, its parsed tables, and the problem list."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from belarus_data.problems import Problem
from belarus_data.storage.csvfile import ParsedTable
from belarus_data.storage.tables import Table

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

Engine = Literal["fast", "rows"]


@dataclass
class Context:
    root: Path
    tables: dict[str, ParsedTable]  # only tables whose rows could be read
    problems: list[Problem] = field(default_factory=list)
    engine: Engine = "fast"
    quotes_verified: np.ndarray | None = None  # claims whose quote is exactly at its offsets in its text

    def add(
        self, table: Table | ParsedTable, index: int | None, column: str | None, code: str, message: str, hint: str = ""
    ) -> None:
        parsed = table if isinstance(table, ParsedTable) else self.tables.get(table.name)
        file = parsed.file if parsed is not None else (table.path if isinstance(table, Table) else "")
        line = parsed.line(index) if parsed is not None and index is not None else None
        self.problems.append(Problem(file, line, column, code, message, hint))

    def narrowed(self, rows: dict[str, np.ndarray]) -> Context:
        """A context holding only ``rows`` of each table (with their own line numbers), sharing the problem list."""
        tables = {name: parsed.take(rows[name]) for name, parsed in self.tables.items() if name in rows}
        return Context(root=self.root, tables=tables, problems=self.problems, engine=self.engine)

    def column(self, table: str, name: str) -> pa.ChunkedArray:
        return self.tables[table].data.column(name)

    def values(self, table: str, name: str) -> list[str | None]:
        return self.column(table, name).to_pylist()  # type: ignore[no-any-return]

    def active_mask(self, table: str) -> np.ndarray:
        import pyarrow.compute as pc

        from belarus_data.storage.arrays import mask

        return mask(pc.equal(self.column(table, "record_status"), "active"))
