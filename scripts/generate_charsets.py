"""Regenerate belarus_data/models/_charset_data.py: the characters no cell may hold, from Unicode properties.

    python scripts/generate_charsets.py          # write the file
    python scripts/generate_charsets.py --check  # exit 1 if the committed file differs

Run it after moving to a Python whose ``unicodedata`` has a newer Unicode version
(tests/test_characters.py says when), and review the diff: newly assigned
characters leave UNASSIGNED.
"""

from __future__ import annotations

import sys
from pathlib import Path

from belarus_data.models import characters

TARGET = Path(characters.__file__).with_name("_charset_data.py")


def main(argv: list[str]) -> int:
    text = characters.render(characters.derive())
    if "--check" in argv:
        if TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is out of date: run python scripts/generate_charsets.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
