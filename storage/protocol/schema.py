"""The shape of an area's joint protocol, as boardbot stores and answers from it.

One YAML file per area follows this schema. Every fact carries a ``source`` (which
document of the area, which clause) so that any answer can cite the protocol it comes
from. Where a protocol is silent, the data says so explicitly (a theme with no lead
carries ``no_lead``; an area whose protocol names no challenge ladder has
``challenge.named: false``) rather than leaving a gap the bot might fill with a guess.

Cross-references (board keys, document keys, theme keys) are checked by
:func:`cross_check`, which returns errors with the path of the offending field so the
loader can name the file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError, PydanticUndefined

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
PartialDate = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]

BoardKind = Literal[
    "safeguarding_children",
    "safeguarding_adults",
    "health_and_wellbeing",
    "community_safety",
    "childrens_trust",
    "corporate_parenting",
    "commissioning",
    "scrutiny",
    "policing",
    "early_help",
    "other",
]

Season = Literal["spring", "summer", "autumn", "winter"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


ReviewState = Literal["pending", "reviewed"]


class Source(_Model):
    """Where a fact comes from: a document of this area (by key) and its clause.

    A fact drafted by machine from the document carries ``review: pending`` and the
    ``quote`` it was drafted from until a person has checked it against the document;
    such facts load and are answered, and ``protocol validate`` counts them.
    """

    doc: Key
    clause: Text
    review: ReviewState | None = None
    quote: Text | None = None


class Fact(_Model):
    """A statement of the protocol, with its source."""

    text: Text
    source: Source


class Document(_Model):
    """A source document of the area's protocol (the seed file it was transcribed from)."""

    key: Key
    file: Text
    title: Text


class AreaInfo(_Model):
    slug: Slug
    name: Text
    aliases: list[Text] = []
    council: Text | None = None


class Office(_Model):
    """A post on a board (chair, business manager, lead officer) as the protocol gives it."""

    title: Text
    name: Text | None = None
    note: Text | None = None
    source: Source


class Cadence(_Model):
    """How often a board or group meets. ``per_year`` is None where the protocol gives no number."""

    text: Text
    per_year: float | None = None
    source: Source


class PublicMeetings(_Model):
    value: bool
    source: Source


class SubGroup(_Model):
    name: Text
    text: Text | None = None
    meets: Text | None = None
    source: Source


class Membership(_Model):
    """The organisations represented on a board, as listed in the protocol."""

    members: list[Text]
    source: Source


class Board(_Model):
    """A board, partnership or linked group.

    ``party`` is True for the boards that are parties to the protocol and False for the
    groups it only links to (scrutiny committees, commissioning teams, panels).
    """

    key: Key
    short_name: Text
    name: Text
    aliases: list[Text] = []
    kind: BoardKind
    party: bool = True
    statutory_basis: Fact | None = None
    purpose: Fact | None = None
    functions: list[Fact] = []
    priorities: list[Fact] = []
    chair: Office | None = None
    business_manager: Office | None = None
    meets: Cadence | None = None
    meets_in_public: PublicMeetings | None = None
    independence: Fact | None = None
    accountability: list[Fact] = []
    membership: Membership | None = None
    subgroups: list[SubGroup] = []


class Support(_Model):
    """A board that supports (does not lead) on a theme, and what it does."""

    board: Key
    role: Text
    source: Source


class Theme(_Model):
    """A theme of shared interest and who leads on it.

    Exactly one of ``leads`` (one board, or several for a joint lead) or ``no_lead``
    (what the protocol says instead, in plain words) must be given.
    """

    key: Key
    name: Text
    aliases: list[Text] = []
    leads: list[Key] = []
    lead_role: Text | None = None
    no_lead: Text | None = None
    supporting: list[Support] = []
    notes: list[Fact] = []
    source: Source

    @model_validator(mode="after")
    def _lead_or_reason(self) -> Theme:
        if not self.leads and not self.no_lead:
            raise ValueError("a theme needs 'leads' (one or more board keys) or 'no_lead' (what the protocol says instead)")
        if self.leads and self.no_lead:
            raise ValueError("give either 'leads' or 'no_lead', not both")
        if len(set(self.leads)) != len(self.leads):
            raise ValueError("'leads' lists a board twice")
        return self


RungKind = Literal["written_request", "agenda_item", "chairs_meeting", "resolution_meeting"]


class Rung(_Model):
    """One step of the mutual-challenge route.

    ``notify_directors`` marks the resolution rungs whose escalation notice goes to the
    area's directors' channel; ``attendees`` is who the protocol says must attend.
    """

    key: Key
    kind: RungKind
    title: Text
    text: Text
    attendees: list[Text] = []
    notify_directors: bool = False
    source: Source


