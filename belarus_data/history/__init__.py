"""History: the dataset at a git revision and what changed since then.

Owns running git, the revision as a place to read a
:class:`~belarus_data.storage.snapshot.Snapshot` from, matching two versions of
a table by key, ``diff``, and the incremental scope of ``validate
--changed-only``. May import: ``storage`` and everything below it; never
``checks``, ``validation`` or anything above.
"""
