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
URL_PATTERN = r"^https?://[^\s]+$"
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
    # a field's docstring is its meaning, example and the answers that use it: the plain-words
    # validation and docs/protocol-reference.md are both written from it
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


ReviewState = Literal["pending", "reviewed"]


class Source(_Model):
    """Where a fact comes from: a document of this area (by key) and its clause.

    A fact drafted by machine from the document carries ``review: pending`` and the
    ``quote`` it was drafted from until a person has checked it against the document;
    such facts load and are answered, and ``protocol validate`` counts them.
    """

    doc: Key
    """The key of the document (under `documents:`) the fact is taken from.

    Example: protocol
    Answers: every answer's citation"""
    clause: Text
    """The clause number where the document numbers it, otherwise the heading the text sits under.

    Example: "4.1"
    Answers: every answer's citation"""
    review: ReviewState | None = None
    """`pending` while a drafted fact has not yet been checked against the document; remove it once checked.

    Example: pending
    Answers: protocol validate (counts facts pending review)"""
    quote: Text | None = None
    """The words of the document a drafted fact was taken from, kept for the reviewer.

    Example: "The LSCB will lead on CSE"
    Answers: the review page"""


class Fact(_Model):
    """A statement of the protocol, with its source."""

    text: Text
    """The statement in the protocol's own words (or a close, faithful paraphrase).

    Example: The Board meets four times a year.
    Answers: the answer that shows this fact"""
    source: Source
    """Where the statement comes from.

    Example: {doc: protocol, clause: "2.1"}
    Answers: the citation under the answer"""


class Document(_Model):
    """A source document of the area's protocol (the seed file it was transcribed from)."""

    key: Key
    """A short name for the document, used by every `source: {doc: ...}`.

    Example: protocol
    Answers: every answer's citation"""
    file: Text
    """The file the document was transcribed from (its name as kept with the area's papers).

    Example: joint-protocol-2018.pdf
    Answers: citations ("More" shows the document)"""
    title: Text
    """The document's title as printed on it.

    Example: Joint Working Protocol between the Safeguarding Boards and the Health and Wellbeing Board
    Answers: citations; protocol"""
    url: Annotated[str, StringConstraints(strip_whitespace=True, pattern=URL_PATTERN)] | None = None
    """The document's public web address, where it is published.

    Example: https://www.example.gov.uk/joint-protocol.pdf
    Answers: protocol (where to read it); the citation's More button"""


class Agreement(_Model):
    """One of several relationships a document sets out, and the boards party to it."""

    key: Key
    """A short key for the relationship.

    Example: adults_protocol
    Answers: (internal)"""
    title: Text
    """The relationship as the document names it.

    Example: Protocol between the Safeguarding Adults Board and the Health and Wellbeing Board
    Answers: board (which relationships it is party to); boards"""
    parties: list[Key]
    """The keys of the boards party to this relationship (a board may be party to one and not another).

    Example: [sab, hwb]
    Answers: board; boards; is the SAB a party to the children's protocol?"""
    text: Text | None = None
    """What the document says the relationship covers.

    Example: How the adults board and the health and wellbeing board work together.
    Answers: board"""
    source: Source
    """Where the document sets it out.

    Example: {doc: protocol, clause: "Part B"}
    Answers: the citation under the answer"""


class AreaInfo(_Model):
    """The local area the protocol belongs to."""

    slug: Slug
    """The area's short name in commands: lower-case letters, digits and hyphens.

    Example: central-bedfordshire
    Answers: "in <area>" in every question; --area in the command line"""
    name: Text
    """The area's name as people say it.

    Example: Central Bedfordshire
    Answers: every answer ("Suffolk's protocol ...")"""
    aliases: list[Text] = []
    """Other names people use for the area.

    Example: [Central Beds, C Beds]
    Answers: "in <area>" in every question"""
    council: Text | None = None
    """The local authority the boards serve.

    Example: Central Bedfordshire Council
    Answers: board; protocol"""


class Office(_Model):
    """A post on a board (chair, business manager, lead officer) as the protocol gives it."""

    title: Text
    """The post as the protocol names it.

    Example: Independent Chair
    Answers: who chairs the BSCB?; who is the business manager of the HWB?"""
    name: Text | None = None
    """The person holding the post, where the protocol names them.

    Example: Fran Pearson
    Answers: who chairs the BSCB?; who is Fran Pearson?"""
    note: Text | None = None
    """Anything the protocol adds about the post (how the chair is appointed, who it rotates between).

    Example: The chair rotates annually between the Police and the Council.
    Answers: who chairs the CSP?"""
    source: Source
    """Where the protocol names the post.

    Example: {doc: protocol, clause: "Signatures"}
    Answers: the citation under the answer"""


class Cadence(_Model):
    """How often a board or group meets. ``per_year`` is None where the protocol gives no number."""

    text: Text
    """How often it meets, in the protocol's words.

    Example: at least four times a year
    Answers: how often does the HWB meet?; board"""
    per_year: float | None = None
    """The number of meetings a year, where the protocol gives one.

    Example: 4
    Answers: how often does the HWB meet?"""
    source: Source
    """Where the protocol says how often it meets.

    Example: {doc: protocol, clause: "3.2"}
    Answers: the citation under the answer"""


class PublicMeetings(_Model):
    """Whether a board meets in public."""

    value: bool
    """true where the protocol says the board meets in public, false where it says it does not.

    Example: true
    Answers: does the HWB meet in public?; board"""
    source: Source
    """Where the protocol says so.

    Example: {doc: protocol, clause: "2.7"}
    Answers: the citation under the answer"""


