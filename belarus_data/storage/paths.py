"""Where the dataset lives, and paths that may never leave it.

The dataset root is a directory holding ``datapackage.json``, ``records/`` and
``schema/``: a git checkout, or the copy installed inside the wheel
(``belarus_data/_data``), found through ``importlib.resources`` only when asked.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from importlib import resources
from pathlib import Path
from typing import BinaryIO

from belarus_data.storage.jsonpos import scan

PACKAGE_NAME = "belarus-data"
REPOSITORY = "https://github.com/belarus-data/belarus-data"  # [project.urls] in pyproject.toml
CLONE_HINT = f"git clone {REPOSITORY}.git"
# Written into the wheel's copy of the dataset by hatch_build.py (never present in a checkout): what the
# build left out, and that this copy is installed data.
INSTALLED_MANIFEST = "installed.json"
MAX_DESCRIPTOR_BYTES = 5 * 1024 * 1024  # datapackage.json is never read past this, by any command
MAX_DESCRIPTOR_DEPTH = 32


# What os.open says of a path that is missing, a link (O_NOFOLLOW), a directory or a device without a reader.
NOT_A_REGULAR_FILE = frozenset({errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.EISDIR, errno.ENXIO, errno.ENODEV})


def open_regular(path: Path) -> BinaryIO | None:
    """``path`` opened for reading if it is a regular file reached without a final link; else None.

    Whatever was checked before (a pull request can swap a file for a link to
    ``/dev/zero`` or for a FIFO at any moment), this is what decides: the open
    neither follows a link nor waits on a FIFO, and ``fstat`` of the open file
    must say it is a regular file, so a device, FIFO, socket or directory is
    never read. A file that exists but cannot be read (permission denied, an I/O
    error) is not "not a regular file": that error propagates, for the command to
    report as a fault of the machine (``commands/faults.py``).
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        if err.errno in NOT_A_REGULAR_FILE:
            return None
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return None
        os.set_blocking(fd, True)
    except OSError:
        os.close(fd)
        return None
    return os.fdopen(fd, "rb")


def read_file(path: Path, limit: int) -> bytes | None:
    """At most ``limit + 1`` bytes of the regular file ``path`` (see :func:`open_regular`); None if it is not one.

    One byte more than the limit is read so that the caller can tell an oversized file from one at the limit.
    """
    handle = open_regular(path)
    if handle is None:
        return None
    with handle:
        try:
            return handle.read(limit + 1)
        except OSError:
            return None


class UnsafePath(ValueError):
    """A path that would lead outside the dataset root, or through a link."""


def is_dataset_root(path: Path) -> bool:
    """Whether ``path`` holds this dataset: ``records/`` beside a ``datapackage.json`` named belarus-data.

    The descriptor may be hostile (a pull request can change it), so its read is
    bounded and its depth measured before parsing. One beside ``records/`` and
    ``schema/`` that cannot be parsed, or names no package, counts as ours but
    broken: then ``validate`` reports it, instead of quietly moving on to
    another root. Only a descriptor naming another package is not ours.
    """
    marker = path / "datapackage.json"
    if not (marker.is_file() and (path / "records").is_dir()):
        return False
    head = read_file(marker, MAX_DESCRIPTOR_BYTES)  # bounded, a regular file only (never a device or FIFO)
    if head is None:
        return (path / "schema").is_dir()  # ours, but the descriptor is not a file: validate says so
    if f'"name": "{PACKAGE_NAME}"'.encode() in head[:4096]:
        return True
    broken_but_ours = (path / "schema").is_dir()
    text = head.decode("utf-8", errors="replace")
    if len(head) > MAX_DESCRIPTOR_BYTES or scan(text, MAX_DESCRIPTOR_DEPTH).too_deep_line is not None:
        return broken_but_ours
    try:
        descriptor = json.loads(text)
    except (ValueError, RecursionError):
        return broken_but_ours
    name = descriptor.get("name") if isinstance(descriptor, dict) else None
    if isinstance(name, str):
        return name == PACKAGE_NAME  # another data package is not ours
    return broken_but_ours


