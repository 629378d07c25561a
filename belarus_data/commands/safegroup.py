"""A click group that never shows a traceback: an unexpected error becomes one line and exit code 3.

Bad data is reported by the commands themselves (exit 1) and bad usage by
click (exit 2). An ordinary fault of the machine (a file that cannot be read,
a full or read-only disk: :mod:`belarus_data.commands.faults`) is one line
naming the file and what to do, exit 1. A reader that goes away
(``belarus-data validate | head -1``) ends the command quietly with 141, as
SIGPIPE would. Anything else is a bug in belarus-data, not in the user's
input: the user gets a one-line message asking them to report it, and the
full traceback only when ``BELARUS_DATA_DEBUG=1`` is set.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from typing import Any

import click

INTERNAL_ERROR_EXIT = 3
MISSING_EXTRA_EXIT = 4  # an optional extra is not installed (export/common.py MissingExtra): not a usage error
BROKEN_PIPE_EXIT = 128 + signal.SIGPIPE  # 141: what a shell reports for a process killed by SIGPIPE


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
        except BrokenPipeError:
            self._reader_gone()
        except Exception as err:
            if os.environ.get("BELARUS_DATA_DEBUG") == "1":
                raise
            from belarus_data.commands.faults import FAULT_EXIT, describe, is_fault

            if isinstance(err, OSError) and is_fault(err):
                self._echo_error(describe(err))
                sys.exit(FAULT_EXIT)
            where = ctx.invoked_subcommand or ctx.info_name or "belarus-data"
            reason = " ".join(f"{type(err).__name__}: {err}".split())[:300]
            self._echo_error(
                f"belarus-data {where}: internal error ({reason}). This is a bug in belarus-data, not in your data: "
                "please report it in the project's issue tracker with the command you ran "
                "(BELARUS_DATA_DEBUG=1 shows the traceback)."
            )
            sys.exit(INTERNAL_ERROR_EXIT)

    def _echo_error(self, line: str) -> None:
        from belarus_data.escaping.terminal import inert

        with contextlib.suppress(OSError):  # stderr itself is gone (closed, full): the exit code still tells
            click.echo(inert(line), err=True)

    def _reader_gone(self) -> None:
        """Stop quietly: whoever read the output stopped reading, which is not an error of ours."""
        if self.whole_process:
            # Python would flush the dead pipe again at exit and print "Exception ignored…": point
            # stdout (and stderr, if it was the broken one) at /dev/null first.
            devnull = os.open(os.devnull, os.O_WRONLY)
            for stream in (sys.stdout, sys.stderr):
                try:
                    os.dup2(devnull, stream.fileno())
                except (AttributeError, OSError, ValueError):
                    continue
            os.close(devnull)
        sys.exit(BROKEN_PIPE_EXIT)