class SubGroup(_Model):
    """A sub-group of a board, as the protocol lists it."""

    name: Text
    """The sub-group's name.

    Example: Child Sexual Exploitation Sub-Group
    Answers: board; what does the CSE sub-group do?"""
    text: Text | None = None
    """What the protocol says the sub-group does.

    Example: Oversees the multi-agency response to child sexual exploitation.
    Answers: what does the CSE sub-group do?"""
    meets: Text | None = None
    """How often the sub-group meets, in the protocol's words.

    Example: quarterly
    Answers: how often does the CSE sub-group meet?; board"""
    source: Source
    """Where the protocol names the sub-group.

    Example: {doc: protocol, clause: "Appendix 2"}
    Answers: the citation under the answer"""


class Membership(_Model):
    """The organisations represented on a board, as listed in the protocol."""

    members: list[Text]
    """The organisations or posts the protocol lists as members.

    Example: [Suffolk County Council, Suffolk Constabulary, NHS Suffolk and North East Essex ICB]
    Answers: who sits on the LSCB?; who sits on both the HWB and the LSCB?"""
    source: Source
    """Where the protocol lists the members.

    Example: {doc: protocol, clause: "Appendix 1"}
    Answers: the citation under the answer"""


class Councils(_Model):
    """The councils a board covers."""

    names: list[Text]
    """The councils, as the protocol names them.

    Example: [Bedford Borough Council, Central Bedfordshire Council]
    Answers: board; which councils does the SAB cover?"""
    source: Source
    """Where the protocol says so.

    Example: {doc: protocol, clause: "1.1"}
    Answers: the citation under the answer"""


class Board(_Model):
    """A board, partnership or linked group.

    ``party`` is True for the boards that are parties to the protocol and False for the
    groups it only links to (scrutiny committees, commissioning teams, panels).
    """

    key: Key
    """A short key for the board, used wherever another part names it (`leads: [lscb]`).

    Example: lscb
    Answers: (internal: links themes, reports and seats to the board)"""
    short_name: Text
    """The abbreviation people use.

    Example: LSCB
    Answers: every answer naming the board; boards"""
    name: Text
    """The board's full name.

    Example: Lancashire Safeguarding Children Board
    Answers: board; boards; who leads on CSE?"""
    aliases: list[Text] = []
    """Other names members use for the board.

    Example: [safeguarding children board, children's board]
    Answers: recognising the board in any question"""
    councils: Councils | None = None
    """The local authorities the board covers, where it covers more than the area's own council (a board shared by two or more councils).

    Example: {names: [Bedford Borough Council, Central Bedfordshire Council], source: {doc: protocol, clause: "1.1"}}
    Answers: board; which councils does the SAB cover?"""
    kind: BoardKind
    """What sort of board it is.

    Example: safeguarding_children
    Answers: board; recognising "the adults board", "the CSP" in questions"""
    party: bool = True
    """false for a group the protocol only links to (a scrutiny committee, a panel); true for a party to the protocol.

    Example: false
    Answers: boards (party or linked); board"""
    statutory_basis: Fact | None = None
    """The law the board is set up under, as the protocol states it.

    Example: {text: "A statutory body under the Children Act 2004.", source: {doc: protocol, clause: "3.1"}}
    Answers: board; what is the LSCB's statutory basis?"""
    purpose: Fact | None = None
    """What the board is for, in the protocol's words.

    Example: {text: "To improve health and wellbeing and reduce inequalities.", source: {doc: protocol, clause: "2.2"}}
    Answers: board; what does the HWB do?"""
    functions: list[Fact] = []
    """The board's functions or duties, one fact each.

    Example: [{text: "Undertake the JSNA.", source: {doc: protocol, clause: "2.4"}}]
    Answers: board; what does the HWB do?; search"""
    priorities: list[Fact] = []
    """The board's own priorities, one fact each.

    Example: [{text: "Neglect", source: {doc: protocol, clause: "5.1"}}]
    Answers: board; what are the LSCB's priorities?"""
    chair: Office | None = None
    """The board's chair (title, name where given). For several chairs or co-chairs, write `chair:` as a list of them (or use `chairs`).

    Example: {title: Independent Chair, name: Jane Booth, source: {doc: protocol, clause: "Signatures"}}
    Answers: who chairs the LSCB?; board; challenge (who may raise)"""
    chairs: list[Office] = []
    """Every chair, where the board has more than one (co-chairs, joint chairs); `chair` is then the first. Written as `chair:` with a list, it is filled in for you.

    Example: [{title: Co-Chair, name: Chief Superintendent A. Khan, source: {doc: protocol, clause: "3.2"}}, {title: Co-Chair, name: Cllr B. Jones, source: {doc: protocol, clause: "3.2"}}]
    Answers: who chairs the CSP?; --as "co-chair of CSP"; challenge (who may raise)"""
    business_manager: Office | None = None
    """The board's business manager or lead officer.

    Example: {title: Business Manager, source: {doc: protocol, clause: "4.2"}}
    Answers: who is the business manager of the LSCB?; agenda requests (who decides)"""
    meets: Cadence | None = None
    """How often the board meets.

    Example: {text: quarterly, per_year: 4, source: {doc: protocol, clause: "3.2"}}
    Answers: how often does the HWB meet?; board"""
    meets_in_public: PublicMeetings | None = None
    """Whether the board meets in public.

    Example: {value: true, source: {doc: protocol, clause: "2.7"}}
    Answers: does the HWB meet in public?; board"""
    independence: Fact | None = None
    """What the protocol says about the board's or its chair's independence.

    Example: {text: "The LSCB has an independent chair.", source: {doc: protocol, clause: "3.4"}}
    Answers: is the LSCB's chair independent?; board"""
    accountability: list[Fact] = []
    """To whom the board is accountable, one fact each.

    Example: [{text: "The Board reports to the Council's Cabinet.", source: {doc: protocol, clause: "2.8"}}]
    Answers: who is the HWB accountable to?; board"""
    membership: Membership | None = None
    """The organisations represented on the board.

    Example: {members: [Lancashire County Council, Lancashire Constabulary], source: {doc: protocol, clause: "Appendix 1"}}
    Answers: who sits on the LSCB?; who sits on both the HWB and the LSCB?"""
    subgroups: list[SubGroup] = []
    """The board's sub-groups.

    Example: [{name: CSE Sub-Group, meets: quarterly, source: {doc: protocol, clause: "Appendix 2"}}]
    Answers: board; how often does the CSE sub-group meet?; who leads on CSE?"""

    @model_validator(mode="before")
    @classmethod
    def _chair_as_a_list(cls, data: object) -> object:
        # co-chairs are written the way people write them: `chair:` with a list
        if isinstance(data, dict) and isinstance(data.get("chair"), list):
            if data.get("chairs"):
                raise ValueError("give the chairs once: either `chair:` as a list or `chairs:`, not both")
            listed = data["chair"]
            data = {**data, "chairs": listed, "chair": listed[0] if listed else None}
        elif isinstance(data, dict) and data.get("chairs") and not data.get("chair"):
            data = {**data, "chair": data["chairs"][0]}
        return data

    @model_validator(mode="after")
    def _chair_first_of_chairs(self) -> Board:
        if self.chairs and self.chair is not None and self.chair not in self.chairs:
            raise ValueError("`chair` must be the first of `chairs` (or write only `chairs`)")
        return self


