"""Commands for contributing and reviewing: ``fmt``, ``diff`` and ``new`` (thin layers over the library).

Exit codes as everywhere: 0 success, 1 the data needs attention, 2 usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from belarus_data.commands.options import ROOT_OPTION, dataset_root, missing_line, writable_dataset_root


@click.command("fmt")
@ROOT_OPTION
@click.option("--check", is_flag=True, help="Only list the files that would change; exit 1 if any.")
def fmt_command(root: Path | None, check: bool) -> None:
    """Rewrite the record files in canonical form and regenerate datapackage.json.

    Canonical form: schema column order, rows sorted by ID, quotes only where
    needed, Unicode NFC, LF line endings, a final newline. Values never change.
    """
    from belarus_data.commands.faults import written_directories
    from belarus_data.commands.output import problem_lines
    from belarus_data.escaping.terminal import inert
    from belarus_data.storage.atomic import leftovers, remove_leftovers_in
    from belarus_data.storage.formatting import format_dataset
    from belarus_data.storage.paths import UnsafePath

    # --check only reads; formatting writes, so the installed (read-only) data is refused.
    base = dataset_root(root) if check else writable_dataset_root(root)
    for directory in written_directories(base):
        # Temporary files of a killed run (storage.atomic): removed by the command that writes here.
        for path in leftovers(directory) if check else remove_leftovers_in(directory):
            verb = "left by a killed run (`belarus-data fmt` removes it)" if check else "removed: left by a killed run"
            click.echo(inert(f"{path.relative_to(base)}: temporary file {verb}"), err=True)
    try:
        result = format_dataset(base, check=check)
    except UnsafePath as err:  # a generated file's place is a link: never write through it
        click.echo(inert(f"error: {err}; replace the link with a real directory or file"), err=True)
        sys.exit(1)
    # A failed write (read-only or full disk) is reported by the group, naming the file; each file is
    # whole, either formatted or as it was (storage.atomic).
    for line in problem_lines(sorted(result.problems)):
        click.echo(line, err=True)
    for relative in result.changed:
        click.echo(f"{relative}: not in canonical form (run `belarus-data fmt`)" if check else f"formatted {relative}")
    for relative in result.missing:
        click.echo(inert(missing_line(base, relative)))
    if check and not result.changed and not result.missing and result.ok:
        click.echo("all files are in canonical form")
    sys.exit(1 if result.problems or (check and (result.changed or result.missing)) else 0)


@click.command("diff")
@ROOT_OPTION
@click.argument("base")
@click.argument("head", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
def diff_command(root: Path | None, base: str, head: str | None, fmt: str) -> None:
    """Records added, changed (field by field) and withdrawn between git revisions BASE and HEAD.

    HEAD defaults to the working tree. Use --format markdown for a pull-request summary.
    """
    from belarus_data.escaping.terminal import inert
    from belarus_data.history.diffing import diff, render
    from belarus_data.history.git import GitBaseError

    try:
        result = diff(dataset_root(root), base, head)
    except GitBaseError as err:
        raise click.UsageError(inert(str(err))) from err
    click.echo(render(result, fmt))  # every value escaped for its format (belarus_data.escaping)


@click.command("new")
@ROOT_OPTION
@click.argument("kind", type=click.Choice(["source", "claim", "event", "actor", "participant", "alias"]))
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

    The record is refused, with every problem at once, if `validate` would refuse it
    (same checks, codes and messages); a mistyped ID gets a "did you mean", a quote
    that does not occur the nearest passage and the first character that differs.
    A participant links an actor to an event; an alias is another name of an actor.

    \b
    Examples:
      belarus-data new claim --set source_id=src-minsk-compensate-defence-cooperation \\
        --quote "…exact words…" --set asserted_by=act-belsat --set attribution=author \\
        --set claim_type=assessment --set modality=asserted --set statement="…"
      belarus-data new participant --set event_id=evt-… --set actor_id=act-blr-gov --set role=participant
      belarus-data new alias --set actor_id=act-lukashenka --set alias=Лукашенко \\
        --set alias_type=spelling --set language=ru --set script=Cyrl
    """
    from belarus_data.commands.faults import FAULT_EXIT, describe
    from belarus_data.commands.scaffold import ScaffoldError, build_record, write_record
    from belarus_data.escaping.terminal import inert
    from belarus_data.storage.atomic import CannotWrite

    values: dict[str, str] = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r} is not FIELD=VALUE", param_hint="--set")
        values[name.strip()] = value
    base = dataset_root(root) if dry_run else writable_dataset_root(root)
    try:
        spec, row, text_bytes = build_record(
            base, kind, values, record_id=record_id, quote=quote, occurrence=occurrence, text_file=text_file
        )
        if dry_run:
            for name in spec.columns:
                click.echo(inert(f"{name}: {row.get(name) or ''}"))
            return
        try:
            line = write_record(base, spec, row, text_bytes)
        except CannotWrite as err:
            click.echo(describe(err), err=True)
            click.echo(inert(f"the {kind} was not added: {spec.path} is as it was"), err=True)
            if text_bytes is not None and err.filename != str(base / "records" / str(row["text_path"])):
                click.echo(inert(f"remove records/{row['text_path']}, written before the failure"), err=True)
            sys.exit(FAULT_EXIT)
        if spec.name == "sources":
            # datapackage.json lists the sources: keep it current so `schema --check` passes.
            from belarus_data.storage.generated import write_generated

            try:
                written = write_generated(base)
            except CannotWrite as err:
                click.echo(describe(err), err=True)
                click.echo(
                    inert(
                        f"{row['id']} was added at {spec.path}:{line}, but the generated files are stale: "
                        "run `belarus-data schema` once the fault is fixed"
                    ),
                    err=True,
                )
                sys.exit(FAULT_EXIT)
            for relative in written:
                click.echo(f"wrote {relative}")
    except ScaffoldError as err:
        click.echo(inert(f"cannot add the {kind}:"), err=True)
        for problem in err.problems:
            click.echo(inert(f"  {problem}"), err=True)
        sys.exit(1)
    if text_bytes is not None:
        click.echo(inert(f"wrote records/{row['text_path']}"))
    key = str(row["id"]) if "id" in row else ", ".join(f"{k}={row[k]}" for k in spec.primary_key)
    click.echo(inert(f"added {key} at {spec.path}:{line}"))
    click.echo(inert(key))


def register(main: click.Group) -> None:
    """Add this module's commands to the `belarus-data` group."""
    for command in (fmt_command, diff_command, new_command):
        main.add_command(command)
