#!/usr/bin/env python3
"""The package version and CHANGELOG.md move together (docs/versioning.md, "Dataset versions").

    python scripts/release_check.py check [--base REF] [--tag vX.Y.Z]
    python scripts/release_check.py notes vX.Y.Z      # the CHANGELOG section of that version (release notes)

``check`` fails (exit 1, one line per problem) when:

* the version in belarus_data/_version.py is not MAJOR.MINOR.PATCH;
* CHANGELOG.md has a released section (``## [X.Y.Z] - YYYY-MM-DD``) for a version above the package's,
  the same version twice, or sections out of order (newest first);
* with ``--base REF`` (a pull request; scripts/checks.sh passes the merge-base): the version changed
  since REF but CHANGELOG.md has no section for the new version, or the version went down;
* with ``--tag`` (the release workflow): the tag is not ``v`` + the version, or its section is missing
  or empty.

Standard library only: the release workflow runs it before anything is installed.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION_FILE = "belarus_data/_version.py"
VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
ASSIGNMENT = re.compile(r'^__version__\s*=\s*"([^"]*)"\s*$', re.MULTILINE)
HEADING = re.compile(r"^## \[([^\]]+)\](.*)$", re.MULTILINE)
DATED = re.compile(r" - [0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_version(text: str) -> str | None:
    """The ``__version__`` assigned in the text of _version.py (None if there is none)."""
    found = ASSIGNMENT.search(text)
    return found.group(1) if found else None


def key(version: str) -> tuple[int, ...]:
    match = VERSION.fullmatch(version)
    if match is None:
        raise ValueError(version)
    return tuple(int(part) for part in match.groups())


def sections(changelog: str) -> list[tuple[str, str, str]]:
    """(name in brackets, rest of the heading line, body) of every ``## [...]`` section, in file order."""
    heads = list(HEADING.finditer(changelog))
    out = []
    for index, head in enumerate(heads):
        end = heads[index + 1].start() if index + 1 < len(heads) else len(changelog)
        body = changelog[head.end() : end]
        body = re.split(r"^\[[^\]]+\]: ", body, maxsplit=1, flags=re.MULTILINE)[0]  # link definitions at the end
        out.append((head.group(1), head.group(2), body.strip("\n")))
    return out


def notes(changelog: str, version: str) -> str | None:
    """The body of the released section for ``version`` (None if there is none)."""
    for name, _, body in sections(changelog):
        if name == version:
            return body
    return None


def problems(
    version: str | None, changelog: str, *, base_version: str | None = None, tag: str | None = None
) -> list[str]:
    """Everything wrong with the version and the changelog taken together (empty: they agree)."""
    if version is None:
        return [f'{VERSION_FILE}: no __version__ = "X.Y.Z" line']
    if VERSION.fullmatch(version) is None:
        return [f"{VERSION_FILE}: version {version!r} is not MAJOR.MINOR.PATCH (e.g. 1.4.2)"]
    found: list[str] = []
    released = []
    for name, rest, _ in sections(changelog):
        if name == "Unreleased":
            continue
        if VERSION.fullmatch(name) is None or not DATED.match(rest):
            found.append(
                f"CHANGELOG.md: heading '## [{name}]{rest}' is not '## [X.Y.Z] - YYYY-MM-DD' or '## [Unreleased]'"
            )
            continue
        released.append(name)
    for name in sorted({n for n in released if released.count(n) > 1}):
        found.append(f"CHANGELOG.md: version {name} has more than one section")
    if [key(n) for n in released] != sorted((key(n) for n in released), reverse=True):
        found.append("CHANGELOG.md: released sections are not newest first")
    for name in released:
        if key(name) > key(version):
            found.append(
                f"CHANGELOG.md: section {name} is newer than the package version {version}: "
                f'set __version__ = "{name}" in {VERSION_FILE} in the same change'
            )
    if base_version is not None and base_version != version:
        if VERSION.fullmatch(base_version) and key(version) < key(base_version):
            found.append(f"{VERSION_FILE}: version went down from {base_version} to {version}")
        if version not in released:
            found.append(
                f"{VERSION_FILE}: version changed from {base_version} to {version} but CHANGELOG.md has no "
                f"'## [{version}] - YYYY-MM-DD' section: rename '## [Unreleased]' to it (docs/versioning.md)"
            )
    if tag is not None:
        if tag != f"v{version}":
            found.append(f"tag {tag!r} is not v{version}, the version in {VERSION_FILE}")
        if not (notes(changelog, version) or "").strip():
            found.append(f"CHANGELOG.md: no (or an empty) '## [{version}] - YYYY-MM-DD' section for the release")
    return found


def version_at(root: Path, ref: str) -> str | None:
    """The package version at git revision ``ref`` (None if the file is not there)."""
    if ref.startswith("-"):
        raise ValueError(f"{ref!r} is not a git revision")
    done = subprocess.run(
        ["git", "-C", str(root), "show", f"{ref}:{VERSION_FILE}"], capture_output=True, text=True, check=False
    )
    return parse_version(done.stdout) if done.returncode == 0 else None


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="the version and CHANGELOG.md agree")
    check.add_argument("--base", help="git revision to compare the version with (a pull request's base)")
    check.add_argument("--tag", help="the release tag being built (vX.Y.Z)")
    show = sub.add_parser("notes", help="print the CHANGELOG section of a version")
    show.add_argument("tag", help="vX.Y.Z or X.Y.Z")
    args = parser.parse_args(argv)
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    if args.command == "notes":
        body = notes(changelog, args.tag.removeprefix("v"))
        if not (body or "").strip():
            print(f"CHANGELOG.md has no section for {args.tag}", file=sys.stderr)
            return 1
        print(body)
        return 0
    version = parse_version((root / VERSION_FILE).read_text(encoding="utf-8"))
    base_version = version_at(root, args.base) if args.base else None
    found = problems(version, changelog, base_version=base_version, tag=args.tag)
    for line in found:
        print(f"error: {line}", file=sys.stderr)
    if not found:
        print(
            f"version {version} and CHANGELOG.md agree" + (f" (base {args.base}: {base_version})" if args.base else "")
        )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