class Support(_Model):
    """A board that supports (does not lead) on a theme, and what it does."""

    board: Key
    """The key of the supporting board.

    Example: hwb
    Answers: who leads on CSE? (the supporting boards)"""
    role: Text
    """What the protocol says the supporting board does on the theme.

    Example: ensures CSE is reflected in the JSNA
    Answers: who leads on CSE?; what does the HWB do on CSE?"""
    source: Source
    """Where the protocol gives the board that role.

    Example: {doc: protocol, clause: "Themes of common interest table"}
    Answers: the citation under the answer"""


class Theme(_Model):
    """A theme of shared interest and who leads on it.

    Exactly one of ``leads`` (one board, or several for a joint lead) or ``no_lead``
    (what the protocol says instead, in plain words) must be given.
    """

    key: Key
    """The theme's key; reuse the shared keys (cse, domestic_abuse, prevent, ...) listed in docs/protocol-data.md.

    Example: cse
    Answers: who leads on CSE? (also asked in another area)"""
    name: Text
    """The theme's name as the protocol gives it.

    Example: Child Sexual Exploitation
    Answers: who leads on CSE?; themes"""
    aliases: list[Text] = []
    """The words members use for the theme: abbreviations, synonyms, the protocol's own phrasings.

    Example: [CSE, sexual exploitation of children]
    Answers: recognising the theme in any question"""
    leads: list[Key] = []
    """The key of the board that leads (several keys: a joint lead, only where the protocol says so).

    Example: [lscb]
    Answers: who leads on CSE?; themes"""
    lead_role: Text | None = None
    """What the lead board does on the theme, in the protocol's words.

    Example: The LSCB is responsible for developing the CSE strategy.
    Answers: who leads on CSE?"""
    no_lead: Text | None = None
    """Where the protocol names the theme but no lead: what it does say, in plain words.

    Example: Named as a shared priority; no lead board is given.
    Answers: who leads on hate crime?"""
    supporting: list[Support] = []
    """The boards the protocol gives a supporting role on the theme.

    Example: [{board: hwb, role: "reflects CSE in the JSNA", source: {doc: protocol, clause: "5"}}]
    Answers: who leads on CSE?"""
    notes: list[Fact] = []
    """Anything else the protocol says about the theme.

    Example: [{text: "Reported to both boards annually.", source: {doc: protocol, clause: "5.3"}}]
    Answers: who leads on CSE? (More)"""
    source: Source
    """Where the protocol names the theme and its lead.

    Example: {doc: protocol, clause: "Themes of common interest table"}
    Answers: the citation under the answer"""

    @model_validator(mode="after")
    def _lead_or_reason(self) -> Theme:
        if not self.leads and not self.no_lead:
            raise ValueError("a theme needs 'leads' (one or more board keys) or 'no_lead' (what the protocol says instead)")
        if self.leads and self.no_lead:
            raise ValueError("give either 'leads' or 'no_lead', not both")
        if len(set(self.leads)) != len(self.leads):
            raise ValueError("'leads' lists a board twice")
        return self


DelegateKind = Literal["vice_chair", "deputy", "delegated_officer"]
DELEGATE_WORDS: dict[str, str] = {
    "vice_chair": "a vice-chair", "deputy": "a nominated deputy", "delegated_officer": "an officer acting at the chair's direction",
}

RungKind = Literal["written_request", "agenda_item", "chairs_meeting", "resolution_meeting"]


