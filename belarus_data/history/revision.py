"""A git revision as a place to read the dataset from: the :class:`~belarus_data.storage.snapshot.Place` of history.

>>> with snapshot_at(Path("."), "main") as base:  # doctest: +SKIP
...     sorted(base.tables)
['actor_aliases', 'actors', 'claims', 'event_participants', 'events', 'sources']
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from belarus_data.history import git
from belarus_data.storage.snapshot import Snapshot


class Revision:
    """The dataset under ``root`` as commit ``ref`` stored it.

    The revision is resolved when the object is made, so an unusable one is a
    :class:`~belarus_data.history.git.GitBaseError` before any other work.
    Files asked for as paths are written by git into a temporary folder, kept
    until :meth:`close` (or until the object goes).
    """

    def __init__(self, root: Path, ref: str) -> None:
        self._root = root
        self.commit = git.resolve(root, ref)
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._files: dict[str, Path | None] = {}
        self._changed: set[str] | None = None  # each asked of git once
        self._untracked: set[str] | None = None

    @property
    def root(self) -> Path:
        return self._root

    @property
    def label(self) -> str:
        return self.commit[:12]

    def read(self, relatives: list[str]) -> dict[str, bytes | None]:
        return git.show_all(self._root, self.commit, relatives)

    def file(self, relative: str) -> Path | None:
        if relative not in self._files:
            if self._folder is None:
                self._folder = tempfile.TemporaryDirectory(prefix="belarus-data-base-")
            target = Path(self._folder.name) / f"{len(self._files)}-{Path(relative).name}"
            self._files[relative] = target if git.write_blob(self._root, self.commit, relative, target) else None
        return self._files[relative]

    def changed_paths(self) -> set[str]:
        if self._changed is None:
            self._changed = git.changed_paths(self._root, self.commit)
        return self._changed

    def untracked_paths(self) -> set[str]:
        if self._untracked is None:
            self._untracked = git.untracked_paths(self._root)
        return self._untracked

    def close(self) -> None:
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None
            self._files.clear()


def snapshot_at(root: Path, ref: str) -> Snapshot:
    """The dataset under ``root`` at git revision ``ref``; raises ``GitBaseError`` if it cannot be read."""
    return Snapshot(Revision(root, ref))
