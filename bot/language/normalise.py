"""Turn what people type into comparable tokens.

Members write "Child Sexual Exploitation", "child sexual exploitation?", "CSE",
"anti-social behavior", "hate crimes", "Children's Trust". Both the protocol's phrases
and the question go through :func:`tokens`, so the comparison is like for like:
lower case, apostrophes dropped, hyphens split, American spellings anglicised, a few
compounds joined, and plurals reduced to a crude singular. The singular rule does not
need to be good English, only the same on both sides.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+")
# apostrophes dropped, "&" and "+" spelled out
_FOLD = {**dict.fromkeys(map(ord, "'\u2018\u2019\u02bc`")), ord("&"): " and ", ord("+"): " and "}

# Written as one word or two; joined so both spellings meet.
_COMPOUNDS = {
    ("anti", "social"): "antisocial",
    ("re", "offending"): "reoffending",
    ("re", "offend"): "reoffending",
    ("well", "being"): "wellbeing",
    ("health", "care"): "healthcare",
    ("child", "care"): "childcare",
    ("e", "safety"): "esafety",
    ("cyber", "bullying"): "cyberbullying",
    ("co", "ordination"): "coordination",
    ("multi", "agency"): "multiagency",
    ("sub", "group"): "subgroup",
}

_COMPOUND_FIRST = frozenset(first for first, _ in _COMPOUNDS)

_SPELLING = {
    "behavior": "behaviour",
    "behaviors": "behaviour",
    "program": "programme",
    "programs": "programme",
    "counseling": "counselling",
    "center": "centre",
    "offense": "offence",
    "offenses": "offence",
    "labor": "labour",
    "honor": "honour",
    "neighbor": "neighbour",
    "neighborhood": "neighbourhood",
    "pediatric": "paediatric",
    "favor": "favour",
    "fostered": "foster",
    "fostering": "foster",
    "&": "and",
    "kids": "children",
    "kid": "child",
    "kiddies": "children",
}

_KEEP = {
    "abuse", "analysis", "basis", "bus", "campus", "census", "crisis", "focus", "gas", "lens",
    "news", "plus", "status", "thesis", "this", "us", "yes", "process", "access", "business",
    "witness", "wellness", "illness", "homeless", "homelessness", "less", "series", "species",
    "always", "various", "previous", "serious", "religious", "dangerous", "vulnerabilities",
    "whereas", "has", "was", "is", "its", "his", "does", "goes", "whos", "whats", "hers", "ours", "yours", "theirs", "bucks", "lancs", "beds", "suffolks", "cps",
    "lac", "ss", "aids", "diabetes", "measles", "paralysis", "diagnosis", "sepsis", "mumps",
    "rickets", "scabies", "herpes",
}


def _singular(word: str) -> str:
    if len(word) <= 3 or word in _KEEP or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _anglicise(word: str) -> str:
    if word in _SPELLING:
        return _SPELLING[word]
    for us, uk in (("ization", "isation"), ("izations", "isations"), ("izing", "ising"), ("ized", "ised"), ("izes", "ises")):
        if word.endswith(us):
            return word[: -len(us)] + uk
    if word.endswith("ize") and len(word) > 5:
        return word[:-3] + "ise"
    return word


def fold(text: str) -> str:
    """Lower case, accents removed, a pronoun's "'re", "'ll", "'ve" and "'d" spelled out (with its
    apostrophe dropped, "we're" would be the word "were", "I'll" the word "ill"), other apostrophes
    dropped, & spelled out."""
    if not text.isascii():  # plain ASCII (nearly everything) has no accents to take off
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower()
    if "'" in text or "\u2019" in text:
        text = _CONTRACTION.sub(lambda m: f"{m.group(1)} {_SPELLED[m.group(2)]}", text)
    return text.translate(_FOLD)


_CONTRACTION = re.compile(r"\b(i|you|we|they|he|she|it|there|who|that)['\u2019](re|ll|ve|d)\b")
_SPELLED = {"re": "are", "ll": "will", "ve": "have", "d": "would"}


def last_sentence(text: str) -> str:
    """The last of a message's sentences (the question, where the ones before tell the case)."""
    return sentences(text)[-1]


def sentences(text: str) -> list[str]:
    """A message's sentences, in order."""
    return _SENTENCE_BREAK.split(text.strip())


def sentence_spans(text: str, t: tuple[str, ...]) -> list[tuple[int, int, str]] | None:
    """Each sentence of ``text`` with the span of ``t`` (its words as understood) it holds; None
    where the words no longer line up one for one (an abbreviation was spelled out)."""
    spans, start = [], 0
    for s in sentences(text):
        end = start + len(tokens(s))
        spans.append((start, end, s))
        start = end
    return spans if start == len(t) else None


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=\S)")


# Each word's comparable form: the words of the protocols and of questions are few (thousands)
# and repeat endlessly, so a word is anglicised and singularised once. Bounded all the same.
_WORDS: dict[str, str] = {}
_WORDS_MAX = 200_000


def _word(w: str) -> str:
    out = _WORDS.get(w)
    if out is None:
        out = _singular(_anglicise(w))
        if len(_WORDS) < _WORDS_MAX:
            _WORDS[w] = out
    return out


@lru_cache(maxsize=16384)
def tokens(text: str) -> tuple[str, ...]:
    """The comparable tokens of ``text`` (cached: protocol phrases repeat a lot)."""
    known = _WORDS.get
    words = [known(w) or _word(w) for w in _WORD.findall(fold(text))]
    if _COMPOUND_FIRST.isdisjoint(words[:-1]):
        return tuple(words)
    out: list[str] = []
    i = 0
    while i < len(words):
        pair = (words[i], words[i + 1]) if i + 1 < len(words) else None
        if pair in _COMPOUNDS:
            out.append(_COMPOUNDS[pair])  # type: ignore[index]
            i += 2
        else:
            out.append(words[i])
            i += 1
    return tuple(out)


def phrase(text: str) -> str:
    """The normalised phrase of ``text`` (tokens joined by single spaces)."""
    return " ".join(tokens(text))
