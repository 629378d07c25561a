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
    """The dataset root a command works on: ``--root``, else the checkout, else the installed data."""
    from belarus_data.storage.paths import resolve_root

    return resolve_root(root, prefer_checkout=True)
