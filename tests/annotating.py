"""Shared helpers of the annotate tests: a copy of the real dataset, the astral source, a running server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner
from conftest import REPO, read_rows

from belarus_data.annotate.app import Server
from belarus_data.annotate.session import Session
from belarus_data.cli import main

ASTRAL_TEXT = REPO / "tests" / "fixtures" / "annotate" / "astral.txt"
SEED = "src-minsk-compensate-defence-cooperation"
# Contains a curly apostrophe right after a non-BMP character (U+1F6E9), with three more (Gothic) before it:
# its code-point offsets differ from the UTF-16 offsets JavaScript sees.
ASTRAL_QUOTE = "the \U0001f6e9\u2019s flights over Belarus were only training"
TOKEN = "test-token-" + "x" * 20


def copy_dataset(dest: Path) -> Path:
    """A writable copy of the repository's dataset (records, schemas, descriptor)."""
    dest.mkdir()
    for name in ("records", "schema"):
        shutil.copytree(REPO / name, dest / name)
    shutil.copyfile(REPO / "datapackage.json", dest / "datapackage.json")
    return dest


def add_astral_source(root: Path) -> str:
    """Add the fixture source with astral characters through `belarus-data new source`; its ID."""
    result = CliRunner().invoke(
        main,
        [
            "new",
            "source",
            "--root",
            str(root),
            "--text",
            str(ASTRAL_TEXT),
            "--set",
            "title=Air force drills near Minsk",
            "--set",
            "outlet=Test outlet",
            "--set",
            "url=https://example.org/astral",
            "--set",
            "language=en",
            "--set",
            "published=2016-06-21",
            "--set",
            "published_basis=The fixture's stated date.",
            "--set",
            "redistribution=yes",
        ],
    )
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def rows_of(root: Path, name: str) -> list[dict[str, str]]:
    rows = read_rows(root / "records" / f"{name}.csv")
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@contextmanager
def serving(root: Path, source_id: str | None = None, text_file: Path | None = None) -> Iterator[Server]:
    """The annotate server for ``root`` running in a thread, stopped afterwards."""
    server = Server(Session(root, source_id=source_id, text_file=text_file), TOKEN)
    server.start()
    try:
        yield server
    finally:
        server.stop()
