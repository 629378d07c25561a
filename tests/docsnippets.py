"""The code blocks of the project's Markdown documents, and each document as one runnable scenario.

Every fenced block in README.md, CONTRIBUTING.md and docs/**/*.md names its language. Blocks in
``python``, ``sh`` or ``bash`` are code a reader will run: a document's code blocks are joined, in
order, into one bash script (Python blocks through ``python3 - <<EOF``), so that the state a reader
builds up (a clone, a ``cd``, a branch) carries from block to block as it does for them. Any other
language (``text``, ``mermaid``, ``csv``, ``toml``, ``json``…) is shown, not run.

A block may be preceded by one directive, an HTML comment that the rendered page does not show:

- ``<!-- doc-test: ci-runs "COMMAND" -->``: COMMAND (a part of the block) is not run inside the
  test, because it is the test suite itself; the test asserts instead that ``.ci/run`` or
  ``scripts/checks.sh`` runs exactly that command.
- ``<!-- doc-test: serves URL -->``: the block starts a server that does not stop by itself. It is
  started in the background, the test waits until URL answers, then stops it.
- ``<!-- doc-test: instead "COMMAND" -->`` on a ``text`` block showing something done in a browser
  (``belarus-data annotate``): COMMAND stands in for what the reader does there, so that the blocks
  after it find the records they expect. The browser path itself is tested in tests/test_annotate_browser*.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

RUN_LANGUAGES = frozenset({"python", "sh", "bash"})
SHOWN_LANGUAGES = frozenset({"text", "mermaid", "csv", "toml", "json", "yaml", "diff", "markdown"})

_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)
_DIRECTIVE = re.compile(r"<!--\s*doc-test:\s*(?P<kind>[a-z-]+)\s+(?P<arg>(?:(?!-->).)*?)\s*-->\Z", re.S)


@dataclass(frozen=True)
class Block:
    """One fenced code block: where it is, its language, its text and its directive (if any)."""

    path: Path
    line: int
    language: str
    code: str
    directive: tuple[str, str] | None

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def documents(repo: Path) -> list[Path]:
    """README.md, CONTRIBUTING.md and every Markdown file under docs/, in a stable order."""
    found = [repo / "README.md", repo / "CONTRIBUTING.md", *sorted((repo / "docs").rglob("*.md"))]
    return [path for path in found if path.is_file()]


def blocks(path: Path) -> list[Block]:
    """Every fenced block of one Markdown file."""
    text = path.read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(text):
        before = text[: match.start()]
        # The directive is the last thing before the fence (blank lines allowed).
        directive = _DIRECTIVE.search(before.rstrip())
        language = match["info"].strip().split(" ")[0] if match["info"].strip() else ""
        found.append(
            Block(
                path=path,
                line=before.count("\n") + 1,
                language=language,
                code=match["body"],
                directive=(directive["kind"], directive["arg"]) if directive else None,
            )
        )
    return found


def ci_runs_command(block: Block) -> str | None:
    """The command a ``ci-runs`` directive names, or None."""
    if block.directive is None or block.directive[0] != "ci-runs":
        return None
    (command,) = shlex.split(block.directive[1])
    return command


def instead_command(block: Block) -> str | None:
    """The stand-in command of an ``instead`` directive, or None."""
    if block.directive is None or block.directive[0] != "instead":
        return None
    (command,) = shlex.split(block.directive[1])
    return command


def served_url(block: Block) -> str | None:
    """The URL a ``serves`` directive names, or None."""
    if block.directive is None or block.directive[0] != "serves":
        return None
    return block.directive[1].strip()


_PY_END = "__BELARUS_DATA_DOC_PYTHON__"


def scenario(document: list[Block], marker: Path, wait_for_url: Path) -> str:
    """One bash script running the document's code blocks in order.

    Before each block the script writes the block's location into ``marker``, so a failure names
    the block that failed. ``wait_for_url`` is a small Python script ``(url, pid)`` that waits for a
    served URL and then stops the server's process group.
    """
    lines = ["set -eo pipefail"]
    for block in document:
        stand_in = instead_command(block)
        if stand_in is not None:
            lines.append(f"printf '%s' {shlex.quote(block.where)} > {shlex.quote(str(marker))}")
            lines.append(stand_in)
            continue
        if block.language not in RUN_LANGUAGES:
            continue
        lines.append(f"printf '%s' {shlex.quote(block.where)} > {shlex.quote(str(marker))}")
        code = block.code
        command = ci_runs_command(block)
        if command is not None:
            # The suite is not run inside itself: the test checks that CI runs it instead.
            code = code.replace(command, "true")
        if block.language == "python":
            code = f"python3 - <<'{_PY_END}'\n{code}{_PY_END}\n"
        url = served_url(block)
        if url is not None:
            lines.append(f"set -m\n( {code.strip()} ) &\nserver=$!\nset +m")
            lines.append(f'python3 {shlex.quote(str(wait_for_url))} {shlex.quote(url)} "$server"')
        else:
            lines.append(code)
    lines.append(f"printf '%s' done > {shlex.quote(str(marker))}")
    return "\n".join(lines) + "\n"