class Rung(_Model):
    """One step of the mutual-challenge route.

    ``notify_directors`` marks the resolution rungs whose escalation notice goes to the
    area's directors' channel; ``attendees`` is who the protocol says must attend.
    """

    key: Key
    """A short key for the step.

    Example: chairs_meeting
    Answers: challenge (the step a challenge is at)"""
    kind: RungKind
    """What the step is: a written request, an agenda item, a chairs' meeting or a resolution meeting.

    Example: chairs_meeting
    Answers: challenge route; challenge (what happens next)"""
    title: Text
    """The step's name as the protocol gives it.

    Example: Meeting of the Chairs
    Answers: challenge route; challenge"""
    text: Text
    """What the protocol says happens at this step.

    Example: The Chairs meet to resolve the matter.
    Answers: challenge route; how do I challenge another board?"""
    note: Text | None = None
    """A correction or explanation of the step's text, shown beside the protocol's own words (e.g. a clause number the protocol gets wrong).

    Example: The protocol's "8.1 and 8.2" means its clauses 10.1 and 10.2.
    Answers: challenge route; challenge"""
    attendees: list[Text] = []
    """Who the protocol says attends this step.

    Example: [Chairs of both boards, Director of Children's Services]
    Answers: challenge route; challenge (who is invited)"""
    window_working_days: Annotated[int, Field(ge=1, le=365)] | None = None
    """The working days the protocol gives the other board to respond at this step (cited by the step's source). Left out, boardbot uses its default window and says so.

    Example: 20
    Answers: how long do they have to respond?; challenge (the due date at each step)"""
    notify_directors: bool = False
    """true where this step's escalation notice goes to the directors' channel.

    Example: true
    Answers: challenge (escalation notices)"""
    source: Source
    """Where the protocol sets out this step.

    Example: {doc: protocol, clause: "10.2"}
    Answers: the citation under the answer"""


class ChallengeRoute(_Model):
    """The area's mutual-challenge route.

    ``named`` is False where the protocol commits the boards to mutual challenge but
    names no steps; boardbot then uses its default ladder and labels it as such.
    """

    named: bool
    """true where the protocol sets out the steps of a challenge (then give `ladder`); false where it names none.

    Example: true
    Answers: challenge route; how do I challenge another board?"""
    who_may_raise: Fact | None = None
    """Who the protocol says may raise a challenge.

    Example: {text: "Any Chair, or an officer at the Chair's direction.", source: {doc: protocol, clause: "10.1"}}
    Answers: challenge route; challenge (who may raise)"""
    on_behalf: list[DelegateKind] | None = None
    """Who may raise a challenge on a chair's behalf, as `who_may_raise` says: vice_chair, deputy (a nominated deputy), delegated_officer (an officer at the chair's direction). Leave it out where the protocol names no one: boardbot then lets only the chair raise, and says that is its default; write [] where the protocol says only the chair may.

    Example: [vice_chair, delegated_officer]
    Answers: challenge (who may raise); how do I challenge another board?"""
    statement: Fact | None = None
    """The protocol's commitment to mutual challenge, in its words.

    Example: {text: "The Boards will hold each other to account.", source: {doc: protocol, clause: "10"}}
    Answers: challenge route"""
    ladder: list[Rung] = []
    """The steps of the route, first to last.

    Example: [{key: letter, kind: written_request, title: Letter, text: "...", source: {doc: protocol, clause: "10.1"}}]
    Answers: challenge route; challenge"""

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
    """A short key for the arrangement.

    Example: minutes_to_chairs
    Answers: (internal)"""
    text: Text
    """The arrangement in the protocol's words.

    Example: Minutes of each Board are shared with the other Boards' chairs.
    Answers: who gets the minutes?; information sharing"""
    items: list[SharedItem]
    """What is shared.

    Example: [minutes, agendas]
    Answers: who gets the minutes?; information sharing"""
    from_boards: list[Key] = []
    """The keys of the boards that share.

    Example: [lscb, hwb]
    Answers: who gets the minutes?; minutes reminders"""
    to: list[Text] = []
    """Who receives them, in the protocol's words.

    Example: [the other Boards' chairs]
    Answers: who gets the minutes?"""
    when: Text | None = None
    """When they are shared, in the protocol's words.

    Example: within two weeks of each meeting
    Answers: who gets the minutes?"""
    source: Source
    """Where the protocol sets out the arrangement.

    Example: {doc: protocol, clause: "6.1"}
    Answers: the citation under the answer"""


MeetingCadence = Literal["quarterly", "annual", "six_monthly", "monthly", "after_each_meeting", "as_needed"]


class RecurringMeeting(_Model):
    """A meeting the protocol commits people to hold (officers' quarterly, chairs' annual...)."""

    key: Key
    """A short key for the meeting.

    Example: chairs_annual
    Answers: (internal: its reminders)"""
    title: Text
    """The meeting's name.

    Example: Annual meeting of the Chairs
    Answers: meetings; when do the chairs meet?"""
    cadence: MeetingCadence
    """How often it is held.

    Example: annual
    Answers: meetings; reminders (when they are posted)"""
    attendees: list[Text]
    """Who attends, in the protocol's words.

    Example: [the Chairs of the four Boards]
    Answers: meetings; who attends the chairs' meeting?"""
    boards: list[Key] = []
    """The keys of the boards whose people attend.

    Example: [lscb, hwb]
    Answers: meetings; reminders (which channels)"""
    months: list[Annotated[int, Field(ge=1, le=12)]] = []
    """The months (1-12) it is held in, where the protocol says.

    Example: [3, 6, 9, 12]
    Answers: meetings; reminders"""
    when: Text | None = None
    """When it is held, in the protocol's words.

    Example: in the spring
    Answers: meetings"""
    purpose: Text | None = None
    """What the meeting is for.

    Example: to review the protocol and agree shared priorities
    Answers: meetings"""
    source: Source
    """Where the protocol commits to the meeting.

    Example: {doc: protocol, clause: "7.1"}
    Answers: the citation under the answer"""


