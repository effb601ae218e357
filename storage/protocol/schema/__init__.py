"""The shape of an area's joint protocol, as boardbot stores and answers from it.

One YAML file per area follows this schema. Every fact carries a ``source`` (which
document of the area, which clause) so that any answer can cite the protocol it comes
from. Where a protocol is silent, the data says so explicitly (a theme with no lead
carries ``no_lead``; an area whose protocol names no challenge ladder has
``challenge.named: false``) rather than leaving a gap the bot might fill with a guess.

One module per part of the file: :mod:`.facts` (sources, facts and the field types every
part uses), :mod:`.area` (the area, its documents and agreements), :mod:`.boards`,
:mod:`.themes`, :mod:`.challenge` (the ladder), :mod:`.sharing`, :mod:`.meetings`,
:mod:`.reports` (reports and deadlines), :mod:`.roles`, :mod:`.protocol_info` (the document
itself: versions, signatories, review), :mod:`.coverage` (the parts that may be marked not
transcribed) and :mod:`.protocol` (the whole file). The names below are the schema's public
face, imported from here by the loader, the index, the scheduler and the drafter.

Cross-references (board keys, document keys, theme keys) are checked by
:func:`cross_check`, which returns errors with the path of the offending field so the
loader can name the file and line.
"""

from storage.protocol.schema.area import Agreement, AreaInfo, Document
from storage.protocol.schema.boards import (
    Board,
    BoardKind,
    Cadence,
    Councils,
    Membership,
    Office,
    PublicMeetings,
    SubGroup,
)
from storage.protocol.schema.challenge import (
    DELEGATE_WORDS,
    ChallengeRoute,
    DelegateKind,
    Rung,
    RungKind,
)
from storage.protocol.schema.coverage import SECTION_WORDS, SECTIONS, CoverageMark, Section
from storage.protocol.schema.crossref import (
    CrossRefError,
    cross_check,
    cross_check_data,
    pending_review,
)
from storage.protocol.schema.facts import (
    URL_PATTERN,
    Fact,
    Key,
    Part,
    PartialDate,
    ReviewState,
    Season,
    Slug,
    Source,
    Text,
    field_doc,
    parse_partial_date,
)
from storage.protocol.schema.meetings import MeetingCadence, RecurringMeeting
from storage.protocol.schema.protocol import Protocol
from storage.protocol.schema.protocol_info import ProtocolInfo, Review, Signatory, Version
from storage.protocol.schema.reports import Deadline, ReportAction, ReportingDuty
from storage.protocol.schema.roles import Role, Seat, SeatCapacity
from storage.protocol.schema.sharing import SharedItem, SharingRule
from storage.protocol.schema.themes import Support, Theme

__all__ = [
    "DELEGATE_WORDS", "SECTIONS", "SECTION_WORDS", "URL_PATTERN",
    "Agreement", "AreaInfo", "Board", "BoardKind", "Cadence", "ChallengeRoute", "Councils", "CoverageMark",
    "CrossRefError", "Deadline", "DelegateKind", "Document", "Fact", "Key", "MeetingCadence", "Membership", "Office",
    "Part", "PartialDate", "Protocol", "ProtocolInfo", "PublicMeetings", "RecurringMeeting", "ReportAction",
    "ReportingDuty", "Review", "ReviewState", "Role", "Rung", "RungKind", "Season", "Seat", "SeatCapacity", "Section",
    "SharedItem", "SharingRule", "Signatory", "Slug", "Source", "SubGroup", "Support", "Text", "Theme", "Version",
    "cross_check", "cross_check_data", "field_doc", "parse_partial_date", "pending_review",
]
