"""The data model: record classes (one per table) and the column rules they are built from."""

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
