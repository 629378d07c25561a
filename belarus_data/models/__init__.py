"""The data model: record classes (one per table) and the column rules they are built from.

The one source of truth: everything else (schemas, checks, dtypes) is derived
from it. May import: ``dates``, ``vocab``, ``problems``, ``_version``; never
``storage`` or anything above.
"""

from belarus_data.models.records import (
    ALL_MODELS,
    Actor,
    ActorAlias,
    Claim,
    Event,
    EventParticipant,
    Record,
    Source,
)

__all__ = ["ALL_MODELS", "Actor", "ActorAlias", "Claim", "Event", "EventParticipant", "Record", "Source"]
