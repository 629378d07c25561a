"""Click commands grouped by area; each module has ``register(main)``. Commands stay thin:
they parse options, call the library, print, and choose the exit code."""
