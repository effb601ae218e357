"""Greetings, thanks and "ok": a whole message that is small talk, not a question.

"hi", "thanks!", "cheers", "morning", "ok great" deserve a friendly short reply with
something to try, not "Sorry, I didn't understand". Only the whole message counts: "hi,
who leads on CSE?" is a question, and the question is answered. Patterns are written
against normalised tokens (:mod:`bot.language.normalise`: "thanks" arrives as "thank",
"cheers" as "cheer").
"""

from __future__ import annotations

import re

_NAME = r"(?: (?:boardbot|board bot|bot|there|all|everyone|everybody|team|folk|again))?"
_HELLO = (r"(?:hi|hii+|hello|hallo|hey|heya|hiya|howdy|yo|greeting|morning|afternoon|evening|good (?:morning|afternoon|evening|day)"
          r"|hi hi|hello hello)")
_THANKS = (r"(?:thank|thank you|thankyou|thank you (?:so|very) much|thank you kindly|many thank|thank a lot|thank so much"
           r"|cheer|ta|thx|thnx|ty|tyvm|much appreciated|appreciated|appreciate it|that s helpful|that helpful|helpful)")
_ACK = r"(?:ok|okay|okey|k|kk|great|perfect|brilliant|lovely|cool|nice|excellent|super|fab|fantastic|got it|understood|noted|right|fine|sure|good)"
_BYE = r"(?:bye|goodbye|bye bye|see you|see ya|cya|later|night|good night)"

_RULES = [
    ("thanks", re.compile(rf"^(?:{_ACK} )*(?:{_HELLO} )?{_THANKS}(?: (?:you|again|very much|so much|a lot|a million|mate|both))*(?: for (?:that|this|the help|your help|help|the answer|all that))?{_NAME}(?: {_ACK})*$")),
    ("hello", re.compile(rf"^(?:{_HELLO})(?: {_HELLO})*{_NAME}(?: how are you| how s it going| how are thing)?$")),
    ("bye", re.compile(rf"^(?:(?:{_ACK}|{_THANKS}) )*{_BYE}{_NAME}$")),
    ("ok", re.compile(rf"^(?:{_ACK})(?: {_ACK})*$")),
]


def small_talk(normalised: str) -> str | None:
    """``hello`` | ``thanks`` | ``bye`` | ``ok`` when the whole message is small talk, else None."""
    s = normalised.strip()
    if not s or len(s.split()) > 7:
        return None
    m = _ANY.match(s)
    return m.lastgroup if m is not None else None


# the rules as one pattern, each an alternative named by its kind, tried in order: one match in the
# regex engine rather than one per rule (every message is asked whether it is small talk)
_ANY = re.compile("|".join(f"(?P<{kind}>{rx.pattern})" for kind, rx in _RULES))
