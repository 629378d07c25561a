"""Dates: the bounds of EDTF (ISO 8601-2) values, the common shapes computed directly.

Owns :mod:`belarus_data.dates.edtf` (the public bounds) and its private fast
path. May import nothing else of belarus_data: it is the bottom layer.
"""
