"""Reading the dataset as it was at a git revision, for the versioning rules and ``diff``.

git is run as a subprocess with an argument list (never through a shell), only
with ``show``, ``rev-parse``, ``merge-base``, ``cat-file``, ``diff --name-only`` and ``ls-files``,
and only on paths named by the table registry or under the dataset root. A revision that starts with '-' is refused so that
it can never be taken for an option.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from belarus_data.storage.tables import TABLES, Table

if TYPE_CHECKING:
    import pyarrow as pa

MAIN_BRANCH = "main"
GIT_TIMEOUT_SECONDS = 60


class GitBaseError(ValueError):
    """The base revision cannot be used: no git, not a checkout, or an unknown revision."""


@dataclass(frozen=True)
class Row:
    """One record as stored at some revision: its cells (empty cell = None) and physical line."""

    values: dict[str, str | None]
    line: int


@dataclass
class Snapshot:
    """The record tables at one revision (or in the working tree).

    Each table has the schema's columns as strings (empty cell = null) plus
    ``__line``, the row's physical line in its file.
    """

    label: str  # what to call it in messages: a short commit id, or "working tree"
    tables: dict[str, pa.Table]


def _git(
    repo: Path, *args: str, check: bool = True, stdin: bytes | None = None, out: Any = None
) -> subprocess.CompletedProcess[bytes]:
    """Run git in ``repo``; its output is captured, or written straight into the open file ``out``."""
    git = shutil.which("git")
    if git is None:
        raise GitBaseError("git is not installed; install git or leave out --base")
    # A clean environment for git itself: no pager, no prompts, no locale surprises.
    env = {**os.environ, "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            [git, "-C", str(repo), *args],
            input=stdin,
            stdout=out if out is not None else subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise GitBaseError(f"running git failed: {err}") from err
    if check and done.returncode != 0:
        raise GitBaseError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return done


def check_ref(ref: str) -> str:
    """``ref`` if it may be passed to git; refuses empty refs and refs that look like options.

    >>> check_ref("main")
    'main'
    """
    if not ref or ref.startswith("-") or any(ch in ref for ch in "\x00\n\r"):
        raise GitBaseError(f"{ref!r} is not a usable git revision (it must not be empty or start with '-')")
    return ref


def is_checkout(root: Path) -> bool:
    """Whether ``root`` lies inside a git work tree (and git is installed)."""
    try:
        done = _git(root, "rev-parse", "--is-inside-work-tree", check=False)
    except GitBaseError:
        return False
    return done.returncode == 0 and done.stdout.strip() == b"true"


def resolve(root: Path, ref: str) -> str:
    """The full commit id that ``ref`` names in the repository holding ``root``."""
    check_ref(ref)
    done = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", check=False)
    if done.returncode != 0:
        raise GitBaseError(f"{ref!r} is not a commit in the repository at {root}")
    return done.stdout.decode().strip()


def default_base(root: Path) -> str | None:
    """The revision ``validate`` compares with when no ``--base`` is given, or None.

    Inside a git checkout that has a ``main`` branch (local, or ``origin/main``
    in a CI clone) it is the merge-base of HEAD with it: on a pull-request
    branch that is where the branch left main; on main itself it is HEAD, so
    the uncommitted edits in the working tree are checked. Outside git, or
    without a main branch, or when git does not track the dataset, there is no
    base and the versioning rules are skipped.
    """
    if not is_checkout(root):
        return None
    # A dataset that git does not track (e.g. the data installed into a virtual environment
    # that happens to sit inside a checkout) has no history to compare with.
    if _git(root, "ls-files", "--error-unmatch", "--", "datapackage.json", check=False).returncode != 0:
        return None
    for candidate in (MAIN_BRANCH, f"origin/{MAIN_BRANCH}"):
        try:
            main_commit = resolve(root, candidate)
        except GitBaseError:
            continue
        done = _git(root, "merge-base", "HEAD", main_commit, check=False)
        if done.returncode == 0:
            return done.stdout.decode().strip()
    return None


def changed_paths(root: Path, commit: str) -> set[str]:
    """Paths under ``root`` (relative to it) that differ between ``commit`` and the working tree."""
    check_ref(commit)
    done = _git(root, "diff", "--name-only", "--no-renames", "--relative", "-z", "--end-of-options", commit, "--", ".")
    return {path for path in done.stdout.decode("utf-8", "replace").split("\0") if path}


def _prefix(root: Path) -> str:
    """Path of ``root`` inside its repository ('' at the top), as git spells it."""
    return _git(root, "rev-parse", "--show-prefix").stdout.decode().strip()


def show(root: Path, commit: str, relative: str) -> bytes | None:
    """The bytes of ``relative`` (a path under ``root``) at ``commit``, or None if it did not exist there."""
    check_ref(commit)
    spec = f"{commit}:{_prefix(root)}{relative}"
    exists = _git(root, "cat-file", "-e", spec, check=False)
    if exists.returncode != 0:
        return None
    return _git(root, "show", spec).stdout


def show_all(root: Path, commit: str, relatives: list[str]) -> dict[str, bytes | None]:
    """:func:`show` for each of ``relatives``, from one ``git cat-file --batch``.

    A git process costs milliseconds; three per file made reading a snapshot a
    tenth of a cold ``validate``. Anything but a file (e.g. a directory) is left
    to :func:`show`, so the answers are the same.
    """
    check_ref(commit)
    prefix = _prefix(root)
    specs = "".join(f"{commit}:{prefix}{relative}\n" for relative in relatives)
    out = _git(root, "cat-file", "--batch", stdin=specs.encode("utf-8")).stdout
    found: dict[str, bytes | None] = {}
    at = 0
    for relative in relatives:
        end = out.index(b"\n", at)
        header, at = out[at:end], end + 1
        if header.endswith((b" missing", b" ambiguous")):
            found[relative] = None
            continue
        _, kind, size = header.split(b" ")
        content, at = out[at : at + int(size)], at + int(size) + 1  # each object is followed by a newline
        found[relative] = content if kind == b"blob" else show(root, commit, relative)
    return found


def parse_rows(data: bytes, table: Table, *, keep_duplicates: bool = False) -> dict[Any, Row]:
    """Rows of a stored table keyed by primary key (first occurrence wins; broken rows are skipped).

    With ``keep_duplicates`` the dict is keyed by line instead, so that every row is kept.

    The base has passed validation when it was merged, so this reader is lenient:
    it only needs the values, and the working tree is validated strictly anyway.
    """
    text = data.decode("utf-8", "replace").removeprefix("\ufeff").replace("\r\n", "\n")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return {}
    rows: dict[Any, Row] = {}
    try:
        for cells in reader:
            if len(cells) != len(header):
                continue
            values = {name: (cell or None) for name, cell in zip(header, cells, strict=True)}
            key = reader.line_num if keep_duplicates else tuple(values.get(k) for k in table.primary_key)
            rows.setdefault(key, Row(values, reader.line_num))
    except csv.Error:
        pass
    return rows


LINE = "__line"


def read_arrow(data: bytes | None, table: Table) -> pa.Table:
    """A stored table as string columns in schema order plus ``__line``; empty if ``data`` is None.

    Columns the file lacks (an older schema) are null; columns it has beyond the
    schema are dropped. Irregular files fall back to :func:`parse_rows`.
    """
    import numpy as np
    import pyarrow as pa

    from belarus_data.storage.csvfile import parse_fast

    columns = table.columns
    if data is None:
        return pa.table({**{c: pa.array([], pa.string()) for c in columns}, LINE: pa.array([], pa.int64())})
    # The common case (a clean canonical file) is parsed from its bytes, without decoding it first.
    clean = not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data and data.endswith(b"\n")
    if not clean:
        text = data.decode("utf-8", "replace").removeprefix("\ufeff").replace("\r\n", "\n")
        data = (text if text.endswith("\n") else text + "\n").encode("utf-8")
    header_line = data[: data.find(b"\n")].decode("utf-8", "replace")
    try:
        header = next(csv.reader([header_line], strict=True))
    except (csv.Error, StopIteration):
        header = []
    parsed = parse_fast(data, header) if header and len(set(header)) == len(header) else None
    if parsed is not None and parsed.num_rows == data.count(b"\n") - 1:
        lines = np.arange(2, parsed.num_rows + 2, dtype=np.int64)
        cells = {c: parsed.column(c) if c in header else pa.nulls(parsed.num_rows, pa.string()) for c in columns}
    else:
        rows = list(parse_rows(data, table, keep_duplicates=True).values())
        lines = np.array([r.line for r in rows], dtype=np.int64)
        cells = {c: pa.array([r.values.get(c) for r in rows], pa.string()) for c in columns}
    return pa.table({**cells, LINE: pa.array(lines)})


def snapshot_at(root: Path, ref: str) -> Snapshot:
    """Every record table of the dataset at ``ref``.

    >>> snap = snapshot_at(Path("."), "HEAD")  # doctest: +SKIP
    >>> sorted(snap.tables)  # doctest: +SKIP
    ['actor_aliases', 'actors', 'claims', 'event_participants', 'events', 'sources']
    """
    commit = resolve(root, ref)
    stored = show_all(root, commit, [table.path for table in TABLES])
    tables = {table.name: read_arrow(stored[table.path], table) for table in TABLES}
    return Snapshot(commit[:12], tables)


@dataclass
class StoredBase:
    """The record files as stored at one revision, for those that differ from the working tree.

    A table not in ``files`` is byte for byte the same as at the base. A file in
    it is stored in a temporary file (kept until this object goes), or None when
    the base did not have it.
    """

    label: str  # a short commit id, for messages
    files: dict[str, Path | None]  # table name -> the stored bytes, in a temporary file
    keep: Any = None  # the temporary directory holding them


def untracked_paths(root: Path) -> set[str]:
    """Files under ``root`` (relative to it) that git does not track and does not ignore."""
    done = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
    prefix = _prefix(root)
    return {p.removeprefix(prefix) for p in done.stdout.decode("utf-8", "replace").split("\0") if p}


def stored_at(root: Path, ref: str) -> StoredBase:
    """The record files of the dataset at ``ref`` that differ from the working tree.

    git writes each one straight into a temporary file, which the comparison
    maps into memory a block at a time: a 700 MB table is neither piped through
    Python nor held in it. Unchanged tables are not read at all.
    """
    import tempfile

    commit = resolve(root, ref)
    differ = changed_paths(root, commit) | untracked_paths(root)
    folder = tempfile.TemporaryDirectory(prefix="belarus-data-base-")
    prefix = _prefix(root)
    files: dict[str, Path | None] = {}
    for table in TABLES:
        if table.path not in differ:
            continue
        spec = f"{commit}:{prefix}{table.path}"
        if _git(root, "cat-file", "-e", spec, check=False).returncode != 0:
            files[table.name] = None
            continue
        target = Path(folder.name) / f"{table.name}.csv"
        with target.open("wb") as out:
            _git(root, "cat-file", "blob", spec, out=out)
        files[table.name] = target
    return StoredBase(commit[:12], files, folder)


def snapshot_of_tree(root: Path) -> Snapshot:
    """Every record table as it is in the working tree under ``root``."""
    tables = {}
    for table in TABLES:
        path = root / table.path
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else None
        tables[table.name] = read_arrow(data, table)
    return Snapshot("working tree", tables)