ReportAction = Literal["present", "inform", "consult", "submit", "receive", "respond"]


class ReportingDuty(_Model):
    """A report one board owes another body: what, to whom, how, in which season, how often."""

    key: Key
    """A short key for the duty.

    Example: lscb_annual_report_to_hwb
    Answers: (internal: its reminders)"""
    report: Text
    """The report's name.

    Example: LSCB Annual Report
    Answers: reports; who receives the LSCB annual report?"""
    from_board: Key | None = None
    """The key of the board that owes the report (or give `by`).

    Example: lscb
    Answers: reports; report year"""
    by: Text | None = None
    """Who owes the report, where it is not one of the boards (e.g. the Director of Public Health).

    Example: Director of Public Health
    Answers: reports"""
    to_boards: list[Key] = []
    """The keys of the boards that receive it.

    Example: [hwb]
    Answers: reports; who receives the LSCB annual report?"""
    to_others: list[Text] = []
    """Other recipients, named as the protocol names them (only those it names).

    Example: [the Police and Crime Commissioner]
    Answers: reports"""
    no_recipient: Text | None = None
    """Where the protocol names no one the report goes to: what it says instead, in plain words (instead of `to_boards` / `to_others`).

    Example: The protocol says the CSP must produce the plan but not to whom it is given.
    Answers: reports; who receives the CSP plan?"""
    action: ReportAction
    """What is done with the report.

    Example: present
    Answers: reports"""
    season: Season | None = None
    """The season it is due in, where the protocol says.

    Example: autumn
    Answers: reports; reminders; report year"""
    every_years: Annotated[int, Field(ge=1, le=10)] = 1
    """How many years between reports (1 is yearly).

    Example: 3
    Answers: reports; reminders"""
    text: Text | None = None
    """The duty in the protocol's words.

    Example: The LSCB Annual Report will be presented to the HWB each autumn.
    Answers: reports"""
    source: Source
    """Where the protocol sets out the duty.

    Example: {doc: protocol, clause: "8.2"}
    Answers: the citation under the answer"""

    @model_validator(mode="after")
    def _has_recipient(self) -> ReportingDuty:
        named = bool(self.to_boards or self.to_others)
        if not named and not self.no_recipient:
            raise ValueError("a reporting duty needs 'to_boards' or 'to_others', or 'no_recipient' saying that the "
                             "protocol names no one it goes to")
        if named and self.no_recipient:
            raise ValueError("give either recipients ('to_boards' / 'to_others') or 'no_recipient', not both")
        if not self.from_board and not self.by:
            raise ValueError("a reporting duty needs 'from_board' or 'by'")
        return self


class Deadline(_Model):
    """A statutory deadline counted from an event the area records (e.g. publication)."""

    key: Key
    """A short key for the deadline.

    Example: report_to_panel
    Answers: (internal: its reminders)"""
    title: Text
    """What must be done by the deadline.

    Example: Send the annual report to the national panel
    Answers: reminders; deadlines"""
    after: Text
    """The event the deadline is counted from.

    Example: publication of the annual report
    Answers: reminders"""
    working_days: Annotated[int, Field(ge=0, le=365)] | None = None
    """The deadline in working days after the event (or give `days`).

    Example: 7
    Answers: reminders"""
    days: Annotated[int, Field(ge=0, le=365)] | None = None
    """The deadline in calendar days after the event (or give `working_days`).

    Example: 28
    Answers: reminders"""
    board: Key | None = None
    """The key of the board the deadline falls on.

    Example: lscb
    Answers: reminders (which channel)"""
    recipients: list[Text] = []
    """Who must receive it.

    Example: [the Child Safeguarding Practice Review Panel]
    Answers: reminders"""
    source: Source
    """Where the deadline is set out.

    Example: {doc: protocol, clause: "8.4"}
    Answers: the citation under the reminder"""

    @model_validator(mode="after")
    def _one_period(self) -> Deadline:
        if (self.working_days is None) == (self.days is None):
            raise ValueError("give exactly one of 'working_days' or 'days'")
        return self


class Version(_Model):
    """One entry of the protocol's version history."""

    version: Text
    """The version number or name.

    Example: "2.1"
    Answers: protocol; what version is the protocol?"""
    date: PartialDate | None = None
    """When this version was made: 2016, 2016-04 or 2016-04-28.

    Example: 2016-04
    Answers: protocol"""
    change: Text
    """What changed.

    Example: Updated for Working Together 2018.
    Answers: protocol (history)"""
    source: Source
    """Where the history table gives it.

    Example: {doc: protocol, clause: "Version control"}
    Answers: the citation under the answer"""


class Signatory(_Model):
    """Someone who signed the protocol."""

    name: Text
    """The person's name.

    Example: Jane Booth
    Answers: protocol; who signed the protocol?"""
    title: Text
    """Their post, as printed under the signature.

    Example: Chair, Lancashire Safeguarding Children Board
    Answers: protocol"""
    board: Key | None = None
    """The key of the board they signed for.

    Example: lscb
    Answers: protocol"""
    source: Source
    """Where the signature is.

    Example: {doc: protocol, clause: "Signatures"}
    Answers: the citation under the answer"""


