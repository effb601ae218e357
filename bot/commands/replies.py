"""The parts every narrow answer is made of.

A narrow answer is a few lines: yes or no first when that was asked, then the fact, then
the clause, and a way to the full entry ("more"). Where the protocol is silent it says
so plainly — or, where that part of the protocol has not been entered into boardbot yet
(the coverage contract), says that instead, never claiming the protocol is silent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from bot.language.understand import as_typed
from bot.messages import Citation, Reply, Section
from storage.protocol.schema import Source, parse_partial_date

if TYPE_CHECKING:
    from bot.knowledge import AreaKnowledge
    from bot.language.search import Hit
    from bot.language.understanding import Understanding

def cited(reply_data: dict[str, Any], citations) -> dict[str, Any]:
    """Add ``source`` (the first citation) and ``sources`` (all) to a JSON answer."""
    cites = [c.as_json() for c in citations]
    reply_data.setdefault("source", cites[0] if cites else None)
    reply_data.setdefault("sources", cites)
    return reply_data



def sources_line(citations, *, keep_order: bool = False) -> str:
    """"Sources: 2.1; 3 Officers Meeting (002_....txt)", grouped by file: an area's protocol
    may come from more than one document, and each clause must name its own."""
    by_file: dict[str, list[str]] = {}
    for c in citations:
        clauses = by_file.setdefault(c.file, [])
        if c.clause not in clauses:
            clauses.append(c.clause)
    parts = [f"{'; '.join(cl if keep_order else sorted(cl))} ({f})" for f, cl in by_file.items()]
    return "Sources: " + "; ".join(parts)



# how a post sits on a board (a seat's capacity), in the words of a reply
CAPACITY: dict[str, str] = {
    "chairs": "chairs",
    "member": "member",
    "attends": "attends",
    "participant_observer": "participant observer",
    "invited": "invited",
}

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]


def human_date(value: str | None) -> str:
    """'2018-01' -> 'January 2018'; '2018-01-15' -> '15 January 2018'."""
    if not value:
        return "not stated"
    d = parse_partial_date(value)
    parts = value.count("-")
    if parts == 0:
        return str(d.year)
    if parts == 1:
        return f"{_MONTHS[d.month - 1]} {d.year}"
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"\u201c(])")


def first_sentences(text: str, n: int = 1) -> str:
    """The first ``n`` sentences of ``text``."""
    parts = _SENTENCE.split(text.strip())
    return " ".join(parts[:n])


def join_names(items: Iterable[str], word: str = "and") -> str:
    items = [i for i in dict.fromkeys(items) if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def unique(cites: Iterable[Citation]) -> list[Citation]:
    seen, out = set(), []
    for c in cites:
        if (c.file, c.clause) not in seen:
            seen.add((c.file, c.clause))
            out.append(c)
    return out


def source_line(cites: list[Citation]) -> str:
    cites = unique(cites)
    if not cites:
        return ""
    if len({c.file for c in cites}) == 1:
        return f"Source: {cites[0].file}, {'; '.join(c.clause for c in cites)}."
    return "Source: " + "; ".join(c.label() for c in cites) + "."


def silent(area: AreaKnowledge, section: str, what: str) -> str:
    """ "Suffolk's protocol doesn't say how often the SSAB meets." — or, where that part of
    the protocol is not entered yet, that it isn't, never that the protocol is silent."""
    if not area.transcribed(section):
        return area.not_entered(section) + f" So boardbot can't say {what}."
    return f"{area.name}'s protocol doesn't say {what}."


_SENTENCE_OPENERS = frozenset("the it its there a an this that these those they each any every lead step after".split())


def _asked_words(area: AreaKnowledge, u: Understanding) -> frozenset[str]:
    """The words of the sentence that asks, less the area's own name: only these can be what the
    protocol is said to be silent on (not "reckons" in "our finance lead reckons… Is she right?",
    nor "beds" in "central beds")."""
    from bot.language import lexicon
    from bot.language.normalise import sentence_spans

    text, t = u.text, u.tokens
    own = area.name_words
    words = set(t)
    spans = sentence_spans(text, t) if ". " in text or "? " in text or "! " in text else None
    if spans:
        # the last sentence with a question mark, in the words as understood (slips corrected)
        start, end, _ = next((s for s in reversed(spans) if "?" in s[2]), spans[-1])
        asked = set(t[start:end])
        if any(w not in lexicon.STOPWORDS and w not in own and len(w) >= 4 for w in asked):
            words = asked  # else "…a view on fracking. Does it?": the sentence before holds the topic
    return frozenset(words - own)