class ChallengeRoute(_Model):
    """The area's mutual-challenge route.

    ``named`` is False where the protocol commits the boards to mutual challenge but
    names no steps; boardbot then uses its default ladder and labels it as such.
    """

    named: bool
    who_may_raise: Fact | None = None
    statement: Fact | None = None
    ladder: list[Rung] = []

    @model_validator(mode="after")
    def _ladder_when_named(self) -> ChallengeRoute:
        if self.named and not self.ladder:
            raise ValueError("'named: true' needs the protocol's 'ladder' of steps")
        if not self.named and self.ladder:
            raise ValueError("'named: false' means the protocol names no steps: leave 'ladder' out")
        keys = [r.key for r in self.ladder]
        if len(set(keys)) != len(keys):
            raise ValueError("two rungs of the ladder share a key")
        return self


SharedItem = Literal[
    "agendas", "minutes", "annual_reports", "annual_plans", "strategies", "inspection_reports", "information"
]


class SharingRule(_Model):
    """An information-sharing arrangement: what is shared, by whom, with whom, when."""

    key: Key
    text: Text
    items: list[SharedItem]
    from_boards: list[Key] = []
    to: list[Text] = []
    when: Text | None = None
    source: Source


MeetingCadence = Literal["quarterly", "annual", "six_monthly", "monthly", "after_each_meeting", "as_needed"]


class RecurringMeeting(_Model):
    """A meeting the protocol commits people to hold (officers' quarterly, chairs' annual...)."""

    key: Key
    title: Text
    cadence: MeetingCadence
    attendees: list[Text]
    boards: list[Key] = []
    months: list[Annotated[int, Field(ge=1, le=12)]] = []
    when: Text | None = None
    purpose: Text | None = None
    source: Source


ReportAction = Literal["present", "inform", "consult", "submit", "receive", "respond"]


class ReportingDuty(_Model):
    """A report one board owes another body: what, to whom, how, in which season, how often."""

    key: Key
    report: Text
    from_board: Key | None = None
    by: Text | None = None
    to_boards: list[Key] = []
    to_others: list[Text] = []
    action: ReportAction
    season: Season | None = None
    every_years: Annotated[int, Field(ge=1, le=10)] = 1
    text: Text | None = None
    source: Source

    @model_validator(mode="after")
    def _has_recipient(self) -> ReportingDuty:
        if not self.to_boards and not self.to_others:
            raise ValueError("a reporting duty needs 'to_boards' or 'to_others'")
        if not self.from_board and not self.by:
            raise ValueError("a reporting duty needs 'from_board' or 'by'")
        return self


class Deadline(_Model):
    """A statutory deadline counted from an event the area records (e.g. publication)."""

    key: Key
    title: Text
    after: Text
    working_days: Annotated[int, Field(ge=0, le=365)] | None = None
    days: Annotated[int, Field(ge=0, le=365)] | None = None
    board: Key | None = None
    recipients: list[Text] = []
    source: Source

    @model_validator(mode="after")
    def _one_period(self) -> Deadline:
        if (self.working_days is None) == (self.days is None):
            raise ValueError("give exactly one of 'working_days' or 'days'")
        return self


class Version(_Model):
    version: Text
    date: PartialDate | None = None
    change: Text
    source: Source


class Signatory(_Model):
    name: Text
    title: Text
    board: Key | None = None
    source: Source


class Review(_Model):
    """When the protocol is reviewed. ``rule`` says how the next date is found."""

    rule: Literal["annual_from_signing", "annual", "on_date", "unspecified"]
    next_due: PartialDate | None = None
    also_when: list[Text] = []
    text: Text
    source: Source


class ProtocolInfo(_Model):
    """The protocol document itself: title, version, approval, signatories, review, history.

    ``review`` may be left out only where ``coverage`` marks ``review`` not transcribed.
    """

    title: Text
    version: Text | None = None
    version_date: PartialDate | None = None
    created: PartialDate | None = None
    agreed: PartialDate | None = None
    approved_by: list[Text] = []
    authors: Text | None = None
    signatories: list[Signatory] = []
    review: Review | None = None
    history: list[Version] = []
    source: Source


SeatCapacity = Literal["chairs", "member", "attends", "participant_observer", "invited"]


class Seat(_Model):
    board: Key
    capacity: SeatCapacity
    source: Source


