"""Commands: ``validate`` and ``schema``, the checks on the records and on the files generated from the models.

Thin layers over :mod:`belarus_data.validation` and :mod:`belarus_data.storage.generated`.
Exit codes as everywhere: 0 valid, 1 invalid data (or drift), 2 usage error.
"""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path

import click

from belarus_data.commands.options import ROOT_OPTION, dataset_root, missing_line, writable_dataset_root
from belarus_data.commands.safegroup import SafeGroup


@click.command()
@ROOT_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "markdown"]),
    default="text",
    show_default=True,
    help="text for people, json for programs, github for ::error annotations, markdown for a job summary.",
)
@click.option(
    "--engine",
    type=click.Choice(["fast", "rows"]),
    default="fast",
    help="rows: validate every row with Pydantic (slow reference).",
)
@click.option(
    "--base",
    "base_ref",
    metavar="REF",
    default=None,
    help="Also enforce the versioning rules against git revision REF "
    "(default: the merge-base of HEAD with main, inside a git checkout that has a main branch).",
)
@click.option("--no-base", is_flag=True, help="Skip the versioning rules even inside a git checkout.")
@click.option(
    "--require-base",
    is_flag=True,
    help="Exit 1 if the versioning rules cannot run (no git, no main, no common commit): for pull requests.",
)
@click.option(
    "--changed-only",
    is_flag=True,
    help="Check single rows only where they changed since the base (and rows that depend on them); "
    "every row if the rules or schema changed. Checks across tables still cover everything.",
)
@click.option(
    "--max-problems",
    type=click.IntRange(min=0),
    default=1000,
    show_default=True,
    help="List at most this many problems (0: all); the rest are counted per code.",
)
@click.option(
    "--summary",
    "summary_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help='Also append the report as Markdown to this file (e.g. "$GITHUB_STEP_SUMMARY").',
)
def validate(
    root: Path | None,
    fmt: str,
    engine: str,
    base_ref: str | None,
    no_base: bool,
    require_base: bool,
    changed_only: bool,
    max_problems: int,
    summary_file: Path | None,
) -> None:
    """Check every file, row and link of the dataset; report all problems at once."""
    from belarus_data.commands.output import render
    from belarus_data.commands.pandasfree import without_pandas
    from belarus_data.history.git import GitBaseError, find_base
    from belarus_data.problems import Note
    from belarus_data.validation import validate as run

    base_dir = dataset_root(root)
    if no_base and base_ref is not None:
        raise click.UsageError("give either --base or --no-base, not both")
    if no_base and require_base:
        raise click.UsageError("give either --no-base or --require-base, not both")
    skipped = "--no-base was given" if no_base else ""
    if base_ref is None and not no_base:
        base_ref, skipped = find_base(base_dir)
    if changed_only and base_ref is None:
        raise click.UsageError(
            f"--changed-only needs a base, and there is none: {skipped}. Give --base REF "
            "(or run inside a checkout with main)"
        )
    # Run as its own process, validate never lets pyarrow import pandas (~0.4 s of a ~1 s cold run);
    # in-process callers keep pyarrow's pandas integration intact (see belarus_data.commands.pandasfree).
    group = click.get_current_context().find_root().command
    guard = without_pandas() if isinstance(group, SafeGroup) and group.whole_process else nullcontext()
    try:
        with guard:
            report = run(base_dir, engine=engine, base=base_ref, changed_only=changed_only)  # type: ignore[arg-type]
    except GitBaseError as err:
        from belarus_data.escaping.terminal import inert

        raise click.BadParameter(inert(str(err)), param_hint="--base") from err
    if report.base is None:
        # Never a silent skip: every format carries this note (and --require-base makes it fail).
        report.notes.append(Note("versioning-skipped", f"the versioning rules were not run: {skipped}"))
    from belarus_data.commands.faults import written_directories
    from belarus_data.storage.atomic import leftovers

    left = [str(p.relative_to(base_dir)) for d in written_directories(base_dir) for p in leftovers(d)]
    if left:
        shown = ", ".join(left[:10]) + (f" and {len(left) - 10:,} more" if len(left) > 10 else "")
        report.notes.append(
            Note(
                "leftover-temp-files",
                f"temporary files left by a killed run: {shown} (`belarus-data fmt` removes them)",
            )
        )
    limit = max_problems or None
    # Line by line: a reader that stops early (`| head`) is noticed at the next line (see SafeGroup).
    for line in render(report, fmt, limit).split("\n"):
        click.echo(line)
    if summary_file is not None:
        try:
            with summary_file.open("a", encoding="utf-8") as out:
                out.write(render(report, "markdown", limit) + "\n")
        except OSError as err:
            from belarus_data.commands.faults import FAULT_EXIT, describe

            click.echo(describe(err, "write"), err=True)
            sys.exit(FAULT_EXIT)
    if require_base and report.base is None:
        from belarus_data.escaping.terminal import inert

        click.echo(inert(f"error: --require-base: the versioning rules could not run: {skipped}"), err=True)
        sys.exit(1)
    sys.exit(0 if report.ok else 1)


@click.command()
@ROOT_OPTION
@click.option("--check", is_flag=True, help="Only report generated files that differ from the models; exit 1 if any.")
def schema(root: Path | None, check: bool) -> None:
    """Generate schema/, datapackage.json and docs/data-dictionary.md from the models."""
    from belarus_data.escaping.terminal import inert
    from belarus_data.storage.generated import missing_files, stale_files, write_generated

    if check:
        base = dataset_root(root)
        stale = stale_files(base)
        absent = set(missing_files(base))
        for relative in stale:
            if relative in absent:
                click.echo(inert(missing_line(base, relative)))
            else:
                click.echo(f"{relative}: differs from the models (run `belarus-data schema`)")
        if stale:
            sys.exit(1)
        click.echo("generated files are up to date")
        return
    from belarus_data.storage.paths import UnsafePath

    base = writable_dataset_root(root)  # the installed (read-only) data is refused
    try:
        written = write_generated(base)
    except UnsafePath as err:
        click.echo(f"error: {err}; nothing was written (replace the link with a real directory or file)", err=True)
        sys.exit(1)
    for relative in written:
        click.echo(f"wrote {relative}")


def register(main: click.Group) -> None:
    """Add this module's commands to the `belarus-data` group."""
    main.add_command(validate)
    main.add_command(schema)
