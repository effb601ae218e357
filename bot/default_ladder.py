"""boardbot's own escalation ladder, for a protocol that commits its boards to mutual
challenge but names no steps. Labelled as boardbot's default wherever it is shown."""

from __future__ import annotations

from storage.protocol.schema import Rung

# Used where a protocol commits the boards to mutual challenge but names no steps. It is
# boardbot's own, labelled as such wherever it is shown, and modelled on the routes the
# other seed protocols share.
DEFAULT_LADDER: tuple[Rung, ...] = tuple(
    Rung.model_validate(r)
    for r in (
        {
            "key": "written_request", "kind": "written_request", "title": "Formal written request",
            "text": "The raising chair writes to the other board's chair asking for information or consideration of the area of concern.",
            "source": {"doc": "boardbot", "clause": "default ladder"},
        },
        {
            "key": "agenda_item", "kind": "agenda_item", "title": "Item on the other board's agenda",
            "text": "The raising chair asks for an item on the other board's agenda to address the concern.",
            "source": {"doc": "boardbot", "clause": "default ladder"},
        },
        {
            "key": "chairs_meeting", "kind": "chairs_meeting", "title": "Meeting of the chairs",
            "text": "The chairs meet (with others as needed) to agree a way forward.",
            "attendees": ["Board chairs"],
            "source": {"doc": "boardbot", "clause": "default ladder"},
        },
        {
            "key": "resolution_meeting", "kind": "resolution_meeting", "title": "Resolution meeting",
            "text": "A resolution meeting of the chairs and the relevant directors.",
            # named for each challenge from the boards involved (AreaKnowledge.attendees)
            "attendees": ["The chairs of the boards involved", "The directors whose posts sit on those boards"],
            "notify_directors": True,
            "source": {"doc": "boardbot", "clause": "default ladder"},
        },
    )
)
