"""Located validation problems, the report that collects them, and the loaders' exception."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from belarus_data.escaping.terminal import clip, inert

MAX_SHOWN_CHARS = 2_000  # of a message or hint in one line of output (a message may quote a 100,000-character cell)


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
        """One line for a terminal or a log; every value in it made inert (messages quote cells)."""
        where = self.file + (f":{self.line}" if self.line is not None else "")
        column = f" {self.field}:" if self.field else ""
        hint = f" (fix: {clip(self.hint, MAX_SHOWN_CHARS)})" if self.hint else ""
        return inert(f"{where}: [{self.code}]{column} {clip(self.message, MAX_SHOWN_CHARS)}{hint}")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Note:
    """Something the reader must know about what was (not) checked, though it is not a problem in the data.

    ``code`` is stable (e.g. ``versioning-skipped``), ``message`` says what and why.
    """

    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def counts_by_code(problems: list[Problem]) -> dict[str, int]:
    """How many problems of each code, most frequent first (ties by code).

    >>> counts_by_code([Problem("f", 1, None, "b", "m"), Problem("f", 2, None, "a", "m"), Problem("f", 3, None, "b", "m")])
    {'b': 2, 'a': 1}
    """
    counted = Counter(p.code for p in problems)
    return dict(sorted(counted.items(), key=lambda item: (-item[1], item[0])))


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
    notes: list[Note] = field(default_factory=list)  # what could not be checked, and why
    base: str | None = None  # the revision the versioning rules compared with; None: they did not run

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def errors(self) -> list[Problem]:
        """All problems, sorted by file, line and field."""
        return sorted(set(self.problems), key=lambda p: (p.file, p.line or 0, p.field or "", p.code, p.message))

    def codes(self) -> set[str]:
        return {p.code for p in self.problems}

    def as_dict(self, limit: int | None = None) -> dict[str, Any]:
        """The report as JSON-ready data; with ``limit``, at most that many problems are listed.

        ``problem_count`` and ``problem_counts`` (per code, most frequent first) always count every
        problem; ``errors`` lists the first ``limit`` in file/line order and ``errors_omitted`` says how
        many more there are. ``versioning`` says whether the versioning rules ran (``checked``) and
        against which revision (``base``); ``notes`` say what was not checked and why.
        """
        errors = self.errors
        shown = errors if limit is None else errors[:limit]
        return {
            "ok": self.ok,
            "root": self.root,
            "rows": self.rows,
            "problem_count": len(errors),
            "problem_counts": counts_by_code(errors),
            "errors": [p.as_dict() for p in shown],
            "errors_omitted": len(errors) - len(shown),
            "versioning": {"checked": self.base is not None, "base": self.base},
            "notes": [note.as_dict() for note in self.notes],
            "scope": self.scope,
            "summary": self.summary,
        }


class DatasetError(ValueError):
    """Raised by the loaders when the data they read is invalid.

    ``problems`` holds the same located problems that ``belarus-data validate`` prints.
    """

    SHOWN = 20  # problems worded in the message; all of them are in ``problems``

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0))
        shown = "\n".join(p.as_text() for p in self.problems[: self.SHOWN])
        rest = self.problems[self.SHOWN :]
        more = ""
        if rest:
            per_code = ", ".join(f"{code} {n:,}" for code, n in counts_by_code(rest).items())
            more = "\n" + inert(f"... and {len(rest):,} more ({per_code})")
        super().__init__(f"{len(self.problems)} problem(s) in the dataset:\n{shown}{more}")