class Review(_Model):
    """When the protocol is reviewed. ``rule`` says how the next date is found."""

    rule: Literal["annual_from_signing", "annual", "every_years", "every_years_from_signing", "on_date", "unspecified"]
    """How the next review date is found: annual (yearly from the last review), annual_from_signing, every_years / every_years_from_signing (give every_years: 2 for a biennial or "bi-annual" review), on_date (give next_due) or unspecified.

    Example: annual
    Answers: when is the protocol due for review?; review reminders"""
    every_years: Annotated[int, Field(ge=2, le=10)] | None = None
    """How many years between reviews, for the every_years rules (2 for a review every two years).

    Example: 2
    Answers: when is the protocol due for review?; review reminders"""
    next_due: PartialDate | None = None
    """The next review date where the protocol states one: 2019, 2019-04 or 2019-04-28.

    Example: 2019-04
    Answers: when is the protocol due for review?; review reminders"""
    also_when: list[Text] = []
    """Events that also trigger a review, in the protocol's words.

    Example: [national guidance is revised]
    Answers: when is the protocol due for review?"""
    text: Text
    """What the protocol says about its review, in its words.

    Example: This Protocol will be reviewed on an annual basis.
    Answers: when is the protocol due for review?"""
    source: Source
    """Where the protocol says it.

    Example: {doc: protocol, clause: "6.4"}
    Answers: the citation under the answer"""


    @model_validator(mode="after")
    def _years_with_rule(self) -> Review:
        if self.rule.startswith("every_years") and self.every_years is None:
            raise ValueError(f"rule: {self.rule} needs every_years (e.g. every_years: 2 for a review every two years)")
        if not self.rule.startswith("every_years") and self.every_years is not None:
            raise ValueError("every_years goes with rule: every_years or every_years_from_signing")
        if self.rule == "on_date" and not self.next_due:
            raise ValueError("rule: on_date needs next_due (the date the protocol gives, e.g. 2019-04)")
        return self

    @property
    def years(self) -> int:
        """Years between reviews: 1 for the annual rules."""
        return self.every_years or 1

    @property
    def from_signing(self) -> bool:
        return self.rule in ("annual_from_signing", "every_years_from_signing")


class ProtocolInfo(_Model):
    """The protocol document itself: title, version, approval, signatories, review, history.

    ``review`` may be left out only where ``coverage`` marks ``review`` not transcribed.
    """

    title: Text
    """The protocol's title.

    Example: Joint Working Protocol
    Answers: protocol"""
    version: Text | None = None
    """The current version, as printed.

    Example: "3.0"
    Answers: protocol; what version is the protocol?"""
    version_date: PartialDate | None = None
    """The date of the current version: 2018, 2018-04 or 2018-04-28.

    Example: 2018-04
    Answers: protocol"""
    created: PartialDate | None = None
    """When the protocol was first written.

    Example: 2013-09
    Answers: protocol"""
    agreed: PartialDate | None = None
    """When the boards agreed it.

    Example: 2018-06-14
    Answers: protocol; when was the protocol agreed?"""
    approved_by: list[Text] = []
    """The bodies that approved it.

    Example: [Health and Wellbeing Board, Safeguarding Children Board]
    Answers: protocol"""
    authors: Text | None = None
    """Who wrote it, where the document says.

    Example: the Boards' business managers
    Answers: protocol"""
    signatories: list[Signatory] = []
    """Who signed it.

    Example: [{name: Jane Booth, title: Chair, board: lscb, source: {doc: protocol, clause: Signatures}}]
    Answers: protocol; who signed the protocol?"""
    review: Review | None = None
    """When and how the protocol is reviewed.

    Example: {rule: annual, text: "Reviewed annually.", source: {doc: protocol, clause: "6.4"}}
    Answers: when is the protocol due for review?; review reminders"""
    notes: list[Fact] = []
    """What the document itself says or leaves blank about its dates and approval (a "date agreed" field left empty), so that answers can say so.

    Example: [{text: "The 'Date agreed' field of the document's header is blank.", source: {doc: protocol, clause: "Header"}}]
    Answers: protocol; when was the protocol agreed?"""
    history: list[Version] = []
    """The version history, oldest first.

    Example: [{version: "1.0", date: 2013-09, change: First version, source: {doc: protocol, clause: Version control}}]
    Answers: protocol"""
    source: Source
    """Where the document gives its title.

    Example: {doc: protocol, clause: "1.1"}
    Answers: protocol"""


SeatCapacity = Literal["chairs", "member", "attends", "participant_observer", "invited"]


class Seat(_Model):
    """A post's place on a board."""

    board: Key
    """The key of the board.

    Example: hwb
    Answers: which boards does the DCS sit on?; who sits on both the HWB and the LSCB?"""
    capacity: SeatCapacity
    """How the post sits on the board: chairs, member, attends, participant_observer or invited.

    Example: member
    Answers: which boards does the DCS sit on?"""
    source: Source
    """Where the protocol gives the seat.

    Example: {doc: protocol, clause: "Appendix 1"}
    Answers: the citation under the answer"""


class Role(_Model):
    """A post in the area's directory (Director of Children's Services, ...) and its seats."""

    key: Key
    """A short key for the post.

    Example: dcs
    Answers: (internal: people are linked to posts by it)"""
    title: Text
    """The post's title.

    Example: Director of Children's Services
    Answers: which boards does the DCS sit on?; who sits on both ...?"""
    aliases: list[Text] = []
    """Other names for the post.

    Example: [DCS]
    Answers: recognising the post in any question"""
    name: Text | None = None
    """The person in the post, where the protocol names them.

    Example: Jo Smith
    Answers: which boards does Jo Smith sit on?"""
    director: bool = False
    """true for a director-level post (a director, a chief executive, a police commander co-chairing a board): its holders get the directors' escalation notices and join the default ladder's resolution meeting.

    Example: true
    Answers: challenge (who attends the resolution meeting); --as and admin link-user (the post counts as a director)"""
    seats: list[Seat] = []
    """The boards the post sits on.

    Example: [{board: hwb, capacity: member, source: {doc: protocol, clause: "Appendix 1"}}]
    Answers: which boards does the DCS sit on?; who sits on both the HWB and the LSCB?"""
    responsibilities: list[Fact] = []
    """What the protocol makes the post responsible for.

    Example: [{text: "Reports on CSE to the HWB.", source: {doc: protocol, clause: "5.2"}}]
    Answers: what is the DCS responsible for?"""


