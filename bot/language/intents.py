"""What a message asks for: an intent name and the phrases it is about.

Patterns are written against normalised tokens (see :mod:`bot.language.normalise`),
so "Who leads on CSE?", "who's the lead for CSE" and "WHO LEADS ON cse" are one case.
The area a question names ("... in Suffolk?") is found and removed first, so it
neither confuses the theme nor needs its own pattern. Anything no pattern claims falls
through to :data:`FALLBACK`, where the command core tries it as a theme, a board or a
post in turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from bot.language.smalltalk import small_talk

FALLBACK = "guess"

_WHO = r"(?:who|whos)(?: is| are| s)?(?: the)?"
_BODY = r"(?:board|partnership|body|group|organisation|organization|committee|panel|forum)"
_LEADS = (
    r"(?:lead|take(?: the)? lead|ha(?:s)?(?: the)? lead|(?:is |are )?(?:the )?lead(?: board| partnership)?"
    r"|(?:is |are )?(?:responsible|accountable|in charge)|ha(?:s)? responsibility|handle|deal with|own"
    r"|look after|cover|oversee|manage|champion|drive|coordinate|co ordinate)"
)
_ON = r"(?: on| for| of| with| about| over)?"
_THE = r"(?:the |a |an )?"
# "which themes does the protocol cover", "what boards are in the protocol"
_IN_PROTOCOL = (r" (?:(?:doe|does|do) (?:the|our|this) protocol (?:cover|name|list|include|have)"
                r"|(?:are|is) (?:in|named in|listed in|covered by|part of|party to) (?:the|our|this) protocol)")

RULES: list[tuple[str, str]] = [
    ("admin", r"admin(?: (?P<rest>.+))?"),
    ("remind", r"(?:remind|reminder)(?: (?P<rest>.+))?"),
    ("calendar", r"(?:my )?calendar(?: (?P<rest>.+))?"),
    ("help", r"(?:help|command|what can you do|what can i ask|what do you do|what help can you give(?: me)?|how can you help(?: me)?"
             r"|how does (?:this|it) work|usage|how do i use(?: this| you| boardbot)?)(?: (?P<topic>.+))?"),
    ("areas", r"(?:list |show |all |which |what |how many |are |the )*area(?: are there| do you know| do you cover)?"),
    ("boards", r"(?:list |show |show me |all |list all |what |which |the |how many |are )*(?:board|partnership)"
               rf"(?: are there| exist| do we have| do you know| in thi area|{_IN_PROTOCOL})?"),
    ("themes", r"(?:list |show |show me |all |what |which |the |how many |are )*(?:theme|shared priority|priority|topic|lead)"
               rf"(?: are there| do you know| of common interest|{_IN_PROTOCOL})?"),
    ("route", r"(?:(?:what is |show |the )?(?:mutual )?(?:challenge|escalation) (?:route|ladder|process|step|procedure|protocol|arrangement)"
              r"|mutual challenge|how (?:do|can|does|should) (?:i|we|a chair|one board|our board) (?:formally )?(?:challenge|escalate)(?: .*)?)"),
    ("challenge", r"challenge(?: .*)?"),
    ("agenda", r"agenda(?: .*)?"),
    ("minutes", r"minute (?:.+)"),
    ("meeting", r"meeting (?:add|new|schedule) .+"),
    ("protocol", r"(?:the )?protocol(?: (?:version|review|review date|history|detail|info|date))?"),
    ("protocol", r"(?:when|what)(?: is| s)? .*(?:review|reviewed|version|approved|agreed|signed|history).*"),
    ("protocol", r".*protocol .*(?:review|reviewed|version|approved|agreed|signed|history|due|date).*"),
    ("meetings", r"(?:list |show |the |which |what )*(?:meeting|meeting schedule|recurring meeting)"),
    ("meetings", r"(?:when|how often) (?:do|does|will|should) (?:the )?(?P<who>.+?) meet(?: .*)?"),
    ("report_year", r"(?:annual )?report (?:year|yearly|annual)(?: .*)?"),
    ("reports", r"(?:list |show |the |which |what )*(?:report|reporting|reporting calendar|reporting arrangement|annual report)"),
    ("reports", r"(?:who|which board) (?:present|receive|get|consult|inform)(?: the)? .*report.*"),
    ("sharing", r"(?:information sharing|sharing|who (?:get|receive|see|share)(?: the)? (?:minute|agenda|annual plan).*)"),
    ("chair", rf"{_WHO} (?:chair|chairperson|chairman|chairwoman|independent chair)(?: of| for| on)? {_THE}(?P<board>.+)"),
    ("chair", rf"who chair {_THE}(?P<board>.+)"),
    ("chair", r"(?P<board>.+?) chair"),
    ("manager", rf"{_WHO} (?:business manager|lead officer|board manager|manager|officer)(?: of| for| on)? {_THE}(?P<board>.+)"),
    ("manager", r"(?P<board>.+?) (?:business manager|lead officer)"),
    ("both", rf"who (?:sit|is|are|attend|serve|s)(?: on| in)? both {_THE}(?P<a>.+?) and {_THE}(?P<b>.+)"),
    ("both", rf"(?:which|what) (?:member|people|person|role|post) (?:sit |are |is )?on both {_THE}(?P<a>.+?) and {_THE}(?P<b>.+)"),
    ("seats", rf"(?:which|what) (?:board|partnership|{_BODY})(?: does| do| is| are| did| ha| has)? {_THE}(?P<role>.+?) (?:sit|sitting|serve|serving|attend|attending|on|member|a member|belong|chair)(?: on| of| to| in)?"),
    ("seats", rf"where does {_THE}(?P<role>.+?) sit"),
    ("seats", rf"what does {_THE}(?P<role>.+?) sit on"),
    ("members", rf"(?:who (?:sit|is|are|attend|serve|s) (?:on|in)|who is a member of|who are the member of|member of|membership of|who attend) {_THE}(?P<board>.+)"),
    ("lead", rf"{_WHO} {_LEADS}{_ON} {_THE}(?P<theme>.+)"),
    ("lead", rf"(?:which|what) {_BODY} {_LEADS}{_ON} {_THE}(?P<theme>.+)"),
    ("lead", rf"(?:the )?(?:lead|lead board|lead partnership|responsibility|responsible board|accountability|strategic lead|strategic oversight)(?: board)? (?:for|on|of|over) {_THE}(?P<theme>.+)"),
    ("lead", rf"{_WHO} (?P<theme>.+?) lead"),
    ("lead", rf"who (?:should|do|can) (?:i|we) (?:talk to|contact|ask|speak to|go to|approach) about {_THE}(?P<theme>.+)"),
    ("lead", r"(?P<theme>.+?) lead"),
    ("board", rf"(?:board|about|tell me about|info on|information on|information about|describe|what does|what is|what s|whats|what|show me|show) {_THE}(?P<board>.+?)(?: do)?"),
]

_COMPILED = [(name, re.compile(f"^{rx}$")) for name, rx in RULES]
_GREETING = re.compile(r"^(?:(?:hi|hello|hey|morning|good morning|afternoon|good afternoon|boardbot|board|please|ok|so)\s+)+(?=\S)")
_TRAILING = re.compile(r"(?:\s+(?:please|pls|thanks|thank you|thank|today|now|currently|at the moment|here))+$")
# the last word of each of _TRAILING's phrases: a message ending in none of them has nothing for it to
# take off (a search for it tries every position of the message, and most messages end otherwise)
_TRAILING_LAST = frozenset(("please", "pls", "thanks", "you", "thank", "today", "now", "currently", "moment", "here"))


@dataclass(frozen=True)
class Parsed:
    intent: str
    args: dict[str, str] = field(default_factory=dict)
    phrase: str = ""  # the whole normalised message, area removed


def parse(normalised: str, *, among: frozenset[str] | None = None) -> Parsed:
    """Classify a normalised message (tokens joined by spaces, area already removed).

    ``among``: the caller asks only whether the message is one of these intents, so the rules
    after the last of them are not tried (what they would find is FALLBACK here, as it is
    no intent of ``among``)."""
    talk = small_talk(normalised)  # the whole message is "hi" / "thanks!": not a question to guess at
    if talk:
        return Parsed("greeting", {"kind": talk}, normalised.strip())
    s = normalised.strip()
    last = s.rsplit(None, 1)
    if last and last[-1] in _TRAILING_LAST:
        s = _TRAILING.sub("", s)
    stripped = _GREETING.sub("", s)
    # "board bscb" is a command; "board" alone lists boards, so only strip when more follows
    if stripped and not (s.startswith("board ") and stripped != s and len(s.split()) == 2):
        s = stripped
    if among is None:
        rules = _COMPILED
    else:
        first = _first_of(among).match(s)
        if first is None:
            return Parsed(FALLBACK, {}, s)
        rules = _COMPILED[int(first.lastgroup[1:]):]  # type: ignore[index]  # the rule that matched first, and its groups
    for name, rx in rules:
        m = rx.match(s)
        if m:
            args = {k: v for k, v in m.groupdict().items() if v}
            return Parsed(name, args, s)
    return Parsed(FALLBACK, {}, s)


_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


@cache
def _first_of(intents: frozenset[str]) -> re.Pattern[str]:
    """The rules up to the last one of ``intents`` as one pattern, each an alternative named
    ``_<its index>``: the first match among those is the first match of all when the message is
    one of them, and one match in the regex engine finds which rule that is at a fraction of the
    cost of trying each rule in turn (the question "is it a command?" is asked of every message).
    Each alternative is anchored at both ends, so the engine leaves it for the next only when it
    cannot match the whole message, as the rule tried alone would."""
    last = max((i + 1 for i, (name, _rx) in enumerate(_COMPILED) if name in intents), default=0)
    alternatives = "|".join(f"(?P<_{i}>{_NAMED_GROUP.sub('(?:', rx)})" for i, (_name, rx) in enumerate(RULES[:last]))
    return re.compile(f"^(?:{alternatives})$" if alternatives else r"(?!)")