def unknown_words(area: AreaKnowledge, u: Understanding) -> list[str]:
    """The question's topic words the protocol never uses ("GDPR", "budget")."""
    from bot.language import lexicon

    named = {u.tokens[i] for e in u.entities for i in range(e.start, min(e.end, len(u.tokens)))}
    asked = _asked_words(area, u)
    words = [w for w in u.content() if len(w) >= 4 and w not in named and w not in lexicon.cue_words()
             and not area.facts.known(w) and w in asked]
    if words:
        return words
    # each word known, but never together: "data protection" where the protocol has child protection and data
    t = u.tokens
    named = {t[i] for e in u.entities if e.type in ("board", "role", "person", "org", "subgroup")
             for i in range(e.start, min(e.end, len(t)))}
    for i in range(len(t) - 1):
        pair = [t[i], t[i + 1]]
        if all(w not in lexicon.STOPWORDS and w not in named and w in asked and w not in lexicon.cue_words() and len(w) >= 3 and not w.isdigit()
               for w in pair) and not area.facts.known_phrase(pair):
            return pair
    return []


def yes_no(answer: bool | None, rest: str) -> str:
    if answer is None:
        return rest
    if not rest:
        return "Yes." if answer else "No."
    # "The LSCB…" -> "the LSCB…", but "SSAB Annual Report…" and "Suffolk's protocol…" keep their capitals
    head = rest.split(" ", 1)[0]
    first = rest[0].lower() if head.lower() in _SENTENCE_OPENERS else rest[0]
    return ("Yes \u2014 " if answer else "No \u2014 ") + first + rest[1:]


def narrow(
    area: AreaKnowledge,
    kind: str,
    lines: list[str],
    cites: list[Citation],
    *,
    title: str = "",
    more: str | None = None,
    focus: str | None = None,
    silent_: bool = False,
    data: dict[str, Any] | None = None,
    sections: tuple = (),
) -> Reply:
    """A short answer: its lines, its sources and the typed command for the full entry.

    ``sections`` (optional) shape it as a card on Slack and Teams; without, the text is the body."""
    body = [x for x in lines if x]
    if more:
        body.append(f"More: \u201c{more}\u201d.")
    src = source_line(cites)
    if src:
        body.append(src)
    text = "\n".join(body)
    payload = {"intent": kind, "area": area.slug, "text": text, "silent": silent_, **(data or {})}
    if more:
        payload["more"] = more
    if focus:
        payload["focus"] = focus
    if sections and more:
        sections = (*sections, Section(f"More: \u201c{more}\u201d."))
    return Reply(text=text, title=title, citations=tuple(unique(cites)), sections=tuple(sections),
                 data=cited(payload, unique(cites)))


def cite_all(area: AreaKnowledge, sources: Iterable[Source | None]) -> list[Citation]:
    return [area.cite(s) for s in sources if s is not None]


def search_terms(u: Understanding) -> list[str]:
    """What to search for: the question's meaningful words and the names it used."""
    from bot.language import lexicon

    skip = {"protocol", "board", "boards", "partnership", "say", "says", "tell", "know", "happen", "happens", "mean"}
    words = [w for w in u.content() if w not in skip and len(w) > 1]
    for phrase, extra in lexicon.SEARCH_SYNONYMS.items():
        if lexicon.contains(u.tokens, lexicon.phrase_tokens(phrase)):
            words.extend(extra)
    for e in u.entities:
        if e.type in ("board", "role", "person") and e.method != "context":
            continue  # names steer the ranking (refs), their words would swamp it
        words.extend(w for w in e.text.split() if w not in lexicon.STOPWORDS)
    return list(dict.fromkeys(words))


