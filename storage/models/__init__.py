"""SQLAlchemy models, one module per part (base, protocols, people, outbox, calendar, work): the protocols (read side) and everything people do (write side).

The protocol of an area is stored whole, as the validated document of each imported
revision (history is kept), with its boards also as rows so that channel links,
challenges and agenda requests can refer to them. Everything people do is append-only
where it is a record (audit events) and de-duplicated on natural keys where a platform
may deliver the same thing twice (Slack retries, double clicks, Teams re-sends).

All timestamps are timezone-aware UTC; local (Europe/London) time is a presentation
concern.
"""


from __future__ import annotations

from storage.models.base import NAMING, Base, UTCDateTime, utcnow
from storage.models.calendar import AreaDate, CalendarFeed, OccurrenceState, ReminderRule
from storage.models.outbox import Delivery, Notice
from storage.models.people import (
    AuditEvent,
    ChannelLink,
    ConversationRef,
    Person,
    PersonRole,
    ProcessedRequest,
    Workspace,
)
from storage.models.protocols import Area, BoardRow, ProtocolRevision
from storage.models.work import AgendaRequest, BoardMeeting, Challenge, Lease, RiskEntry

__all__ = [
    "utcnow",
    "UTCDateTime",
    "NAMING",
    "Base",
    "Area",
    "ProtocolRevision",
    "BoardRow",
    "Workspace",
    "Person",
    "PersonRole",
    "ChannelLink",
    "ConversationRef",
    "ProcessedRequest",
    "AuditEvent",
    "Notice",
    "Delivery",
    "ReminderRule",
    "OccurrenceState",
    "AreaDate",
    "CalendarFeed",
    "Challenge",
    "BoardMeeting",
    "AgendaRequest",
    "Lease",
    "RiskEntry",
]
