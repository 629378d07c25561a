"""Options shared by every command (one definition, so the commands cannot drift apart)."""

from __future__ import annotations

from pathlib import Path

import click

ROOT_OPTION = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Dataset root (default: the checkout you are in, else the installed data).",
)


def dataset_root(root: Path | None) -> Path:
    """The dataset root a command works on: ``--root``, else the checkout, else the installed data.

    A root that does not exist or holds no dataset is a usage error (exit 2,
    "no dataset at …"), never a dataset with every file missing.
    """
    from belarus_data.escaping.terminal import inert
    from belarus_data.storage.paths import holds_dataset, resolve_root

    base = resolve_root(root, prefer_checkout=True)
    if not holds_dataset(base):
        what = "does not exist" if not base.exists() else "is not a directory" if not base.is_dir() else ""
        raise click.UsageError(
            inert(
                f"no dataset at {base}"
                + (f" (it {what})" if what else " (no datapackage.json, records/ or schema/ in it)")
                + ": pass --root with a belarus-data checkout, or run the command inside one"
            )
        )
    return base


def writable_dataset_root(root: Path | None) -> Path:
    """:func:`dataset_root`, for a command that writes there: the installed data is refused (exit 1)."""
    import sys

    from belarus_data.escaping.terminal import inert
    from belarus_data.storage.paths import ReadOnlyRoot, writable_root

    base = dataset_root(root)
    try:
        return writable_root(base)
    except ReadOnlyRoot as err:
        click.echo(inert(f"error: {err}"), err=True)
        sys.exit(1)


def missing_line(base: Path, relative: str) -> str:
    """What ``fmt --check``/``schema --check`` say of a generated file that is not there."""
    from belarus_data.storage.paths import CLONE_HINT, is_installed_data

    if is_installed_data(base):
        return (
            f"{relative}: missing: the installed package does not ship it; to check or regenerate the "
            f"generated files, clone the repository ({CLONE_HINT})"
        )
    return f"{relative}: missing (run `belarus-data schema` to generate it)"
