"""Commands for contributing and reviewing: ``fmt``, ``diff`` and ``new`` (thin layers over the library).

Exit codes as everywhere: 0 success, 1 the data needs attention, 2 usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from belarus_data.commands.options import ROOT_OPTION, dataset_root


@click.command("fmt")
@ROOT_OPTION
@click.option("--check", is_flag=True, help="Only list the files that would change; exit 1 if any.")
def fmt_command(root: Path | None, check: bool) -> None:
    """Rewrite the record files in canonical form and regenerate datapackage.json.

    Canonical form: schema column order, rows sorted by ID, quotes only where
    needed, Unicode NFC, LF line endings, a final newline. Values never change.
    """
    from belarus_data.storage.formatting import format_dataset
    from belarus_data.storage.paths import UnsafePath

    try:
        result = format_dataset(dataset_root(root), check=check)
    except UnsafePath as err:  # a generated file's place is a link: never write through it
        click.echo(f"error: {err}; replace the link with a real directory or file", err=True)
        sys.exit(1)
    for problem in result.problems:
        click.echo(problem.as_text(), err=True)
    for relative in result.changed:
        click.echo(f"{relative}: not in canonical form (run `belarus-data fmt`)" if check else f"formatted {relative}")
    if check and not result.changed and result.ok:
        click.echo("all files are in canonical form")
    sys.exit(1 if result.problems or (check and result.changed) else 0)


@click.command("diff")
@ROOT_OPTION
@click.argument("base")
@click.argument("head", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
def diff_command(root: Path | None, base: str, head: str | None, fmt: str) -> None:
    """Records added, changed (field by field) and withdrawn between git revisions BASE and HEAD.

    HEAD defaults to the working tree. Use --format markdown for a pull-request summary.
    """
    from belarus_data.history.diffing import diff, render
    from belarus_data.history.git import GitBaseError

    try:
        result = diff(dataset_root(root), base, head)
    except GitBaseError as err:
        raise click.UsageError(str(err)) from err
    click.echo(render(result, fmt))


@click.command("new")
@ROOT_OPTION
@click.argument("kind", type=click.Choice(["source", "claim", "event", "actor"]))
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="FIELD=VALUE",
    help="A field of the new record (repeat for each field), e.g. --set statement='…'.",
)
@click.option("--id", "record_id", default=None, help="The ID to use (default: made from the title/name, or random).")
@click.option("--quote", default=None, help="claim: the exact words from the source; their offsets are found for you.")
@click.option("--occurrence", type=click.IntRange(min=1), default=None, help="claim: which occurrence of the quote.")
@click.option(
    "--text",
    "text_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="source: the source's text file (UTF-8); copied into records/texts/ with its checksum.",
)
@click.option("--dry-run", is_flag=True, help="Print the record instead of writing it.")
def new_command(
    root: Path | None,
    kind: str,
    assignments: tuple[str, ...],
    record_id: str | None,
    quote: str | None,
    occurrence: int | None,
    text_file: Path | None,
    dry_run: bool,
) -> None:
    """Add a new KIND record with a fresh ID, today's dates and version 1.

    \b
    Example:
      belarus-data new claim --set source_id=src-minsk-compensate-defence-cooperation \\
        --quote "…exact words…" --set asserted_by=act-belsat --set attribution=author \\
        --set claim_type=assessment --set modality=asserted --set statement="…"
    """
    from belarus_data.commands.scaffold import ScaffoldError, build_record, write_record

    values: dict[str, str] = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r} is not FIELD=VALUE", param_hint="--set")
        values[name.strip()] = value
    base = dataset_root(root)
    try:
        spec, row, text_bytes = build_record(
            base, kind, values, record_id=record_id, quote=quote, occurrence=occurrence, text_file=text_file
        )
        if dry_run:
            for name in spec.columns:
                click.echo(f"{name}: {row.get(name) or ''}")
            return
        line = write_record(base, spec, row, text_bytes)
        if spec.name == "sources":
            # datapackage.json lists the sources: keep it current so `schema --check` passes.
            from belarus_data.storage.generated import write_generated

            for relative in write_generated(base):
                click.echo(f"wrote {relative}")
    except ScaffoldError as err:
        click.echo(f"cannot add the {kind}:", err=True)
        for problem in err.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    if text_bytes is not None:
        click.echo(f"wrote records/{row['text_path']}")
    click.echo(f"added {row['id']} at {spec.path}:{line}")
    click.echo(row["id"])


def register(main: click.Group) -> None:
    """Add this module's commands to the `belarus-data` group."""
    for command in (fmt_command, diff_command, new_command):
        main.add_command(command)
