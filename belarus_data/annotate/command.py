"""The ``belarus-data annotate`` command (thin: resolve the root, start the session, serve it)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from belarus_data.commands.options import ROOT_OPTION, writable_dataset_root


@click.command("annotate")
@ROOT_OPTION
@click.argument("target", metavar="[SOURCE_ID | TEXT_FILE]")
@click.option("--no-browser", is_flag=True, help="Only print the page's address; do not open a browser.")
def annotate_command(root: Path | None, target: str, no_browser: bool) -> None:
    """Curate one source in your browser: select words, fill the claim form, save.

    TARGET is a source ID (src-…) to add claims to, or a UTF-8 text file to start a new source
    from. The page is served on 127.0.0.1 only, at a random port, with a secret token in its
    address; stop it with Ctrl-C. Needs the extra: pip install 'belarus-data[annotate]'.
    """
    from belarus_data.annotate.session import Session, SessionError
    from belarus_data.escaping.terminal import inert
    from belarus_data.export.common import MissingExtra, require

    try:
        require("starlette", "annotate", "belarus-data annotate")
        require("uvicorn", "annotate", "belarus-data annotate")
    except MissingExtra as error:
        click.echo(inert(f"error: {error}"), err=True)
        from belarus_data.commands import safegroup

        # The exit code of a missing extra where the group defines one (as for the exports), else usage (2).
        sys.exit(getattr(safegroup, "MISSING_EXTRA_EXIT", 2))
    from belarus_data.annotate.app import Server
    from belarus_data.annotate.security import new_token

    base = writable_dataset_root(root)
    # It writes: the installed package's own data must be refused here (commands.options' guard for writers).
    path = Path(target)
    try:
        if target.startswith("src-") and not path.exists():
            session = Session(base, source_id=target)
        elif path.is_file():
            session = Session(base, text_file=path)
        else:
            raise SessionError(f"{target}: neither a source ID (src-…) nor a text file")
    except SessionError as err:
        click.echo(inert(f"error: {err}"), err=True)
        sys.exit(1)
    server = Server(session, new_token())
    click.echo(inert(f"annotate {target}: {server.url}"))
    click.echo("Ctrl-C stops the server.", err=True)
    if not no_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.run()
    finally:
        server.sock.close()


def register(main: click.Group) -> None:
    """Add ``annotate`` to the `belarus-data` group."""
    main.add_command(annotate_command)
