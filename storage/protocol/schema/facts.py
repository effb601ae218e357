"""The field types every part of the protocol file uses, and facts with their sources.

Every fact of a protocol carries a ``source`` (which document of the area, which clause) so
that any answer can cite the protocol it comes from; :class:`Source` and :class:`Fact` are
shared by every other part of the schema, as are the key, text and date types.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
URL_PATTERN = r"^https?://[^\s]+$"
PartialDate = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]

Season = Literal["spring", "summer", "autumn", "winter"]


class Part(BaseModel):
    """A part of the protocol file: strict (an unknown field is a mistake to report, not to
    drop) and frozen (answers share one loaded protocol)."""

    # a field's docstring is its meaning, example and the answers that use it: the plain-words
    # validation and docs/protocol-reference.md are both written from it
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


ReviewState = Literal["pending", "reviewed"]


class Source(Part):
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


class Fact(Part):
    """A statement of the protocol, with its source."""

    text: Text
    """The statement in the protocol's own words (or a close, faithful paraphrase).

    Example: The Board meets four times a year.
    Answers: the answer that shows this fact"""
    source: Source
    """Where the statement comes from.

    Example: {doc: protocol, clause: "2.1"}
    Answers: the citation under the answer"""


def parse_partial_date(value: str) -> dt.date:
    """Turn '2018', '2018-01' or '2018-01-15' into a date (first of month/year when partial)."""
    parts = [int(x) for x in value.split("-")]
    while len(parts) < 3:
        parts.append(1)
    return dt.date(*parts)

