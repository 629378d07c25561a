"""Finding an actor by any of its names: ID, preferred name or alias (any script, metonyms too)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


def fold(text: str) -> str:
    """A loose form for matching names: compatibility-normalised, no accents, case-folded, one space.

    >>> fold("  Lukashénka’s ") == fold("lukashenka's")
    True
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True)
class ActorName:
    actor_id: str
    name: str  # the actor's preferred name
    label: str  # the name or alias matched
    kind: str  # "id", "name" or the alias_type


class ActorIndex:
    """Every name of every active actor, searchable by a folded form.

    >>> index = ActorIndex([{"id": "act-blr-gov", "name": "Government of Belarus"}],
    ...     [{"actor_id": "act-blr-gov", "alias": "Minsk", "alias_type": "metonym"}])
    >>> index.resolve("minsk")
    ['act-blr-gov']
    """

    def __init__(self, actors: list[dict[str, str | None]], aliases: list[dict[str, str | None]]) -> None:
        self.names: list[ActorName] = []
        preferred: dict[str, str] = {}
        for row in actors:
            if row.get("record_status", "active") != "active" or not row.get("id"):
                continue
            actor_id, name = str(row["id"]), str(row.get("name") or row["id"])
            preferred[actor_id] = name
            self.names.append(ActorName(actor_id, name, actor_id, "id"))
            self.names.append(ActorName(actor_id, name, name, "name"))
        for row in aliases:
            actor_id = str(row.get("actor_id") or "")
            if row.get("record_status", "active") != "active" or actor_id not in preferred:
                continue
            alias = str(row.get("alias") or "")
            self.names.append(ActorName(actor_id, preferred[actor_id], alias, str(row.get("alias_type") or "alias")))
        self.preferred = preferred

    def resolve(self, value: str) -> list[str]:
        """The IDs of the actors one of whose names is exactly ``value`` (folded); an ID stands for itself."""
        if value in self.preferred:
            return [value]
        key = fold(value)
        return sorted({n.actor_id for n in self.names if fold(n.label) == key})

    def search(self, query: str, limit: int = 20) -> list[ActorName]:
        """Names containing ``query`` (folded), exact matches first, one entry per actor and name."""
        key = fold(query)
        if not key:
            return []
        hits = [n for n in self.names if key in fold(n.label)]
        hits.sort(key=lambda n: (fold(n.label) != key, not fold(n.label).startswith(key), n.label))
        seen: set[tuple[str, str]] = set()
        out = []
        for hit in hits:
            if (hit.actor_id, hit.label) not in seen:
                seen.add((hit.actor_id, hit.label))
                out.append(hit)
        return out[:limit]
