"""Making values inert before they are written out: one module per kind of output.

* :mod:`~belarus_data.escaping.terminal`: text for a terminal or a log (and JSON printed to one);
* :mod:`~belarus_data.escaping.markdown`: GitHub-flavoured Markdown (the diff, the job summary);
* :mod:`~belarus_data.escaping.github`: GitHub Actions workflow commands (``::error file=…::…``).

Every command that writes one of these kinds goes through its module, so a value from the data
(problem messages quote cells) can never move the cursor, open a link, end a code span or a table
cell, or start a workflow command of its own. Owns the escaping rules of each kind; the renderers
(``commands.output``, ``history.diffing``) own the layout. May import: nothing of the package (the
lowest layer: ``problems`` words its one-line text through it).
"""
