"""Generate a complete, valid, synthetic belarus-data dataset root of any size, for benchmarks.

    python benchmarks/generate.py --claims 100000 --out benchmarks/out/100k --seed 1

The output is a dataset root (``records/*.csv``, ``records/texts/*.txt``,
``schema/``, ``datapackage.json``) that ``belarus-data validate --root DIR``
accepts with every check on. Sizes are proportional to the number of claims:

* one source per ~50 claims, each with a generated text (English in Latin
  script or Russian/Belarusian in Cyrillic, ~8-15k code points) whose SHA-256
  and length are recorded, and every claim's quote, offsets, prefix and suffix
  taken from that text;
* one event per 5 claims, two participants per event, one actor per 100
  claims (at least 40) with one alias each;
* about 1% of claims and events retracted and 1% superseded; records that
  point at them are withdrawn too, as the validator requires.

The same ``--seed`` gives byte-identical output. The directory is built beside
``--out`` and renamed into place at the end, so an interrupted run never leaves
a half-written dataset at ``--out``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import random
import re
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Run from a checkout without installing: make the package beside benchmarks/ importable.
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from belarus_data.checks.graph import PARENT_TYPES
from belarus_data.storage.generated import write_generated
from belarus_data.storage.tables import table

CLAIMS_PER_SOURCE = 50
CLAIMS_PER_EVENT = 5
CLAIMS_PER_ACTOR = 100
MIN_ACTORS = 40
CREATED = "2025-03-01"


def words(text: str) -> list[str]:
    return text.split()


LATIN_WORDS = words(
    "Minsk Moscow Kyiv Warsaw Vilnius Brussels Belarus Russia Ukraine Lukashenka regime army exercise "
    "airfield border brigade treaty union state security defence policy sanctions balance cooperation "
    "pressure Kremlin leadership integration missiles aircraft troops deployment neutrality sovereignty "
    "economy credit energy oil gas potash loans dialogue West Europe NATO CSTO partners officials "
    "analysts observers rapprochement strategy interests compromise concessions signals rhetoric "
    "Лукашэнка Менск Iskander airbase Baranavichy Machulishchy Homiel Hrodna Brest"
)
CYRILLIC_WORDS = words(
    "Минск Москва Киев Беларусь Россия Украина Лукашенко режим армия учения аэродром граница бригада "
    "договор союзное государство безопасность оборона политика санкции баланс сотрудничество давление "
    "Кремль руководство интеграция ракеты самолёты войска размещение нейтралитет суверенитет экономика "
    "кредит энергетика нефть газ калий займы диалог Запад Европа НАТО ОДКБ партнёры чиновники аналитики "
    "наблюдатели сближение стратегия интересы компромисс уступки сигналы риторика Менск Гродно Брест "
    "Барановичи Мачулищи Гомель ўрад бяспека суверэнітэт Iskander Su30SM NATO"
)
LATIN_TAILS = ("in the coming months", "according to sources", "as officials said", "once again", "for now")
CYRILLIC_TAILS = ("в ближайшие месяцы", "по данным источников", "как заявили чиновники", "в очередной раз")
COUNTRIES = ("BLR", "RUS", "UKR", "POL", "LTU", "LVA", "USA", "DEU", "CHN", "FRA", "GBR", "KAZ", "ARM", "TUR")
OUTLETS = ("Belarus in Focus", "Nasha Niva", "Zerkalo", "BelaPAN", "Meduza", "Carnegie Politika", "RFE/RL")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October")
MONTHS_RU = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября")
EVENT_TYPES = ("CONSULT", "COOPERATE", "MOBILIZE", "AID", "ACCUSE", "AGREE", "SANCTION", "THREATEN", "REJECT")
MODES = ("troops", "air", "weapons", "bases", "exercise", "surveillance", "statement", "proposal")
CONTEXTS = ("military", "intelligence", "political", "economic", "diplomatic")
PAST_STATUSES = ("occurred", "reported", "alleged", "denied")
ROLES = ("initiator", "recipient", "participant", "target", "host", "reporter")
ACTOR_TYPES = ("state", "government", "armed_forces", "ministry", "organisation", "person", "group")
SECTORS = ("GOV", "MIL", "SPY", "LEG", "OPP", "ELI")
TAGS = ("defence", "air-force", "regime-security", "belarus-russia-relations", "sanctions", "energy", "nato")


def base36_id(prefix: str, index: int, width: int = 8) -> str:
    """A unique, random-looking ID: a bijection of ``index`` on 36**width (the multiplier is prime to 36)."""
    space = 36**width
    value = (index * 2_654_435_761 + 97_531) % space
    digits = []
    for _ in range(width):
        value, rest = divmod(value, 36)
        digits.append("0123456789abcdefghijklmnopqrstuvwxyz"[rest])
    return prefix + "".join(reversed(digits))


def claim_id(index: int) -> str:
    return base36_id("clm-", index)


def event_id(index: int) -> str:
    return base36_id("evt-", index)


def actor_id(index: int) -> str:
    return f"act-gen-{index:05d}"


def source_id(index: int) -> str:
    return f"src-gen-{index:06d}"


@dataclass(frozen=True)
class Sizes:
    """How many records of each kind a dataset with ``claims`` claims gets."""

    claims: int

    @property
    def sources(self) -> int:
        return max(1, -(-self.claims // CLAIMS_PER_SOURCE))

    @property
    def events(self) -> int:
        return max(2, self.claims // CLAIMS_PER_EVENT)

    @property
    def actors(self) -> int:
        return max(MIN_ACTORS, self.claims // CLAIMS_PER_ACTOR)


class Writer:
    """CSV rows for one table, written with the header the models give."""

    def __init__(self, root: Path, name: str) -> None:
        self.columns = table(name).columns
        self.handle = (root / table(name).path).open("w", encoding="utf-8", newline="")
        self.csv = csv.writer(self.handle, lineterminator="\n")
        self.csv.writerow(self.columns)

    def row(self, values: dict[str, str | int | None]) -> None:
        self.csv.writerow(["" if values.get(c) is None else values[c] for c in self.columns])

    def close(self) -> None:
        self.handle.close()


def lifecycle(status: str = "active", reason: str | None = None) -> dict[str, str | int | None]:
    """Version and status. Every generated record is new, so it is at version 1 (the versioning rules)."""
    return {"version": 1, "created": CREATED, "updated": CREATED, "record_status": status, "status_reason": reason}


def sentence(rng: random.Random, cyrillic: bool, low: int, high: int) -> str:
    """One sentence of ``low``-``high`` words, starting with a capital letter and ending with a full stop."""
    words = rng.choices(CYRILLIC_WORDS if cyrillic else LATIN_WORDS, k=rng.randint(low, high))
    if rng.random() < 0.3:
        words.append(rng.choice(CYRILLIC_TAILS if cyrillic else LATIN_TAILS))
    text = " ".join(words)
    return text[0].upper() + text[1:] + ("," if rng.random() < 0.1 else "") + "."


def in_one_script(text: str, cyrillic: bool) -> str:
    """``text`` without the words of the other script (an alias's letters match its script column)."""
    other = re.compile("[A-Za-z]" if cyrillic else "[\u0400-\u04ff]")
    kept = " ".join(word for word in text.split(" ") if not other.search(word))
    return kept or ("Минск" if cyrillic else "Minsk")


def edtf_past(rng: random.Random) -> str:
    """An EDTF value between 2015 and 2022 (every source is published later), in one of several shapes."""
    year, month, day = rng.randint(2015, 2022), rng.randint(1, 12), rng.randint(1, 28)
    shape = rng.random()
    if shape < 0.4:
        return f"{year}-{month:02d}-{day:02d}"
    if shape < 0.6:
        return f"{year}-{month:02d}"
    if shape < 0.75:
        return f"{year}-{month:02d}-~{day:02d}"
    if shape < 0.9:
        return f"{year}-{month:02d}-{min(day, 18):02d}/{year}-{month:02d}-{min(day, 18) + 10:02d}"
    return f"{year}?"


def edtf_published(rng: random.Random) -> str:
    """An EDTF value in 2023-2024: after every edtf_past date, before every source was retrieved and entered."""
    year, month, day = rng.randint(2023, 2024), rng.randint(1, 12), rng.randint(1, 28)
    shape = rng.random()
    if shape < 0.6:
        return f"{year}-{month:02d}-{day:02d}"
    if shape < 0.8:
        return f"{year}-{month:02d}-~{day:02d}"
    return f"{year}-{month:02d}"


def write_actors(root: Path, rng: random.Random, sizes: Sizes) -> tuple[list[str], list[str]]:
    """Actors and their aliases; returns (active actor IDs, active media actor IDs)."""
    actors, aliases = Writer(root, "actors"), Writer(root, "actor_aliases")
    active: list[str] = []
    media: list[str] = []
    kinds: dict[str, str] = {}  # actor ID -> actor_type, to pick parents the hierarchy rule allows
    withdrawn_from = sizes.actors - max(1, sizes.actors // 100)  # the last ~1% are superseded, unreferenced
    for i in range(sizes.actors):
        ident = actor_id(i)
        is_media = i % 10 == 0
        cyrillic = rng.random() < 0.3
        name = f"{rng.choice(OUTLETS)} {i}" if is_media else sentence(rng, cyrillic, 1, 3)[:-1]
        kind = "media" if is_media else rng.choice(ACTOR_TYPES)
        country = rng.choice(COUNTRIES) if rng.random() < 0.8 else None
        parent = active[rng.randrange(len(active))] if active and rng.random() < 0.3 else None
        if parent is not None and kind in PARENT_TYPES and kinds[parent] not in PARENT_TYPES[kind]:
            parent = None  # the hierarchy rule (actor-parent-level): no skipped level
        row: dict[str, str | int | None] = {
            "id": ident,
            "name": name,
            "actor_type": kind,
            "country": country,
            "parent_id": parent,
            "sector": "MED" if is_media else (rng.choice(SECTORS) if rng.random() < 0.7 else None),
            "wikidata": f"Q{rng.randint(1, 99_999_999)}" if rng.random() < 0.4 else None,
            "description": sentence(rng, False, 6, 20) if rng.random() < 0.7 else None,
        }
        if i >= withdrawn_from:
            row |= lifecycle("superseded", "Merged into another actor record.")
            row["superseded_by"] = actor_id(0)
        else:
            row |= lifecycle()
            active.append(ident)
            kinds[ident] = kind
            (media if is_media else []).append(ident)
            alias_cyrillic = rng.random() < 0.5
            aliases.row(
                {
                    "actor_id": ident,
                    "alias": in_one_script(sentence(rng, alias_cyrillic, 1, 3)[:-1], alias_cyrillic),
                    "alias_type": rng.choice(("name", "spelling", "native", "abbreviation", "metonym")),
                    "language": ("ru" if alias_cyrillic else "en") if rng.random() < 0.9 else None,
                    "script": "Cyrl" if alias_cyrillic else "Latn",
                }
                | lifecycle()
            )
        actors.row(row)
    actors.close()
    aliases.close()
    return active, media


def write_events(root: Path, rng: random.Random, sizes: Sizes, actors: list[str]) -> list[str]:
    """Events and participants; returns the IDs of active events (the only ones active claims may cite)."""
    events, participants = Writer(root, "events"), Writer(root, "event_participants")
    active: list[str] = []
    for i in range(sizes.events):
        ident = event_id(i)
        roll = rng.random()
        status, reason, by = "active", None, None
        if roll < 0.01 and i > 0:
            status, reason = "retracted", "Duplicate report; folded."
        elif roll < 0.02 and i > 0:
            # Superseded by an active event: a replacement is never itself withdrawn (no chains).
            status, reason, by = "superseded", "Split into a more precise event.", active[-1]
        date = edtf_past(rng)
        has_phrase = rng.random() < 0.3
        month = rng.randrange(len(MONTHS_EN))
        if has_phrase:
            # "in mid-<Month>" resolved as days 11-20 of that month in the year before the anchor's
            # (anchors are in 2023); the anchor is named in notes.
            date = f"2022-{month + 1:02d}-11/2022-{month + 1:02d}-20"
        country = rng.choice(COUNTRIES) if rng.random() < 0.7 else None
        row: dict[str, str | int | None] = {
            "id": ident,
            "event_type": rng.choice(EVENT_TYPES),
            "mode": rng.choice(MODES) if rng.random() < 0.7 else None,
            "context": ";".join(sorted(rng.sample(CONTEXTS, rng.randint(1, 2)))) if rng.random() < 0.8 else None,
            "cameo_code": f"{rng.randint(1, 20):02d}{rng.randint(0, 9)}" if rng.random() < 0.5 else None,
            "description": sentence(rng, False, 8, 25),
            "date_edtf": date if rng.random() < 0.9 or has_phrase else None,
            "time_precision": rng.choice("123") if rng.random() < 0.5 else None,
            "date_phrase": f"in mid-{MONTHS_EN[month]}" if has_phrase else None,
            "date_anchor": f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if has_phrase else None,
            "country": country,
            "location_name": rng.choice(("Minsk", "Brest", "Гродно", "Machulishchy")) if rng.random() < 0.4 else None,
            "geo_precision": rng.choice("123") if country else None,
            "event_status": rng.choice(PAST_STATUSES) if rng.random() < 0.9 else rng.choice(("planned", "proposed")),
            "notes": "anchor: the date stamp of a text reporting it (generated)."
            if has_phrase
            else (sentence(rng, False, 5, 15) if rng.random() < 0.2 else None),
            "superseded_by": by,
        } | lifecycle(status, reason)
        events.row(row)
        if status == "active":
            active.append(ident)
        for actor, role in zip(rng.sample(actors, 2), rng.sample(ROLES, 2), strict=True):
            participants.row(
                {"event_id": ident, "actor_id": actor, "role": role, "notes": None}
                | lifecycle(status if status == "active" else "retracted", reason)
            )
    events.close()
    participants.close()
    return active


class Cycle:
    """The items in turn, forever."""

    def __init__(self, items: list[str]) -> None:
        self.items, self.at = items, 0

    def next(self) -> str:
        item = self.items[self.at % len(self.items)]
        self.at += 1
        return item


@dataclass
class Quote:
    text: str
    start: int
    prefix: str | None
    suffix: str | None


def source_text(rng: random.Random, cyrillic: bool, quotes: int) -> tuple[str, list[Quote]]:
    """A source text with ``quotes`` quotable sentences, and where each one is."""
    parts: list[str] = []
    spans: list[tuple[str, int]] = []
    length = 0
    for _ in range(quotes):
        for _ in range(rng.randint(0, 2)):  # context between the quoted sentences
            filler = sentence(rng, cyrillic, 6, 30) + " "
            parts.append(filler)
            length += len(filler)
        quoted = sentence(rng, cyrillic, 6, 40)
        spans.append((quoted, length))
        parts.append(quoted + ("\n\n" if rng.random() < 0.1 else " "))
        length += len(parts[-1])
    text = "".join(parts).rstrip() + "\n"
    found = []
    for quoted, start in spans:
        end = start + len(quoted)
        # A prefix/suffix must not start with a formula lead or hold a newline: take a clean slice.
        prefix = text[max(0, start - 32) : start]
        suffix = text[end : end + 32]
        found.append(
            Quote(
                quoted,
                start,
                prefix if prefix.strip() and "\n" not in prefix else None,
                suffix if suffix.strip() and "\n" not in suffix else None,
            )
        )
    return text, found


def write_sources_and_claims(root: Path, rng: random.Random, sizes: Sizes, actors: list[str], media: list[str]) -> None:
    sources, claims = Writer(root, "sources"), Writer(root, "claims")
    events = write_events(root, rng, sizes, actors)
    texts = root / "records" / "texts"
    texts.mkdir(parents=True, exist_ok=True)
    remaining = sizes.claims
    claim_index = 0
    last_active = claim_id(0)  # the first claim is always active
    # Active claims cite the active events in turn, so every active event is reported by one (curation rule).
    citing = Cycle(events)
    for s in range(sizes.sources):
        count = remaining if s == sizes.sources - 1 else min(remaining, rng.randint(30, 70))
        remaining -= count
        cyrillic = rng.random() < 0.4
        text, quotes = source_text(rng, cyrillic, max(count, 1))
        data = text.encode("utf-8")
        ident = source_id(s)
        name = f"{ident.removeprefix('src-')}.txt"
        (texts / name).write_bytes(data)
        published = edtf_published(rng)
        outlet = rng.choice(media)
        sources.row(
            {
                "id": ident,
                "title": sentence(rng, cyrillic, 4, 12)[:-1],
                "outlet": rng.choice(OUTLETS),
                "outlet_actor_id": outlet,
                "author": "Аляксандр Класкоўскі" if cyrillic and rng.random() < 0.3 else None,
                "url": f"https://example.org/{ident}.html",
                "language": rng.choice(("ru", "be")) if cyrillic else "en",
                "published": published,
                "published_basis": "Generated: the page's own date stamp.",
                "page_stamp": None,
                "page_updated": None,
                "retrieved": "2025-02-01",
                "text_path": f"texts/{name}",
                "text_sha256": hashlib.sha256(data).hexdigest(),
                "text_length": len(text),
                "redistribution": rng.choice(("yes", "no", "unknown")),
                "licence_note": None,
                "notes": None,
                "superseded_by": None,
            }
            | lifecycle()
        )
        for quote in quotes[:count]:
            row = claim_row(rng, claim_index, ident, outlet, actors, citing, quote, published, last_active)
            claims.row(row)
            if row["record_status"] == "active":
                last_active = claim_id(claim_index)
            claim_index += 1
    sources.close()
    claims.close()


def claim_row(
    rng: random.Random,
    index: int,
    source: str,
    outlet: str,
    actors: list[str],
    events: Cycle,
    quote: Quote,
    published: str,
    replacement: str,
) -> dict[str, str | int | None]:
    """One claim that follows the model and the curation rules (docs/curation.md)."""
    roll = rng.random()
    status, reason, by = "active", None, None
    if roll < 0.01 and index > 0:
        status, reason = "retracted", "The quote does not support the claim."
    elif roll < 0.02 and index > 0:
        # Superseded by an active claim: a replacement is never itself withdrawn (no chains).
        status, reason, by = "superseded", "Restated more precisely.", replacement
    claim_type = rng.choice(("report", "assessment", "prediction", "characterisation", "intention", "historical"))
    attribution = rng.choice(("author", "cited", "unnamed"))
    # Whose voice: the outlet's own (author), or another actor's; 'reported' only for relayed claims.
    asserted_by = outlet if attribution == "author" else rng.choice([a for a in rng.sample(actors, 2) if a != outlet])
    modalities = ["asserted", "probable", "possible", "negated"] + (["reported"] if attribution != "author" else [])
    if claim_type == "prediction":
        modalities.append("predicted")
    has_time = rng.random() < 0.5
    has_phrase = has_time and rng.random() < 0.4
    month = rng.randrange(len(MONTHS_EN))  # a phrase names a month of the year before the source's
    resolution = rng.choice(("open", "open", "came_true", "did_not", "partly")) if claim_type == "prediction" else None
    horizon = edtf_published(rng) if resolution is not None and rng.random() < 0.7 else None
    notes = sentence(rng, False, 5, 20) if rng.random() < 0.1 or (resolution is not None and horizon is None) else None
    # A dated report must link its event; others link one half of the time.
    cites_event = status == "active" and ((claim_type == "report" and has_time) or rng.random() < 0.5)
    return {
        "id": claim_id(index),
        "source_id": source,
        "asserted_by": asserted_by,
        "attribution": attribution,
        "claim_type": claim_type,
        "modality": rng.choice(modalities),
        "statement": sentence(rng, False, 10, 30),
        "quote": quote.text,
        "start": quote.start,
        "end": quote.start + len(quote.text),
        "prefix": quote.prefix,
        "suffix": quote.suffix,
        "event_id": events.next() if cites_event else None,
        "time_edtf": (f"{int(published[:4]) - 1}-{month + 1:02d}" if has_phrase else edtf_past(rng))
        if has_time
        else None,
        "time_phrase": (f"in {MONTHS_EN[month]}" if rng.random() < 0.5 else f"в {MONTHS_RU[month]}")
        if has_phrase
        else None,
        "time_anchor": published if has_phrase else None,
        "tags": ";".join(sorted(rng.sample(TAGS, rng.randint(1, 3)))) if rng.random() < 0.7 else None,
        "horizon": horizon,
        "resolution": resolution,
        "resolution_note": sentence(rng, False, 5, 15) if resolution not in (None, "open") else None,
        "notes": notes,
        "superseded_by": by,
    } | lifecycle(status, reason)


def generate(claims: int, out: Path, seed: int = 1) -> Path:
    """Write a valid dataset root with ``claims`` claims to ``out`` (replacing it) and return ``out``.

    >>> root = generate(200, Path("benchmarks/out/doc"))   # doctest: +SKIP
    >>> import belarus_data; belarus_data.validate(root).ok  # doctest: +SKIP
    True
    """
    if claims < 1:
        raise ValueError("--claims must be at least 1")
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.parent / f".{out.name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    (partial / "records").mkdir(parents=True)
    rng = random.Random(seed)
    sizes = Sizes(claims)
    actors, media = write_actors(partial, rng, sizes)
    write_sources_and_claims(partial, rng, sizes, actors, media)
    write_generated(partial)
    # Swap the finished directory into place; the old one is removed only afterwards.
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    partial.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    return out


def iter_sizes(text: str) -> Iterator[int]:
    for part in text.split(","):
        yield int(part.replace("_", "").lower().replace("k", "000").replace("m", "000000"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--claims", required=True, help="number of claims, e.g. 100000, 100k or 1m")
    parser.add_argument("--out", type=Path, required=True, help="dataset root to write (replaced if it exists)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    args = parser.parse_args(argv)
    try:
        (claims,) = list(iter_sizes(args.claims))
    except ValueError:
        parser.error(f"--claims: {args.claims!r} is not a number such as 100000, 100k or 1m")
    began = time.perf_counter()
    try:
        root = generate(claims, args.out, args.seed)
    except ValueError as err:
        parser.error(str(err))
    print(f"wrote {claims:,} claims to {root} in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