# The parts of a protocol file that ``coverage`` can mark "not yet transcribed". Most are
# top-level fields; ``review``, ``history`` and ``signatories`` sit under ``protocol``;
# ``offices`` (chairs and business managers), ``functions`` (statutory basis, purpose,
# functions, priorities), ``membership`` (who sits on each board: the boards' member
# lists and the posts' seats) and ``subgroups`` are parts of every board.
Section = Literal[
    "boards", "offices", "functions", "membership", "subgroups",
    "themes", "shared_priorities", "principles", "new_themes", "challenge",
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
    "principles": "the principles of joint working",
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

    schema_version: Literal[1, 2]
    """The version of this file format: write 2. Files written as 1 still load (boardbot upgrades them as it reads them; `boardbot protocol upgrade FILE` rewrites them).

    Example: 2
    Answers: (checked on import)"""
    coverage: dict[Section, CoverageMark] = {}
    """The parts of the file not yet transcribed from the protocol: answers about them say so instead of "the protocol doesn't say".

    Example: {themes: not_transcribed, review: not_transcribed}
    Answers: every answer about a part marked not_transcribed"""
    area: AreaInfo
    """The area the protocol belongs to: its short name, name and council.

    Example: {slug: lancashire, name: Lancashire, council: Lancashire County Council}
    Answers: every answer"""
    documents: list[Document]
    """The documents the file is transcribed from; every `source` names one by its key.

    Example: [{key: protocol, file: joint-protocol.pdf, title: Joint Working Protocol}]
    Answers: every answer's citation"""
    protocol: ProtocolInfo
    """The protocol document itself: title, version, signatories, review and history.

    Example: {title: Joint Working Protocol, review: {...}, source: {doc: protocol, clause: "1"}}
    Answers: protocol; when is the protocol due for review?"""
    agreements: list[Agreement] = []
    """Where the documents set out more than one relationship (two protocols in one document), each and its parties; leave it out where there is one protocol between all the boards with `party: true`.

    Example: [{key: childrens, title: Children's protocol, parties: [lscb, hwb], source: {doc: protocol, clause: "Part A"}}]
    Answers: board; boards"""
    boards: list[Board] = Field(default=[], validate_default=True)
    """The boards that are parties to the protocol and the groups it links to.

    Example: [{key: lscb, short_name: LSCB, name: ..., kind: safeguarding_children}]
    Answers: boards; board; who chairs ...?; every answer naming a board"""
    themes: list[Theme] = []
    """The themes of shared interest and who leads on each.

    Example: [{key: cse, name: Child Sexual Exploitation, leads: [lscb], source: {...}}]
    Answers: who leads on CSE?; themes"""
    shared_priorities: list[Fact] = []
    """Priorities the boards share, one fact each.

    Example: [{text: Tackling neglect, source: {doc: protocol, clause: "5"}}]
    Answers: themes; what are the shared priorities?"""
    principles: list[Fact] = []
    """The principles the boards agree to work by, one fact each.

    Example: [{text: "We will be open and honest.", source: {doc: protocol, clause: "3 Key principles"}}]
    Answers: what are the protocol's principles?; search"""
    new_themes: Fact | None = Field(default=None, validate_default=True)
    """What the protocol says to do about a theme it names no lead for (who decides, how a lead is agreed).

    Example: {text: "New themes are allocated a lead at the annual chairs' meeting.", source: {doc: protocol, clause: "5.4"}}
    Answers: who leads on <a theme the protocol doesn't name>?"""
    # absent only where not transcribed; then boardbot's default ladder is used and labelled
    challenge: ChallengeRoute = Field(default=None, validate_default=True)  # type: ignore[assignment]
    """The protocol's mutual-challenge route: named: true with its ladder of steps, or named: false.

    Example: {named: true, ladder: [...]}
    Answers: challenge route; challenge"""
    information_sharing: list[SharingRule] = []
    """What the boards share with each other, by whom, with whom and when.

    Example: [{key: minutes, text: ..., items: [minutes], source: {...}}]
    Answers: information sharing; who gets the minutes?"""
    meetings: list[RecurringMeeting] = []
    """The meetings the protocol commits people to hold (officers' quarterly, chairs' annual, ...).

    Example: [{key: chairs_annual, title: Chairs' annual meeting, cadence: annual, attendees: [...], source: {...}}]
    Answers: meetings; when do the chairs meet?; reminders"""
    reports: list[ReportingDuty] = []
    """The reports boards owe each other and other bodies.

    Example: [{key: lscb_ar, report: LSCB Annual Report, from_board: lscb, to_boards: [hwb], action: present, source: {...}}]
    Answers: reports; report year; reminders"""
    deadlines: list[Deadline] = []
    """Statutory deadlines counted from an event the area records.

    Example: [{key: panel, title: ..., after: publication, working_days: 7, source: {...}}]
    Answers: reminders"""
    roles: list[Role] = []
    """The posts named in the protocol (Director of Children's Services, ...) and the boards they sit on.

    Example: [{key: dcs, title: Director of Children's Services, seats: [...]}]
    Answers: which boards does the DCS sit on?; who sits on both ...?"""

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

    def __init__(self, path: tuple[str | int, ...], message: str, group: tuple[str, str] | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        # the same unknown name used in many places is one problem: the loader says it once
        self.group = group


def _walk_sources(value: object, path: tuple[str | int, ...]):
    if isinstance(value, Source):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk_sources(getattr(value, name), (*path, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk_sources(item, (*path, i))


def _walk_raw_sources(value: object, path: tuple[str | int, ...]):
    """Every ``source:`` mapping of raw (not yet validated) data, with its path."""
    if isinstance(value, dict):
        for name, item in value.items():
            if name == "source" and isinstance(item, dict):
                yield (*path, name), item
            else:
                yield from _walk_raw_sources(item, (*path, str(name)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk_raw_sources(item, (*path, i))


_ALIAS_NORMAL = re.compile(r"[^a-z0-9]+")


def _closest(word: object, options: set[str]) -> str:
    import difflib

    if not isinstance(word, str):
        return ""
    hit = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return f": did you mean {hit[0]!r}?" if hit else "."


def cross_check(p: Protocol) -> list[CrossRefError]:
    """Check the references between parts of a protocol; return every problem found."""
    return cross_check_data(p.model_dump())


def _items(data: dict, field: str) -> list[tuple[int, dict]]:
    value = data.get(field)
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def cross_check_data(data: dict) -> list[CrossRefError]:
    """Check the references between parts of raw protocol data, however broken the rest is.

    It runs on the data as read from YAML (not the validated model) so that an unknown
    board or document is reported in the same pass as a misspelt field or a bad date.
    """
    errors: list[CrossRefError] = []
    docs = {d.get("key") for _, d in _items(data, "documents")} - {None}
    for path, src in _walk_raw_sources(data, ()):
        doc = src.get("doc")
        if isinstance(doc, str) and doc not in docs:
            errors.append(CrossRefError((*path, "doc"), f"unknown document {doc!r}{_closest(doc, docs)} "
                                        f"The documents are: {', '.join(sorted(docs)) or 'none (add them under documents:)'}",
                                        group=("document", doc)))

    def unique(field: str, label: str) -> set[str]:
        seen: set[str] = set()
        for i, item in _items(data, field):
            key = item.get("key")
            if not isinstance(key, str):
                continue
            if key in seen:
                errors.append(CrossRefError((field, i, "key"), f"{label} key {key!r} is used twice: give each {label} its own key"))
            seen.add(key)
        return seen

    boards = unique("boards", "board")
    unique("themes", "theme")
    unique("roles", "role")
    unique("meetings", "meeting")
    unique("reports", "report")
    unique("deadlines", "deadline")
    unique("information_sharing", "sharing rule")
    unique("agreements", "agreement")

    def board_ref(key: object, path: tuple[str | int, ...]) -> None:
        if isinstance(key, str) and key not in boards:
            errors.append(CrossRefError(path, f"unknown board {key!r}{_closest(key, boards)} "
                                        f"The boards are: {', '.join(sorted(boards)) or 'none (add them under boards:)'}",
                                        group=("board", key)))

    def board_list(item: dict, field: str, path: tuple[str | int, ...]) -> None:
        value = item.get(field)
        if isinstance(value, list):
            for j, k in enumerate(value):
                board_ref(k, (*path, field, j))
        else:
            board_ref(value, (*path, field))

    for i, t in _items(data, "themes"):
        board_list(t, "leads", ("themes", i))
        for j, s in enumerate(_as_list(t.get("supporting"))):
            if isinstance(s, dict):
                board_ref(s.get("board"), ("themes", i, "supporting", j, "board"))
    for i, m in _items(data, "meetings"):
        board_list(m, "boards", ("meetings", i))
    for i, r in _items(data, "reports"):
        board_ref(r.get("from_board"), ("reports", i, "from_board"))
        board_list(r, "to_boards", ("reports", i))
    for i, d in _items(data, "deadlines"):
        board_ref(d.get("board"), ("deadlines", i, "board"))
    for i, s in _items(data, "information_sharing"):
        board_list(s, "from_boards", ("information_sharing", i))
    linked = {b.get("key") for _, b in _items(data, "boards") if b.get("party") is False}
    for i, a in _items(data, "agreements"):
        board_list(a, "parties", ("agreements", i))
        for j, k in enumerate(_as_list(a.get("parties"))):
            if k in linked:
                errors.append(CrossRefError(("agreements", i, "parties", j), f"board {k!r} is marked party: false but is "
                                            "listed as a party here: remove one of the two"))
    for i, r in _items(data, "roles"):
        for j, seat in enumerate(_as_list(r.get("seats"))):
            if isinstance(seat, dict):
                board_ref(seat.get("board"), ("roles", i, "seats", j, "board"))
    proto = data.get("protocol")
    if isinstance(proto, dict):
        for i, s in _items(proto, "signatories"):
            board_ref(s.get("board"), ("protocol", "signatories", i, "board"))

    owner: dict[str, str] = {}
    for i, t in _items(data, "themes"):
        names = [t.get("name"), *_as_list(t.get("aliases"))]
        for j, alias in enumerate(names):
            if not isinstance(alias, str) or not isinstance(t.get("key"), str):
                continue
            norm = _ALIAS_NORMAL.sub(" ", alias.lower()).strip()
            if norm in owner and owner[norm] != t["key"]:
                field: tuple[str | int, ...] = ("themes", i, "name") if j == 0 else ("themes", i, "aliases", j - 1)
                errors.append(CrossRefError(field, f"{alias!r} already names theme {owner[norm]!r}: "
                                            "two themes may not share a name or alias"))
            owner.setdefault(norm, t["key"])
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
