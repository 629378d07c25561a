"""Commands: export (sqlite, parquet, json), timeline and info. See belarus_data/cli.py.

Each command parses options, calls a library function from
:mod:`belarus_data.export`, prints what it wrote, and turns known failures into
a message and an exit code: 1 for invalid data or an output that cannot be
written, 2 for a bad argument (or no dataset at the root), 4 for a missing optional extra.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from belarus_data.commands.options import ROOT_OPTION, dataset_root

if TYPE_CHECKING:
    from belarus_data.export.common import Step


def _written_by_us(filename: object, output: Path | None) -> bool:
    """Whether a failing path is the output or lies under it (then the failure was in writing)."""
    if output is None or filename is None:
        return False
    failed, out = Path(str(filename)).absolute(), output.absolute()
    return failed == out or out in failed.parents or failed.parent == out.parent


@contextmanager
def _failures(output: Path | None = None) -> Iterator[None]:
    """Known failures as located messages and exit codes, never a traceback."""
    from belarus_data.commands.faults import FAULT_EXIT, describe, is_fault
    from belarus_data.commands.output import problem_lines
    from belarus_data.escaping.terminal import inert
    from belarus_data.export.common import ExportInvalid, MissingExtra
    from belarus_data.problems import DatasetError
    from belarus_data.storage.atomic import CannotWrite
    from belarus_data.storage.paths import UnsafePath

    try:
        yield
    except MissingExtra as error:
        from belarus_data.commands.safegroup import MISSING_EXTRA_EXIT

        click.echo(inert(f"error: {error}"), err=True)
        sys.exit(MISSING_EXTRA_EXIT)
    except DatasetError as error:
        for line in problem_lines(error.problems):
            click.echo(line, err=True)
        click.echo(
            f"✗ not exported: the dataset has {len(error.problems)} problem(s); fix them (see `belarus-data validate`).",
            err=True,
        )
        sys.exit(1)
    except (ExportInvalid, UnsafePath) as error:
        click.echo(inert(f"error: {error}"), err=True)
        sys.exit(1)
    except OSError as error:
        if not is_fault(error) and not isinstance(error, CannotWrite):
            raise  # not an ordinary fault: the group reports it as a bug
        writing = isinstance(error, CannotWrite) or _written_by_us(error.filename, output)
        click.echo(describe(error, "write" if writing else None), err=True)
        sys.exit(FAULT_EXIT)


def _run(label: str, work: Callable[[Step], Any], output: Path | None = None) -> Any:
    from belarus_data.export.progress import spinner

    with _failures(output), spinner(label) as step:
        return work(step)


def _wrote(paths: list[Path]) -> None:
    from belarus_data.escaping.terminal import inert

    for path in paths:
        click.echo(inert(f"wrote {path}"))


@click.group()
def export() -> None:
    """Export the dataset to SQLite (for Datasette), Parquet or JSON."""


@export.command("sqlite")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@ROOT_OPTION
@click.option(
    "--metadata",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write Datasette's metadata (default: metadata.json beside OUT).",
)
def export_sqlite(out: Path, root: Path | None, metadata: Path | None) -> None:
    """Write a SQLite database OUT (keys, indexes, full-text search) and Datasette metadata.

    Browse it with: datasette OUT -m metadata.json
    """
    from belarus_data.export.sqlite import export_sqlite as run

    base = dataset_root(root)
    _wrote(_run("sqlite", lambda step: run(out, base, step, metadata), out))


@export.command("parquet")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@ROOT_OPTION
def export_parquet(directory: Path, root: Path | None) -> None:
    """Write one <table>.parquet per table into DIRECTORY (Arrow types from the schema)."""
    from belarus_data.export.parquet import export_parquet as run

    base = dataset_root(root)
    _wrote(_run("parquet", lambda step: run(directory, base, step), directory))


@export.command("json")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@ROOT_OPTION
def export_json(directory: Path, root: Path | None) -> None:
    """Write <table>.json per table and a nested claims.jsonl into DIRECTORY, validated against the JSON Schemas."""
    from belarus_data.export.jsonout import export_json as run

    base = dataset_root(root)
    _wrote(_run("json", lambda step: run(directory, base, step), directory))


@click.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@ROOT_OPTION
def timeline(out: Path, root: Path | None) -> None:
    """Draw the events on a time axis over their EDTF intervals, with the claims per source, into OUT.

    The format follows OUT's suffix: .png, .svg or .html (one self-contained page).
    """
    from belarus_data.export.timeline import format_of, write_timeline

    try:
        format_of(out)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="OUT") from None
    base = dataset_root(root)
    _wrote([_run("timeline", lambda step: write_timeline(out, base, step), out)])


@click.command()
@ROOT_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def info(root: Path | None, as_json: bool) -> None:
    """Summarise the dataset: version, licences, rows per table, counts per type and status, sources, dates."""
    from belarus_data.escaping.terminal import inert, inert_json
    from belarus_data.export.info import dataset_info, render_info

    base = dataset_root(root)
    summary = _run("info", lambda step: dataset_info(base, step))
    if as_json:
        click.echo(inert_json(json.dumps(summary, indent=2, ensure_ascii=False)))
    else:
        click.echo("\n".join(inert(line) for line in render_info(summary).split("\n")))


def register(main: click.Group) -> None:
    """Add this module's commands to the `belarus-data` group."""
    main.add_command(export)
    main.add_command(timeline)
    main.add_command(info)
