"""Validation checks. Each module holds one family of checks over a :class:`Context`.

:mod:`belarus_data.validation` runs them in two lanes side by side. Within the
text lane the order matters: the quote and sentence checks read what the
evidence check leaves on the context (``ctx.quotes_verified``).
"""
