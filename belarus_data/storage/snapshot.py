"""The dataset at one place, the working tree or a git revision, read through one reader.

A :class:`Snapshot` reads its files from a :class:`Place`: :class:`WorkingTree`
(the files under a dataset root) or a git revision
(:class:`belarus_data.history.revision.Revision`, which implements the same
protocol from above this layer). Whatever the place, tables are parsed by
:mod:`belarus_data.storage.csvfile`: strictly (every structural problem worded)
for validation, tolerantly (values and lines only) for comparing two places.
Validation, the versioning rules, ``diff``, the incremental scope and ``new``
all ask a snapshot for tables; none of them reads a record file or runs git
itself.

>>> tree = Snapshot.of_tree(Path("."))  # doctest: +SKIP
>>> tree.tables["claims"].num_rows  # doctest: +SKIP
44
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from belarus_data.storage.csvfile import MAX_FILE_BYTES, ParsedTable, missing, read_arrow, read_table
from belarus_data.storage.paths import read_file
from belarus_data.storage.tables import TABLES, table

if TYPE_CHECKING:
    from types import TracebackType

    import pyarrow as pa

    from belarus_data.problems import Problem


class Place(Protocol):
    """Where a snapshot's files come from, and how they differ from the working tree under the same root."""

    @property
    def root(self) -> Path:
        """The dataset root (for a revision: the root in the checkout that holds it)."""
        ...

    @property
    def label(self) -> str:
        """What to call the place in messages: "working tree", or a short commit id."""
        ...

    def read(self, relatives: list[str]) -> dict[str, bytes | None]:
        """The bytes of each file (a path relative to the root) at this place; None if it has no such file."""
        ...

    def file(self, relative: str) -> Path | None:
        """Where ``relative`` is on disk at this place, to be read (and checked: missing, a link, too large).

        None when the place knows it has no such file.
        """
        ...

    def changed_paths(self) -> set[str]:
        """Tracked paths under the root whose content here differs from the working tree."""
        ...

    def untracked_paths(self) -> set[str]:
        """Paths in the working tree that this place cannot know of (not tracked, not ignored)."""
        ...

    def close(self) -> None:
        """Let go of whatever the place holds (e.g. temporary files)."""
        ...


class WorkingTree:
    """The files as they are under ``root``: the place that every other place is compared with."""

    label = "working tree"

    def __init__(self, root: Path) -> None:
        self._root = root

    @property
    def root(self) -> Path:
        return self._root

    def read(self, relatives: list[str]) -> dict[str, bytes | None]:
        found: dict[str, bytes | None] = {}
        for relative in relatives:
            path = self._root / relative
            # Regular files only (never a link, device or FIFO), and no more than a record file may hold.
            found[relative] = None if path.is_symlink() else read_file(path, MAX_FILE_BYTES)
        return found

    def file(self, relative: str) -> Path | None:
        # Always the path: the strict reader says what is wrong with it (missing, a link on the way, too large).
        return self._root / relative

    def changed_paths(self) -> set[str]:
        return set()

    def untracked_paths(self) -> set[str]:
        return set()

    def close(self) -> None:
        pass


class Snapshot:
    """The record tables (and any other file) of the dataset at one :class:`Place`.

    Use it as a context manager, or call :meth:`close`, to let go of what the
    place holds as soon as it is no longer needed.
    """

    def __init__(self, place: Place) -> None:
        self.place = place

    @classmethod
    def of_tree(cls, root: Path) -> Snapshot:
        """The working tree under ``root``."""
        return cls(WorkingTree(root))

    @property
    def root(self) -> Path:
        return self.place.root

    @property
    def label(self) -> str:
        return self.place.label

    @cached_property
    def tables(self) -> dict[str, pa.Table]:
        """Every record table, read tolerantly: the schema's columns as strings (empty cell = null) plus ``__line``.

        A table the place lacks is empty. All files are asked of the place at once
        (for a revision: one git process).
        """
        stored = self.place.read([spec.path for spec in TABLES])
        return {spec.name: read_arrow(stored[spec.path], spec) for spec in TABLES}

    def table(self, name: str) -> pa.Table:
        """Table ``name`` read tolerantly, as in :attr:`tables`, without reading the others."""
        spec = table(name)
        if "tables" in self.__dict__:  # already read with the rest
            return self.tables[name]
        return read_arrow(self.place.read([spec.path])[spec.path], spec)

    def parsed(self, name: str, problems: list[Problem]) -> ParsedTable | None:
        """Table ``name`` read strictly: every structural problem goes to ``problems``; None if no row can be read."""
        spec = table(name)
        path = self.place.file(spec.path)
        if path is None:
            problems.append(missing(spec.path))
            return None
        return read_table(path, spec.path, spec.columns, problems)

    def parsed_tables(self, problems: list[Problem], skip: tuple[str, ...] = ()) -> dict[str, ParsedTable]:
        """Every table whose rows can be read (but those named in ``skip``), read strictly (see :meth:`parsed`)."""
        found = {}
        for spec in TABLES:
            if spec.name in skip:
                continue
            parsed = self.parsed(spec.name, problems)
            if parsed is not None:
                found[spec.name] = parsed
        return found

    def file(self, relative: str) -> Path | None:
        """Where ``relative`` (a record file, a source text) is on disk here; None if this place has none."""
        return self.place.file(relative)

    def changed_paths(self) -> set[str]:
        """Tracked paths whose content here may differ from the working tree (none, for the working tree)."""
        return self.place.changed_paths()

    def differs_from_tree(self, relative: str) -> bool:
        """Whether ``relative`` may differ between here and the working tree (changed, or untracked there)."""
        return relative in self.place.changed_paths() or relative in self.place.untracked_paths()

    def close(self) -> None:
        self.place.close()

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