def refs_of(u: Understanding) -> frozenset[str]:
    out = set()
    for e in u.entities:
        if e.type in ("board", "role", "theme"):
            out.add(f"{e.type}:{e.key}")
        elif e.type == "subgroup":
            out.add(f"board:{e.key.split(':')[0]}")
    return frozenset(out)


def hit_line(area: AreaKnowledge, hit: Hit) -> str:
    p = hit.passage
    about = "" if p.subject in p.text[:80] else f"{p.subject}: "
    return f"\u2022 {about}{p.text} ({p.source.clause})"


_NEGATION = re.compile(r"\b(not|no|neither|nor|never|cannot|isn[\u2019']?t|aren[\u2019']?t|doesn[\u2019']?t|without)\b", re.I)


def search_reply(area: AreaKnowledge, u: Understanding, *, kind: str, intro: str = "", sections: frozenset[str] | None = None,
                 limit: int = 3) -> Reply | None:
    """The protocol's best passages for the question, with their clauses; None if nothing fits.

    For a yes/no question, "Yes"/"No" leads only where the best passage holds nearly all
    the question's words (and "No" where it says so in the negative); otherwise the answer
    says the protocol doesn't say so directly, and shows what it does say.
    """
    from bot.language import lexicon

    terms = [w for w in search_terms(u) if w not in area.name_words]  # "in central beds" holds nothing to look for
    hits = area.facts.search(terms, refs=refs_of(u), limit=limit, sections=sections)
    if not hits:
        return None
    best = hits[0]
    cover = area.facts.coverage(best, terms)
    if cover < 0.34:
        return None
    # a word the protocol never uses ("budget"): say so, then show what it does say
    named = {u.tokens[i] for e in u.entities for i in range(e.start, min(e.end, len(u.tokens)))}
    asked = _asked_words(area, u)
    topic = [w for w in u.content() if len(w) >= 4 and w not in named and w in asked]
    unknown = [w for w in topic if w not in lexicon.cue_words() and not area.facts.known(w)]
    counts = {w: area.facts.frequency(w) for w in topic}
    counts = {w: n for w, n in counts.items() if n}
    if not unknown and counts and not u.yesno and cover < 0.6:
        # the question's most specific word, in none of the passages shown: the protocol is silent on it
        rarest = min(counts, key=counts.get)
        if counts[rarest] <= max(2, len(area.facts.passages) // 40) and not any(area.facts.holds(h, rarest) for h in hits[:limit]):
            unknown = [rarest]
    shown = [h for h in hits if h.score >= best.score * 0.45][:limit]
    lines: list[str] = []
    yes: bool | None = None
    if unknown:
        lines.append(f"{area.name}'s protocol doesn't say anything about {' '.join(as_typed(tuple(unknown), u.text))}. The closest it comes:")
    elif u.yesno:
        # a yes or no needs the passage to hold what is asked, not only the names it is asked of
        if cover >= 0.6 and any(w not in named for w in terms):
            asked_negative = any(w in ("not", "no", "never") for w in u.tokens)
            negative = bool(_NEGATION.search(best.passage.text))
            yes = not negative if not asked_negative else negative
            lines.append(yes_no(yes, f"the protocol says: {best.passage.text} ({best.passage.source.clause})"))
            shown = shown[1:2]
        else:
            lines.append(f"{area.name}'s protocol doesn't say so directly. Here is what it says:")
    else:
        lines.append(intro or f"Here is what {area.name}'s protocol says:")
    lines += [hit_line(area, h) for h in shown]
    cites = [area.cite(h.passage.source) for h in ([best] + shown)]
    return narrow(area, kind, lines, cites, silent_=bool(unknown), data={"answered_by": "search", "yes": yes})


def also_says(area: AreaKnowledge, u: Understanding, cited_clauses: set[str]) -> str:
    """For a silent answer: the protocol's closest statement elsewhere, if it holds most of the question."""
    terms = search_terms(u)
    for h in area.facts.search(terms, refs=refs_of(u), limit=3):
        if h.passage.source.clause in cited_clauses or h.passage.section == "themes":
            continue
        if area.facts.coverage(h, terms) >= 0.6:
            return f"It does say: {h.passage.text} ({h.passage.source.clause})"
    return ""
