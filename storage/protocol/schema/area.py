"""The area a protocol belongs to, the documents it is transcribed from, and the
relationships those documents set out."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from storage.protocol.schema.facts import URL_PATTERN, Key, Part, Slug, Source, Text


class Document(Part):
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


class Agreement(Part):
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


class AreaInfo(Part):
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

