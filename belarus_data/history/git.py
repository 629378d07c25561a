"""Running git: resolving revisions, listing what changed, and reading files as a revision stored them.

git is run as a subprocess with an argument list (never through a shell), only
with ``rev-parse``, ``merge-base``, ``cat-file``, ``show``, ``diff-index``, ``diff-files`` and ``ls-files``,
and only on paths named by the table registry or under the dataset root. A revision that starts
with '-' is refused so that it can never be taken for an option. This module hands out bytes and
file paths; parsing them is :mod:`belarus_data.storage.csvfile`'s job.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

MAIN_BRANCH = "main"
GIT_TIMEOUT_SECONDS = 60


# Reading a large blob out of a pack maps the pack in windows of this size, at most this much at once.
SMALL_PACK_WINDOWS = ("-c", "core.packedGitWindowSize=32m", "-c", "core.packedGitLimit=128m")


class GitBaseError(ValueError):
    """The base revision cannot be used: no git, not a checkout, or an unknown revision."""


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


def _is_shallow(root: Path) -> bool:
    done = _git(root, "rev-parse", "--is-shallow-repository", check=False)
    return done.returncode == 0 and done.stdout.strip() == b"true"


SHALLOW_HINT = (
    "the clone is shallow: fetch the history (git fetch --unshallow origin, or actions/checkout with fetch-depth: 0)"
)


def resolve(root: Path, ref: str) -> str:
    """The full commit id that ``ref`` names in the repository holding ``root``."""
    check_ref(ref)
    done = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", check=False)
    if done.returncode != 0:
        hint = f"; {SHALLOW_HINT}" if _is_shallow(root) else ""
        raise GitBaseError(f"{ref!r} is not a commit in the repository at {root}{hint}")
    return done.stdout.decode().strip()


def find_base(root: Path) -> tuple[str | None, str]:
    """The revision ``validate`` compares with when no ``--base`` is given, or None and why there is none.

    Inside a git checkout that has a ``main`` branch (local, or ``origin/main``
    in a CI clone) it is the merge-base of HEAD with it: on a pull-request
    branch that is where the branch left main; on main itself it is HEAD, so
    the uncommitted edits in the working tree are checked. Outside git, without
    git, without a main branch, without a common commit (a shallow clone), or
    when git does not track the dataset, there is no base: the reason is
    returned so that the report can say the versioning rules did not run.
    """
    if shutil.which("git") is None:
        return None, "git is not installed (install git, or give --no-base to skip these rules knowingly)"
    if not is_checkout(root):
        return None, f"{root} is not inside a git checkout (the installed data, or a copy without .git)"
    # A dataset that git does not track (e.g. the data installed into a virtual environment
    # that happens to sit inside a checkout) has no history to compare with.
    if _git(root, "ls-files", "--error-unmatch", "--", "datapackage.json", check=False).returncode != 0:
        return None, "git does not track this dataset (datapackage.json is not committed in the checkout around it)"
    found_main = False
    for candidate in (MAIN_BRANCH, f"origin/{MAIN_BRANCH}"):
        try:
            main_commit = resolve(root, candidate)
        except GitBaseError:
            continue
        found_main = True
        done = _git(root, "merge-base", "HEAD", main_commit, check=False)
        if done.returncode == 0:
            return done.stdout.decode().strip(), ""
    shallow = f"; {SHALLOW_HINT}" if _is_shallow(root) else ""
    if not found_main:
        return None, (
            f"the repository has neither a branch {MAIN_BRANCH} nor {'origin/' + MAIN_BRANCH} to compare with "
            f"(git fetch origin {MAIN_BRANCH}, or give --base REF){shallow}"
        )
    return None, f"HEAD has no commit in common with {MAIN_BRANCH} (give --base REF){shallow}"


def default_base(root: Path) -> str | None:
    """The revision ``validate`` compares with when no ``--base`` is given, or None (see :func:`find_base`)."""
    return find_base(root)[0]


def changed_paths(root: Path, commit: str) -> set[str]:
    """Paths under ``root`` (relative to it) that may differ between ``commit`` and the working tree.

    Every path that differs is listed; so is a path staged differently and then put back in the tree
    (its comparison then finds nothing). Two lists git keeps without reading any file: paths staged differently from
    ``commit`` (``diff-index --cached``), and paths whose file's size or times no
    longer match the index (``diff-files``). A file in the second list only because
    it was touched (an editor, ``fmt``, a checkout) is hashed here as git would hash
    it, a block at a time, and kept only if that differs from the index. ``git diff``
    compared such a file itself, holding both versions whole: for claims.csv at
    2M claims 4.1 GB and 34 s (over a minute, its time limit, at ~4M).
    """
    check_ref(commit)
    staged = _names(
        _git(root, "diff-index", "--cached", "--name-only", "--relative", "-z", "--end-of-options", commit, "--", ".")
    )
    touched = _names(_git(root, "diff-files", "--name-only", "--relative", "-z", "--", ".")) - staged
    if touched:
        stored = _index_ids(root)
        kind = _git(root, "rev-parse", "--show-object-format").stdout.decode().strip() or "sha1"
        touched = {path for path in touched if path not in stored or _blob_id(root / path, kind) != stored[path]}
    return staged | touched


def _names(done: subprocess.CompletedProcess[bytes]) -> set[str]:
    return {os.fsdecode(path) for path in done.stdout.split(b"\0") if path}


def _index_ids(root: Path) -> dict[str, str]:
    """The object id the index holds for each file under ``root`` (relative to it)."""
    found: dict[str, str] = {}
    for entry in _git(root, "ls-files", "--stage", "-z", "--", ".").stdout.split(b"\0"):
        if entry:
            fields, _, path = entry.partition(b"\t")
            found[os.fsdecode(path)] = fields.split(b" ")[1].decode("ascii")
    return found


def _blob_id(path: Path, kind: str) -> str | None:
    """The id git gives a regular file's bytes as a blob (no filters applied); None for anything else.

    A file git would store differently (a clean filter, line-ending conversion) gets another id, and
    is then compared as changed: slower, never wrong.
    """
    import hashlib

    from belarus_data.storage.paths import open_regular

    try:
        handle = open_regular(path)
    except OSError:
        return None
    if handle is None:
        return None
    with handle:
        digest = hashlib.new(kind, b"blob %d\0" % os.fstat(handle.fileno()).st_size)
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _prefix(root: Path) -> str:
    """Path of ``root`` inside its repository ('' at the top), as git spells it."""
    return _prefix_of(root.resolve())  # resolved: a relative root means another place after a chdir


@lru_cache(maxsize=64)  # one git process per root, not one per file read
def _prefix_of(root: Path) -> str:
    return _git(root, "rev-parse", "--show-prefix").stdout.decode().strip()


def _present(root: Path, commit: str, relative: str) -> str | None:
    """git's name for ``relative`` (a path under ``root``) at ``commit``, or None if it did not exist there."""
    check_ref(commit)
    spec = f"{commit}:{_prefix(root)}{relative}"
    return spec if _git(root, "cat-file", "-e", spec, check=False).returncode == 0 else None


def show(root: Path, commit: str, relative: str) -> bytes | None:
    """The bytes of ``relative`` (a path under ``root``) at ``commit``, or None if it did not exist there."""
    spec = _present(root, commit, relative)
    return _git(root, "show", spec).stdout if spec is not None else None


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


def write_blob(root: Path, commit: str, relative: str, target: Path) -> bool:
    """Write ``relative`` (a path under ``root``) as stored at ``commit`` into ``target``; False if absent there.

    git writes the blob straight into the file: a 700 MB table is neither piped
    through Python nor held in it; nor in git, whose pack is mapped a few small
    windows at a time (by default git maps up to 1 GiB of it at once, resident
    as it is read).
    """
    spec = _present(root, commit, relative)
    if spec is None:
        return False
    with target.open("wb") as out:
        _git(root, *SMALL_PACK_WINDOWS, "cat-file", "blob", spec, out=out)
    return True


def untracked_paths(root: Path) -> set[str]:
    """Files under ``root`` (relative to it) that git does not track and does not ignore."""
    done = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
    prefix = _prefix(root)
    return {p.removeprefix(prefix) for p in done.stdout.decode("utf-8", "replace").split("\0") if p}
