"""Where the dataset lives, and paths that may never leave it.

The dataset root is a directory holding ``datapackage.json``, ``records/`` and
``schema/``: a git checkout, or the copy installed inside the wheel
(``belarus_data/_data``), found through ``importlib.resources`` only when asked.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

PACKAGE_NAME = "belarus-data"


class UnsafePath(ValueError):
    """A path that would lead outside the dataset root, or through a link."""


def is_dataset_root(path: Path) -> bool:
    marker = path / "datapackage.json"
    if not (marker.is_file() and (path / "records").is_dir()):
        return False
    try:
        with marker.open("rb") as f:
            head = f.read(4096)
        return (
            f'"name": "{PACKAGE_NAME}"'.encode() in head or json.loads(marker.read_bytes()).get("name") == PACKAGE_NAME
        )
    except (OSError, ValueError):
        return False


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