class Role(_Model):
    """A post in the area's directory (Director of Children's Services, ...) and its seats."""

    key: Key
    title: Text
    aliases: list[Text] = []
    name: Text | None = None
    seats: list[Seat] = []
    responsibilities: list[Fact] = []


# The parts of a protocol file that ``coverage`` can mark "not yet transcribed". Most are
# top-level fields; ``review``, ``history`` and ``signatories`` sit under ``protocol``;
# ``offices`` (chairs and business managers), ``functions`` (statutory basis, purpose,
# functions, priorities), ``membership`` (who sits on each board: the boards' member
# lists and the posts' seats) and ``subgroups`` are parts of every board.
Section = Literal[
    "boards", "offices", "functions", "membership", "subgroups",
    "themes", "shared_priorities", "new_themes", "challenge",
    "information_sharing", "meetings", "reports", "deadlines", "roles",
    "review", "history", "signatories",
]
SECTIONS: tuple[str, ...] = get_args(Section)
SECTION_WORDS: dict[str, str] = {
    "boards": "the boards and groups",
    "offices": "the boards' chairs and business managers",
    "functions": "the boards' statutory basis, purpose, functions and priorities",
    "membership": "who sits on each board",
    "subgroups": "the boards' sub-groups",
    "themes": "the themes and who leads on them",
    "shared_priorities": "the shared priorities",
    "new_themes": "what to do about a theme the protocol names no lead for",
    "challenge": "the mutual-challenge route",
    "information_sharing": "the information-sharing arrangements",
    "meetings": "the recurring meetings",
    "reports": "the reporting arrangements",
    "deadlines": "the statutory deadlines",
    "roles": "the posts and their responsibilities",
    "review": "when the protocol is reviewed",
    "history": "the version history",
    "signatories": "who signed the protocol",
}
CoverageMark = Literal["not_transcribed", "transcribed"]

# Sections a complete file must contain; each may be left out where coverage marks it.
_REQUIRED_UNLESS_NOT_TRANSCRIBED = {
    "boards": "the boards and groups the protocol is between",
    "new_themes": "what the protocol says about a theme it names no lead for (text and source)",
    "challenge": "the protocol's mutual-challenge route (named: true with its ladder, or named: false)",
}


def _required_section(what: str, section: str, *, field: str | None = None) -> PydanticCustomError:
    message = (f"this part is required: {what}. If you have not entered it yet, mark it "
               f"`coverage: {{{section}: not_transcribed}}`")
    return PydanticCustomError("required_section", "{message}", {"message": message, "field": field})


class Protocol(_Model):
    """An area's whole protocol, as one validated document.

    ``coverage`` says which parts have not been transcribed yet: a section it marks
    ``not_transcribed`` may be missing or incomplete, and answers about it say that part
    hasn't been entered into boardbot yet. A section not marked is complete: what it
    leaves out, the protocol does not say.
    """

    schema_version: Literal[1]
    coverage: dict[Section, CoverageMark] = {}
    area: AreaInfo
    documents: list[Document]
    protocol: ProtocolInfo
    boards: list[Board] = Field(default=[], validate_default=True)
    themes: list[Theme] = []
    shared_priorities: list[Fact] = []
    new_themes: Fact | None = Field(default=None, validate_default=True)
    # absent only where not transcribed; then boardbot's default ladder is used and labelled
    challenge: ChallengeRoute = Field(default=None, validate_default=True)  # type: ignore[assignment]
    information_sharing: list[SharingRule] = []
    meetings: list[RecurringMeeting] = []
    reports: list[ReportingDuty] = []
    deadlines: list[Deadline] = []
    roles: list[Role] = []

    @field_validator("documents")
    @classmethod
    def _documents_present(cls, docs: list[Document]) -> list[Document]:
        if not docs:
            raise ValueError("at least one source document is needed")
        return docs

    @field_validator("boards", "new_themes", "challenge", mode="wrap")
    @classmethod
    def _required_unless_not_transcribed(cls, value, handler, info: ValidationInfo):
        if value is PydanticUndefined or value is None or (info.field_name == "boards" and value == []):
            coverage = info.data.get("coverage") or {}
            if coverage.get(info.field_name) != "not_transcribed":
                raise _required_section(_REQUIRED_UNLESS_NOT_TRANSCRIBED[info.field_name], info.field_name)
            if info.field_name == "challenge":
                return ChallengeRoute(named=False)
        return handler(value)

    @field_validator("protocol")
    @classmethod
    def _review_unless_not_transcribed(cls, value: ProtocolInfo, info: ValidationInfo) -> ProtocolInfo:
        coverage = info.data.get("coverage") or {}
        if value.review is None and coverage.get("review") != "not_transcribed":
            raise _required_section("when the protocol is reviewed (rule, text and source)", "review", field="review")
        return value

    def transcribed(self, section: str) -> bool:
        """Whether ``section`` has been entered in full (not marked ``not_transcribed``)."""
        if section not in SECTIONS:
            raise KeyError(f"unknown protocol section {section!r}; sections are {', '.join(SECTIONS)}")
        return self.coverage.get(section) != "not_transcribed"  # type: ignore[call-overload]

    def board(self, key: str) -> Board:
        for b in self.boards:
            if b.key == key:
                return b
        raise KeyError(key)


