"""Crosswalks from PLOVER event types to CAMEO codes and to ACLED event types, shipped as data.

They let users merge this dataset with event data coded in other schemes:
GDELT and ICEWS use CAMEO (join ``cameo_code`` on GDELT's ``EventCode``, or
its first two digits on ``EventRootCode``); ACLED uses its own event and
sub-event types; POLECAT is coded in PLOVER already, so ``event_type`` joins
it directly. ``match`` says how the other scheme's category relates to ours
(SKOS-style): ``close`` (about the same), ``narrower`` (covers part of our
type), ``broader`` (covers more than our type), ``related`` (the nearest
there is, not the same thing) or ``none`` (no counterpart; other columns empty).
A ``mode`` limits the row to events of that PLOVER mode.

The tables live in ``belarus_data/crosswalk/*.csv`` and are read only when asked.
"""

from __future__ import annotations

import csv
import io
import re
from importlib import resources
from typing import TYPE_CHECKING, Literal

from belarus_data import vocab

if TYPE_CHECKING:
    import pandas as pd

System = Literal["cameo", "acled"]
SYSTEMS: tuple[System, ...] = ("cameo", "acled")
MATCHES = ("close", "narrower", "broader", "related", "none")
COLUMNS: dict[System, tuple[str, ...]] = {
    "cameo": ("event_type", "mode", "cameo_code", "cameo_name", "match", "note"),
    "acled": ("event_type", "mode", "acled_event_type", "acled_sub_event_type", "match", "note"),
}
CAMEO_CODE = re.compile(r"[0-9]{2,4}")
ACLED_TYPES = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    },
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    },
}


def crosswalk_rows(system: System) -> list[dict[str, str]]:
    """The crosswalk as checked rows of strings (empty string for an empty cell).

    Raises ValueError naming the file, line and column of anything malformed.

    >>> crosswalk_rows("cameo")[0]["event_type"]
    'AGREE'
    """
    if system not in SYSTEMS:
        raise ValueError(f"unknown crosswalk {system!r}; choose one of {', '.join(SYSTEMS)}")
    name = f"{system}.csv"
    text = resources.files("belarus_data").joinpath("crosswalk", name).read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = tuple(next(reader))
    where = f"belarus_data/crosswalk/{name}"
    if header != COLUMNS[system]:
        raise ValueError(f"{where}:1: header is {','.join(header)}; expected {','.join(COLUMNS[system])}")
    rows = []
    for line, cells in enumerate(reader, start=2):
        if len(cells) != len(header):
            raise ValueError(f"{where}:{line}: {len(cells)} cells, expected {len(header)} (quote commas in text)")
        row = dict(zip(header, cells, strict=True))
        problem = _row_problem(system, row)
        if problem:
            raise ValueError(f"{where}:{line}: {problem}")
        rows.append(row)
    return rows


def _row_problem(system: System, row: dict[str, str]) -> str | None:
    if row["event_type"] not in vocab.EVENT_TYPE:
        return f"event_type: {row['event_type']!r} is not a PLOVER event type"
    if row["mode"] and row["mode"] not in vocab.EVENT_MODE:
        return f"mode: {row['mode']!r} is not an event_mode code"
    if row["match"] not in MATCHES:
        return f"match: {row['match']!r} is not one of {', '.join(MATCHES)}"
    target = [row[c] for c in COLUMNS[system][2:4]]
    if (row["match"] == "none") != (target == ["", ""]):
        return "the target columns must be empty exactly when match is none"
    if row["match"] == "none":
        return None
    if system == "cameo" and not CAMEO_CODE.fullmatch(row["cameo_code"]):
        return f"cameo_code: {row['cameo_code']!r} is not a CAMEO code (2 to 4 digits)"
    if system == "acled" and row["acled_sub_event_type"] not in ACLED_TYPES.get(row["acled_event_type"], set()):
        return f"{row['acled_event_type']!r} / {row['acled_sub_event_type']!r} is not an ACLED event / sub-event type"
    return None


def load_crosswalk(system: System = "cameo") -> pd.DataFrame:
    """The crosswalk from PLOVER event types to ``"cameo"`` codes or ``"acled"`` event types, as a DataFrame.

    Empty cells are missing values. Every column but ``note`` is categorical:
    ``event_type`` and ``mode`` with the same categories as the loaders' columns
    (so a merge with :func:`belarus_data.load_events` keeps them categorical),
    ``match`` with its five codes, the other scheme's columns with their codes.
    Merge it on ``event_type`` (and, where ``mode`` is filled, on the event's mode too).

    >>> import belarus_data
    >>> cw = belarus_data.load_crosswalk("cameo")
    >>> sorted(cw.loc[cw.event_type == "COOPERATE", "cameo_code"])[:2]
    ['06', '061']
    >>> str(cw["match"].dtype)
    'category'
    """
    import pandas as pd

    frame = pd.DataFrame(crosswalk_rows(system), columns=list(COLUMNS[system]), dtype=pd.StringDtype())
    frame = frame.replace("", pd.NA)
    known: dict[str, list[str]] = {
        "event_type": list(vocab.EVENT_TYPE),
        "mode": list(vocab.EVENT_MODE),
        "match": list(MATCHES),
        "acled_event_type": list(ACLED_TYPES),
        "acled_sub_event_type": sorted({sub for subs in ACLED_TYPES.values() for sub in subs}),
    }
    for name in COLUMNS[system]:
        if name != "note":
            categories = known.get(name) or sorted(frame[name].dropna().unique())
            frame[name] = frame[name].astype(object).astype(pd.CategoricalDtype([str(c) for c in categories]))
    return frame


def cameo_matches(event_type: str, cameo_code: str, mode: str | None = None) -> bool:
    """Whether ``cameo_code`` falls under a CAMEO code the crosswalk gives for ``event_type`` (and mode).

    A code matches a listed code it starts with: 1125 falls under 112 and 11.

    >>> cameo_matches("ACCUSE", "1125"), cameo_matches("COOPERATE", "1125")
    (True, False)
    """
    return any(
        cameo_code.startswith(row["cameo_code"])
        for row in crosswalk_rows("cameo")
        if row["event_type"] == event_type and row["match"] != "none" and row["mode"] in ("", mode or "")
    )
