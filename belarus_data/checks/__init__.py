"""Validation checks. Each module holds one family of checks over a :class:`~belarus_data.checks.context.Context`.

:mod:`belarus_data.validation` runs them in lanes side by side. Within the
text lane the order matters: the quote and sentence checks read what the
evidence check leaves on the context (``ctx.quotes_verified``). May import:
``history`` (the versioning rules compare tables), ``storage`` and everything
below; never ``validation``, ``loaders``, ``export`` or the command line.
"""
