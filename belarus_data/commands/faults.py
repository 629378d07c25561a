"""Ordinary faults of the machine, not of the data or the code: one located message each, exit code 1.

An unreadable file, a directory that cannot be searched, a read-only or full disk, a file that
vanished while a command ran: each ends a command with one line naming the file, what went wrong
and what to do, never with "internal error" (exit 3, which means a bug in belarus-data).
"""

from __future__ import annotations

import errno
from pathlib import Path

from belarus_data.escaping.terminal import inert
from belarus_data.storage.atomic import CannotWrite

FAULT_EXIT = 1

# errno -> what to do about it. Anything else is not an ordinary fault and stays an internal error.
ADVICE: dict[int, str] = {
    errno.EACCES: "permission denied: make it {verb}able by you (chmod/chown), or run as a user who may {verb} it",
    errno.EPERM: "operation not permitted: make it {verb}able by you (chmod/chown, chattr -i), or run as a user who may",
    errno.EROFS: "the file system is read-only: work in a writable copy of the dataset",
    errno.ENOSPC: "the disk is full: free some space and run the command again (files already there were not changed)",
    errno.EDQUOT: "your disk quota is used up: free some space and run the command again",
    errno.EFBIG: "the file is too large for this file system",
    errno.EISDIR: "it is a directory where a file is expected: move the directory out of the way",
    errno.ENOTDIR: "a part of its path is a file where a directory is expected",
    errno.ENOENT: "it, or a directory on its path, does not exist (moved or deleted while the command ran?)",
    errno.ELOOP: "too many symbolic links (a loop?): replace the links with the real files",
    errno.ENAMETOOLONG: "its name is too long for this file system",
    errno.EIO: "the disk reported an input/output error: check the disk, then run the command again",
    errno.EMFILE: "too many open files: raise the limit (ulimit -n) and run the command again",
    errno.ENFILE: "too many open files on this machine: close some programs and run the command again",
    errno.EBUSY: "the file is busy: close the program using it and run the command again",
    errno.ETXTBSY: "the file is busy: close the program using it and run the command again",
}
# Faults that only writing runs into; the rest are reported as failed reads unless the writer says so.
WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG}


def is_fault(err: BaseException) -> bool:
    """Whether ``err`` is an ordinary fault of the machine (reported by :func:`describe`, exit 1)."""
    return isinstance(err, OSError) and err.errno in ADVICE


def describe(err: OSError, verb: str | None = None) -> str:
    """One line: ``error: cannot VERB FILE: what happened; what to do``.

        >>> import errno
    from pathlib import Path
        >>> describe(PermissionError(errno.EACCES, "Permission denied", "records/claims.csv"))
        'error: cannot read records/claims.csv: permission denied: make it readable by you (chmod/chown), or run as a user who may read it'
        >>> describe(OSError(errno.ENOSPC, "No space left on device"))
        'error: cannot write the output: the disk is full: free some space and run the command again (files already there were not changed)'
    """
    if verb is None:
        verb = "write" if isinstance(err, CannotWrite) or err.errno in WRITE_ERRNOS else "read"
    what = str(err.filename) if err.filename is not None else "the output"
    advice = ADVICE.get(err.errno or 0, err.strerror or str(err)).format(verb=verb.removesuffix("e"))
    return inert(f"error: cannot {verb} {what}: {advice}")


def written_directories(root: Path) -> list[Path]:
    """Where the commands write inside a dataset: the root, records/ and its texts, schema/, docs/."""
    return [root / d for d in (".", "records", "records/texts", "schema", "schema/jsonschema", "docs")]
