"""Storage: the dataset's files on disk, read safely and written atomically.

Owns the table registry, dataset paths, reading record CSVs (strictly, for
validation, or tolerantly, for comparing), source texts, JSON positions,
atomic writes, the canonical form, the files generated from the models, and
:class:`~belarus_data.storage.snapshot.Snapshot`, the one way to read the
dataset at a place. May import: ``models``, ``dates``, ``problems``,
``vocab``, ``_version``; never ``history``, ``checks`` or anything above.
"""
