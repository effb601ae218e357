"""The field types every part of the protocol file uses, and facts with their sources.

Every fact of a protocol carries a ``source`` (which document of the area, which clause) so
that any answer can cite the protocol it comes from; :class:`Source` and :class:`Fact` are
shared by every other part of the schema, as are the key, text and date types.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
URL_PATTERN = r"^https?://[^\s]+$"


def _real_date(value: str) -> str:
    """A partial date must name a real month and day: "2025-13" or "2025-02-30" would pass the
    pattern and then stop every answer that counts from it."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) >= 2 and not 1 <= parts[1] <= 12:
        raise ValueError(f"'{value}' is not a real date: there is no month {parts[1]}; write the month as 01 to 12, e.g. {parts[0]}-04")
    if len(parts) == 3:
        try:
            dt.date(*parts)
        except ValueError:
            raise ValueError(f"'{value}' is not a real date: {dt.date(parts[0], parts[1], 1):%B %Y} has no day {parts[2]}") from None
    return value


PartialDate = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$"), AfterValidator(_real_date)]

Season = Literal["spring", "summer", "autumn", "winter"]


class Part(BaseModel):
    """A part of the protocol file: strict (an unknown field is a mistake to report, not to
    drop) and frozen (answers share one loaded protocol)."""

    # a field's docstring is its meaning, example and the answers that use it: the plain-words
    # validation and docs/protocol-reference.md are both written from it (field_doc reads it)
    model_config = ConfigDict(extra="forbid", frozen=True)


def field_doc(model: type[BaseModel], name: str) -> str:
    """The docstring written under ``model``'s field ``name`` ('' where there is none).

    Read from the source the first time a class is asked, as pydantic's
    ``use_attribute_docstrings`` reads it for every class as it is made: that costs every start
    (``boardbot ask`` included) about 30 ms, and only the plain-words validation and the field
    reference read a field's docstring.
    """
    for cls in model.__mro__:
        if name in vars(cls).get("__annotations__", {}):
            return _docstrings(cls).get(name, "")
    return ""


@functools.cache
def _docstrings(cls: type) -> dict[str, str]:
    """Each annotated attribute of ``cls`` followed by a string: that string, cleaned as a docstring."""
    import ast
    import inspect
    import textwrap

    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    except (OSError, TypeError, SyntaxError):
        return {}
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    docs: dict[str, str] = {}
    for before, node in zip(body, body[1:], strict=False):
        if (isinstance(before, ast.AnnAssign) and isinstance(before.target, ast.Name) and isinstance(node, ast.Expr)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            docs[before.target.id] = inspect.cleandoc(node.value.value)
    return docs


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

