"""Validation checks. Each module holds one family of checks over a :class:`Context`.

The order in :data:`CHECKS` matters only for speed: later checks use values the
earlier ones cached on the context (e.g. the source texts).
"""
