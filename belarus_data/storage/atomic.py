"""Writing files so that an interrupted run never leaves one half-written.

A file is written to a temporary file beside it, ``.<name>.<pid>.<random>.tmp``, flushed to disk and
renamed over it. A run that is killed (SIGKILL, power loss) cannot remove its temporary file; the next
write of the same file removes those whose process is gone (:func:`remove_leftovers`), and
``.gitignore`` ignores ``*.tmp`` so that none is ever committed. A failed write raises
:class:`CannotWrite`, which names the target (not the temporary file) and keeps the ``errno``.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

TEMP_SUFFIX = ".tmp"


class CannotWrite(OSError):
    """Writing ``filename`` failed (permission, read-only or full disk…); the file is as it was before."""


def temp_prefix(path: Path) -> str:
    """The start of every temporary file name for ``path`` made by this process."""
    return f".{path.name}.{os.getpid()}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


_ANY_TARGET = re.compile(r"\..+\.(\d+)\.[^./]+" + re.escape(TEMP_SUFFIX))


def leftovers(directory: Path, pattern: re.Pattern[str] = _ANY_TARGET) -> list[Path]:
    """Temporary files in ``directory`` left by runs that are gone (killed), sorted.

    Only names of this module's pattern count, and only if their process no longer runs on this
    machine, so a concurrent run's temporary file is left alone.
    """
    try:
        candidates = sorted(directory.iterdir())
    except OSError:
        return []
    found = []
    for candidate in candidates:
        match = pattern.fullmatch(candidate.name)
        if match is None or int(match.group(1)) == os.getpid() or _alive(int(match.group(1))):
            continue
        if candidate.is_file() and not candidate.is_symlink():
            found.append(candidate)
    return found


def remove_leftovers(path: Path) -> list[Path]:
    """Remove the temporary files of ``path`` left by killed runs (see :func:`leftovers`); returns them."""
    pattern = re.compile(re.escape(f".{path.name}.") + r"(\d+)\.[^./]+" + re.escape(TEMP_SUFFIX))
    return _remove(leftovers(path.parent, pattern))


def remove_leftovers_in(directory: Path) -> list[Path]:
    """Remove every temporary file in ``directory`` left by killed runs; returns them."""
    return _remove(leftovers(directory))


def _remove(paths: list[Path]) -> list[Path]:
    removed = []
    for path in paths:
        try:
            path.unlink()
        except OSError:
            continue  # not ours to worry about: a write there reports a real problem itself
        removed.append(path)
    return removed


def temporary_beside(path: Path) -> Path:
    """A new, empty temporary file beside ``path`` (owner-only until written), named for :func:`remove_leftovers`."""
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
    os.close(fd)
    return Path(tmp)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename it over ``path``.

    Raises :class:`CannotWrite` (naming ``path``) if any step fails; ``path`` is then unchanged.
    """
    with atomic_file(path) as f:
        f.write(data)


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text with LF line endings atomically."""
    write_bytes(path, text.encode("utf-8"))


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` piece by piece; renamed over ``path`` only if the block completes.

    For outputs too large to hold in memory (exports at millions of rows): the
    same temporary file, flush and rename as :func:`write_bytes`, and on any
    exception the temporary file is removed and ``path`` left as it was.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_file(target) as f:
    ...     _ = f.write(b"one\\n")
    ...     _ = f.write(b"two\\n")
    >>> target.read_bytes()
    b'one\\ntwo\\n'
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(path)
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
    except OSError as err:
        raise CannotWrite(err.errno or errno.EIO, err.strerror or str(err), str(path)) from err
    handed = False
    try:
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        handed = True
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        if not handed:
            os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError) and not isinstance(err, CannotWrite):
            raise CannotWrite(err.errno or errno.EIO, err.strerror or str(err), str(path)) from err
        raise
