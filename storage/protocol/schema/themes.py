"""Themes of shared interest: who leads on each, who supports, and what the protocol says
where it names no lead."""

from __future__ import annotations

from pydantic import model_validator

from storage.protocol.schema.facts import Fact, Key, Part, Source, Text


class Support(Part):
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


class Theme(Part):
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

