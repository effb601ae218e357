"""The boards a protocol is between and the groups it links to: their posts, meetings,
members, councils and sub-groups."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from storage.protocol.schema.facts import Fact, Key, Part, Source, Text

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


class Office(Part):
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


class Cadence(Part):
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


class PublicMeetings(Part):
    """Whether a board meets in public."""

    value: bool
    """true where the protocol says the board meets in public, false where it says it does not.

    Example: true
    Answers: does the HWB meet in public?; board"""
    source: Source
    """Where the protocol says so.

    Example: {doc: protocol, clause: "2.7"}
    Answers: the citation under the answer"""


class SubGroup(Part):
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


class Membership(Part):
    """The organisations represented on a board, as listed in the protocol."""

    members: list[Text]
    """The organisations or posts the protocol lists as members.

    Example: [Suffolk County Council, Suffolk Constabulary, NHS Suffolk and North East Essex ICB]
    Answers: who sits on the LSCB?; who sits on both the HWB and the LSCB?"""
    source: Source
    """Where the protocol lists the members.

    Example: {doc: protocol, clause: "Appendix 1"}
    Answers: the citation under the answer"""


class Councils(Part):
    """The councils a board covers."""

    names: list[Text]
    """The councils, as the protocol names them.

    Example: [Bedford Borough Council, Central Bedfordshire Council]
    Answers: board; which councils does the SAB cover?"""
    source: Source
    """Where the protocol says so.

    Example: {doc: protocol, clause: "1.1"}
    Answers: the citation under the answer"""


class Board(Part):
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

