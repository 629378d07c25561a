"""The ``belarus-data`` command: a thin layer over the library.

Exit codes (the table is in README.md): 0 success, 1 invalid data (or drift, or a file that cannot be
read or written), 2 usage error (including no dataset at the root), 3 internal error (a bug: report
it), 4 an optional extra is missing, 141 the reader of the output went away.
"""

from __future__ import annotations

import click

from belarus_data._version import __version__
from belarus_data.commands.safegroup import SafeGroup


@click.group(cls=SafeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="belarus-data")
def main() -> None:
    """Validate, format and export the belarus-data dataset."""


def _register_commands() -> None:
    from belarus_data.annotate import command as annotate
    from belarus_data.commands import export, review, validate

    for module in (validate, review, export, annotate):
        module.register(main)


_register_commands()

if __name__ == "__main__":
    main()
