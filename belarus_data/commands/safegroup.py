"""A click group that never shows a traceback: an unexpected error becomes one line and exit code 3.

Bad data is reported by the commands themselves (exit 1) and bad usage by
click (exit 2). Anything else is a bug in belarus-data, not in the user's
input: the user gets a one-line message asking them to report it, and the
full traceback only when ``BELARUS_DATA_DEBUG=1`` is set.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

INTERNAL_ERROR_EXIT = 3


class SafeGroup(click.Group):
    """A :class:`click.Group` whose commands exit 3 with one line instead of a traceback on an internal error.

    >>> import click
    >>> from click.testing import CliRunner
    >>> @click.group(cls=SafeGroup)
    ... def cli() -> None: ...
    >>> @cli.command()
    ... def boom() -> None:
    ...     raise KeyError("x")
    >>> result = CliRunner().invoke(cli, ["boom"])
    >>> result.exit_code, "Traceback" in result.output
    (3, False)
    """

    #: True when the arguments came from ``sys.argv``: the command is the whole process and exits after it
    #: (not a test runner or a driver calling ``main([...])``), so process-wide shortcuts are safe.
    whole_process = False

    def main(self, *args: Any, **kwargs: Any) -> Any:
        given = args[0] if args else kwargs.get("args")
        self.whole_process = given is None
        return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise  # click's own control flow: usage errors, --help, explicit exits
        except Exception as err:
            if os.environ.get("BELARUS_DATA_DEBUG") == "1":
                raise
            where = ctx.invoked_subcommand or ctx.info_name or "belarus-data"
            reason = " ".join(f"{type(err).__name__}: {err}".split())[:300]
            click.echo(
                f"belarus-data {where}: internal error ({reason}). This is a bug in belarus-data, not in your data: "
                "please report it in the project's issue tracker with the command you ran "
                "(BELARUS_DATA_DEBUG=1 shows the traceback).",
                err=True,
            )
            sys.exit(INTERNAL_ERROR_EXIT)
