"""How many steps, and how long, it takes to add the seed's first three claims through `annotate`.

Drives the page in headless Chromium as a contributor would: for each claim, one selection of the
quote in the text, then each field the claim fills (a typed value or a choice), then one click on
Save. Works on a copy of the dataset without those three claims, and compares the rows written with
the seed's (every field but the ID, dates and the notes). Prints the steps and the run's times.

    python benchmarks/annotate_steps.py            # needs: apt-get install chromium chromium-driver

The browser's own time is not a person's: the printed estimate adds a reading/typing pace
(--seconds-per-choice, --chars-per-second) to show what a contributor would spend.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests")]

from annotating import SEED, copy_dataset, rows_of, serving  # noqa: E402
from browser import chromium  # noqa: E402
from conftest import read_rows, write_rows  # noqa: E402
from test_annotate_browser import fill, open_page, save_and_wait, select_quote  # noqa: E402

CHOICES = ("attribution", "claim_type", "modality")
TYPED = ("asserted_by", "statement", "tags", "time_phrase", "time_edtf", "horizon")
NAME_TYPED = {"act-belarus-in-focus": "Belarus in Focus", "act-rus-unnamed-critics": "Unnamed Russian critics of Minsk"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=3, help="how many of the seed's first claims (default 3)")
    parser.add_argument("--seconds-per-choice", type=float, default=8.0, help="reading the choices and picking one")
    parser.add_argument("--chars-per-second", type=float, default=3.0, help="typing pace (~36 words a minute)")
    parser.add_argument("--seconds-per-selection", type=float, default=10.0, help="finding and selecting a quote")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = copy_dataset(Path(folder) / "dataset")
        path = root / "records" / "claims.csv"
        rows = read_rows(path)
        header, seed = rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1 : 1 + args.claims]]
        write_rows(path, [header, *rows[1 + args.claims :]])
        steps = {"selections": 0, "choices": 0, "typed fields": 0, "clicks": 0}
        typed_chars = 0
        wall, cpu = time.perf_counter(), time.process_time()
        with serving(root, SEED) as server, chromium() as driver:
            box = open_page(driver, server.url)
            for claim in seed:
                select_quote(driver, box, claim["quote"])
                steps["selections"] += 1
                for name in CHOICES:
                    fill(driver, name, claim[name])
                    steps["choices"] += 1
                for name in TYPED:
                    value = NAME_TYPED.get(claim[name], claim[name]) if name == "asserted_by" else claim[name]
                    if value:
                        fill(driver, name, value)
                        steps["typed fields"] += 1
                        typed_chars += len(value)
                status = save_and_wait(driver)
                steps["clicks"] += 1
                if not status.startswith("saved"):
                    sys.exit(f"{claim['id']}: {driver.find_element('css selector', '[data-testid=problems]').text}")
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        compared = ("source_id", "asserted_by", "attribution", "claim_type", "modality", "statement", "quote")
        compared += ("start", "end", "prefix", "suffix", "tags", "time_edtf", "time_phrase", "horizon", "resolution")
        written = {tuple(r[c] for c in compared) for r in rows_of(root, "claims")}
        same = sum(tuple(c[k] for k in compared) in written for c in seed)
    total = sum(steps.values())
    person = (
        steps["selections"] * args.seconds_per_selection
        + steps["choices"] * args.seconds_per_choice
        + typed_chars / args.chars_per_second
        + steps["clicks"] * 2
    )
    print(f"claims added: {len(seed)}; identical to the seed's rows (all but ID, dates, notes): {same}")
    print(
        "steps: " + ", ".join(f"{v} {k}" for k, v in steps.items()) + f" = {total} ({total / len(seed):.1f} per claim)"
    )
    print(f"typed: {typed_chars} characters (statements, names, tags)")
    print(f"browser run: {wall:.1f} s wall, {cpu:.1f} s CPU in this process (server + driver)")
    print(
        f"estimated for a person at the pace given: {person / 60:.1f} minutes ({person / len(seed) / 60:.1f} per claim)"
    )
    notes = sum(len(c["notes"]) for c in seed)
    with_notes = person + notes / args.chars_per_second
    print(f"  plus the seed's curator notes ({notes} characters, optional): {with_notes / 60:.1f} minutes")


if __name__ == "__main__":
    main()
