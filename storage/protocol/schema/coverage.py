"""The parts of a protocol file that ``coverage`` can mark "not yet transcribed", in words,
and the parts a complete file must contain."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic_core import PydanticCustomError

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
REQUIRED_UNLESS_NOT_TRANSCRIBED = {
    "boards": "the boards and groups the protocol is between",
    "new_themes": "what the protocol says about a theme it names no lead for (text and source)",
    "challenge": "the protocol's mutual-challenge route (named: true with its ladder, or named: false)",
}


def required_section(what: str, section: str, *, field: str | None = None) -> PydanticCustomError:
    message = (f"this part is required: {what}. If you have not entered it yet, mark it "
               f"`coverage: {{{section}: not_transcribed}}`")
    return PydanticCustomError("required_section", "{message}", {"message": message, "field": field})