class CrossRefError(Exception):
    """A reference to something the file does not define (path is a pydantic-style loc)."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def _walk_sources(value: object, path: tuple[str | int, ...]):
    if isinstance(value, Source):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk_sources(getattr(value, name), (*path, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk_sources(item, (*path, i))


_ALIAS_NORMAL = re.compile(r"[^a-z0-9]+")


def cross_check(p: Protocol) -> list[CrossRefError]:
    """Check the references between parts of a protocol; return every problem found."""
    errors: list[CrossRefError] = []
    docs = {d.key for d in p.documents}
    for path, src in _walk_sources(p, ()):
        if src.doc not in docs:
            errors.append(CrossRefError((*path, "doc"), f"unknown document {src.doc!r}; documents are {sorted(docs)}"))

    def unique(items: list, field: str, label: str) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.key in seen:
                errors.append(CrossRefError((field, i, "key"), f"{label} key {item.key!r} is used twice"))
            seen.add(item.key)
        return seen

    boards = unique(p.boards, "boards", "board")
    unique(p.themes, "themes", "theme")
    unique(p.roles, "roles", "role")
    unique(p.meetings, "meetings", "meeting")
    unique(p.reports, "reports", "report")
    unique(p.deadlines, "deadlines", "deadline")
    unique(p.information_sharing, "information_sharing", "sharing rule")

    def board_ref(key: str | None, path: tuple[str | int, ...]) -> None:
        if key is not None and key not in boards:
            errors.append(CrossRefError(path, f"unknown board {key!r}; boards are {sorted(boards)}"))

    for i, t in enumerate(p.themes):
        for j, k in enumerate(t.leads):
            board_ref(k, ("themes", i, "leads", j))
        for j, s in enumerate(t.supporting):
            board_ref(s.board, ("themes", i, "supporting", j, "board"))
    for i, m in enumerate(p.meetings):
        for j, k in enumerate(m.boards):
            board_ref(k, ("meetings", i, "boards", j))
    for i, r in enumerate(p.reports):
        board_ref(r.from_board, ("reports", i, "from_board"))
        for j, k in enumerate(r.to_boards):
            board_ref(k, ("reports", i, "to_boards", j))
    for i, d in enumerate(p.deadlines):
        board_ref(d.board, ("deadlines", i, "board"))
    for i, s in enumerate(p.information_sharing):
        for j, k in enumerate(s.from_boards):
            board_ref(k, ("information_sharing", i, "from_boards", j))
    for i, r in enumerate(p.roles):
        for j, seat in enumerate(r.seats):
            board_ref(seat.board, ("roles", i, "seats", j, "board"))
    for i, s in enumerate(p.protocol.signatories):
        board_ref(s.board, ("protocol", "signatories", i, "board"))

    owner: dict[str, str] = {}
    for i, t in enumerate(p.themes):
        for j, alias in enumerate([t.name, *t.aliases]):
            norm = _ALIAS_NORMAL.sub(" ", alias.lower()).strip()
            if norm in owner and owner[norm] != t.key:
                field: tuple[str | int, ...] = ("themes", i, "name") if j == 0 else ("themes", i, "aliases", j - 1)
                errors.append(CrossRefError(field, f"{alias!r} already names theme {owner[norm]!r}"))
            owner.setdefault(norm, t.key)
    return errors


def pending_review(p: Protocol) -> list[tuple[tuple[str | int, ...], Source]]:
    """Every fact whose source is still marked ``review: pending`` (drafted, not yet checked)."""
    return [(path, src) for path, src in _walk_sources(p, ()) if src.review == "pending"]


def parse_partial_date(value: str) -> dt.date:
    """Turn '2018', '2018-01' or '2018-01-15' into a date (first of month/year when partial)."""
    parts = [int(x) for x in value.split("-")]
    while len(parts) < 3:
        parts.append(1)
    return dt.date(*parts)
