"""Exports to where analysts already work: SQLite/Datasette, Parquet, JSON, a timeline.

Every exporter reads through :mod:`belarus_data.loaders` (so exported values
equal loaded values), refuses a dataset that does not validate, and writes
each file atomically. Heavy libraries are optional extras, imported only when
an exporter runs; :func:`~belarus_data.export.common.require` turns a missing
one into a message naming the extra to install. May import: ``loaders``,
``validation`` and everything below them; never the command line.
"""
