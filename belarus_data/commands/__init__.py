"""The command line: click commands grouped by area (each module has ``register(main)``), and what only
they need: rendering a report, a group that never shows a traceback, the cold-start guard against
pandas, and the scaffolding of new records for ``new``.

Commands stay thin: they parse options, call the library, print, and choose the exit code. May
import every layer below; only :mod:`belarus_data.cli` imports it.
"""