DATASET_PARTS = ("datapackage.json", "records", "schema")


def holds_dataset(path: Path) -> bool:
    """Whether ``path`` is a directory with any part of a dataset (``datapackage.json``, ``records/``, ``schema/``).

    Looser than :func:`is_dataset_root` on purpose: a dataset whose descriptor is
    missing, renamed or broken is still a dataset, for ``validate`` to report
    (exit 1, located); only a directory with none of its parts, or none at all,
    is "no dataset" (a usage error).

    >>> holds_dataset(Path("/nonexistent"))
    False
    """
    if not path.is_dir():
        return False
    return any((path / part).exists() or (path / part).is_symlink() for part in DATASET_PARTS)


def checkout_root(start: Path | None = None) -> Path | None:
    """The belarus-data checkout containing ``start`` (default: the working directory), if any."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if is_dataset_root(candidate):
            return candidate
    return None


def installed_root() -> Path:
    """The data shipped with the installed package (or, in an editable install, its checkout)."""
    package = Path(str(resources.files("belarus_data")))
    bundled = package / "_data"
    if bundled.is_dir():
        return bundled
    return package.parent


def is_installed_data(root: Path) -> bool:
    """Whether ``root`` is a copy of the dataset installed with the package (``site-packages/belarus_data/_data``).

    Either the data of the package running now, or any copy the wheel's build
    marked (``installed.json``) that sits as ``_data`` inside an installed
    ``belarus_data`` package. A checkout is never one: the repository has no
    ``_data`` directory beside the package, and a pull request cannot choose
    where the dataset it is checked in lives.

    >>> is_installed_data(Path("."))
    False
    """
    resolved = root.resolve()
    bundled = Path(str(resources.files("belarus_data"))) / "_data"
    if bundled.is_dir() and resolved == bundled.resolve():
        return True
    return (
        resolved.name == "_data"
        and (resolved / INSTALLED_MANIFEST).is_file()
        and (resolved.parent / "__init__.py").is_file()
    )


class ReadOnlyRoot(Exception):
    """A command that writes was pointed at the installed data, which is read-only."""


def writable_root(root: Path) -> Path:
    """``root``, if a command may write into it; raises :class:`ReadOnlyRoot` for the installed data.

    Every command that writes into a dataset root (``new``, ``fmt``, ``schema``,
    ``annotate``…) calls this first: the copy inside the installed package is
    what ``load_*()`` and ``validate()`` read, and a write there would change
    the package itself (and be lost, or half-lost, at the next upgrade).

    >>> writable_root(Path("records").parent) == Path(".")
    True
    """
    if is_installed_data(root):
        raise ReadOnlyRoot(
            f"no changes made: {root} is the dataset installed with the belarus-data package, which is "
            f"read-only. To add or change records, clone the repository ({CLONE_HINT}) and run the "
            "command inside the checkout (or pass --root CHECKOUT)"
        )
    return root


def resolve_root(root: str | os.PathLike[str] | None = None, *, prefer_checkout: bool = False) -> Path:
    """The dataset root to use: ``root`` if given, else the checkout or the installed data."""
    if root is not None:
        return Path(root).resolve()
    if prefer_checkout:
        found = checkout_root()
        if found is not None:
            return found
    return installed_root()


def inside(root: Path, relative: str) -> Path:
    """``root / relative``, refusing absolute paths, '..', URLs and symbolic links on the way."""
    if not relative or "\x00" in relative or "://" in relative or relative.startswith(("/", "\\")) or ":" in relative:
        raise UnsafePath(f"{relative!r} is not a relative path inside the dataset")
    parts = Path(relative).parts
    if any(part in ("..", "") for part in parts):
        raise UnsafePath(f"{relative!r} steps out of its directory with '..'")
    path = root
    for part in parts:
        path = path / part
        if path.is_symlink():
            raise UnsafePath(f"{relative!r} passes through the symbolic link {part!r}")
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise UnsafePath(f"{relative!r} resolves outside the dataset root")
    return path
