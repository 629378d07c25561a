"""Located validation problems, the report that collects them, and the loaders' exception."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, located precisely enough to fix it.

    ``line`` is the physical line in ``file`` (1-based; the header is line 1),
    or None when the problem concerns the whole file.
    """

    file: str
    line: int | None
    field: str | None
    code: str
    message: str
    hint: str = ""

    def as_text(self) -> str:
        where = self.file + (f":{self.line}" if self.line is not None else "")
        column = f" {self.field}:" if self.field else ""
        hint = f" (fix: {self.hint})" if self.hint else ""
        return f"{where}: [{self.code}]{column} {self.message}{hint}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Report:
    """The outcome of validating a dataset root: every problem found, and row counts.

    >>> Report().ok
    True
    """

    root: str = ""
    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    scope: str = ""  # what was checked row by row, when not every row (see belarus_data.history.incremental)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def errors(self) -> list[Problem]:
        """All problems, sorted by file, line and field."""
        return sorted(set(self.problems), key=lambda p: (p.file, p.line or 0, p.field or "", p.code, p.message))

    def codes(self) -> set[str]:
        return {p.code for p in self.problems}

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "root": self.root,
            "rows": self.rows,
            "errors": [p.as_dict() for p in self.errors],
            "summary": self.summary,
        }


class DatasetError(ValueError):
    """Raised by the loaders when the data they read is invalid.

    ``problems`` holds the same located problems that ``belarus-data validate`` prints.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0))
        shown = "\n".join(p.as_text() for p in self.problems[:20])
        more = f"\n... and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the dataset:\n{shown}{more}")
