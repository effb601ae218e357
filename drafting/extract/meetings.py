"""Recurring meetings ("the Chairs will meet annually") and the boards' own cadences.

A sentence in which people meet at a stated frequency is a recurring meeting: who meets
is its subject ("The Chairs of the BSCB, BSAB …", "Business managers"), whom they meet
follows "with". A sentence in which one board itself meets ("The Strategic Board meets
quarterly") is that board's cadence. Challenge and resolution meetings are the ladder's,
not recurring meetings.
"""

from __future__ import annotations

import re

from drafting.extract.board_index import BoardIndex
from drafting.extract.common import cadence_of, cite, sentences, slug_key
from drafting.model import Document, clean

_MEET = re.compile(r"\b(?:will|shall|should|must|to|would|continue to|also)\s+(?:continue to\s+)?meet\b|\bmeets\b|\bmeet\s+(?:on|at least|quarterly|annually|regularly|every|twice|once|monthly|yearly|termly|bi-?monthly|(?:\d+|two|three|four|five|six|eight|ten) times)"
                   r"|\bmeetings?\b[^.;]{0,60}?\b(?:(?:will|shall|should|is|are) (?:be )?(?:held|take place|convened?)|takes place|take place)|\bconvene[sd]?\b|\bcome together\b"
                   r"|\bhold(?:s)?\b(?=\s+(?:at least |a minimum of )?(?:\d+|two|three|four|five|six|eight|ten|twelve) meetings\b)", re.I)
_PEOPLE = re.compile(r"\b(chairs?|co-chairs?|business managers?|lead officers?|officers?|managers?|directors?|members|representatives|leads|"
                     r"chief executives?|coordinators?|co-ordinators?)\b", re.I)
_SKIP = re.compile(r"request a meeting|resolution meeting|cannot be resolved|not been resolved|agenda item|placed on (?:a|the|another|either)|expected to attend|invited to attend|review(?:ed)? (?:on|as part)|as part of the annual meeting", re.I)
_MONTHS = {m: i + 1 for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july",
                                            "august", "september", "october", "november", "december"])}


def _from_tables(doc: Document, index: BoardIndex, key: str, taken: set[str]) -> list[dict]:
    """Tables such as "Meeting | Frequency | Who attends"."""
    out = []
    for b in doc.blocks:
        if b.kind != "table" or len(b.rows) < 2:
            continue
        header = [c.text.lower() for c in b.rows[0]]
        mi = next((i for i, h in enumerate(header) if re.search(r"meeting|forum|group", h)), None)
        fi = next((i for i, h in enumerate(header) if re.search(r"frequen|how often|cadence|when", h)), None)
        ai = next((i for i, h in enumerate(header) if re.search(r"attend|who|members|membership", h)), None)
        if mi is None or fi is None:
            continue
        for r, row in enumerate(b.rows[1:], start=1):
            title = row[mi].text if mi < len(row) else ""
            cad = cadence_of(row[fi].text if fi < len(row) else "")
            if not title or cad is None:
                continue
            who = row[ai].text if ai is not None and ai < len(row) else ""
            keys = index.keys_in(title + " " + who)
            if not keys and re.search(r"chairs|business managers|officers|all", title + " " + who, re.I):
                keys = [e.key for e in index.boards]
            m = {"key": slug_key(f"{title}", taken), "title": title, "cadence": cad[0] if cad[0] != "other" else "as_needed",
                 "attendees": [who] if who else ["(not stated)"], "boards": keys}
            if cad[0] == "other":
                m["when"] = clean(cad[2])
            m["source"] = cite(doc, b, row=r, key=key).source()
            out.append(m)
    return out


def _own_group(doc: Document, subj: str) -> str | None:
    """The group a terms of reference sets up, where ``subj`` names it ('The Executive', 'The group').

    Its name is the title's one body that is not a board of a known kind ("Ferncastle
    Partnership Executive – Terms of Reference" -> "Partnership Executive")."""
    from drafting.extract.names import find_names, kind_of

    title = next((b.text for b in doc.blocks[:5] if b.kind == "heading"), "")
    if not re.search(r"terms of reference|\bgroup\b|\bforum\b|\bexecutive\b|\bnetwork\b", title, re.I):
        return None
    names = [m.name for m in find_names(title) if kind_of(m.name) == "other"]
    if len(names) != 1:
        return None
    name = names[0]
    head = name.split()[-1].lower()
    if re.fullmatch(r"\s*(?:the\s+)?(?:" + re.escape(head) + r"|group|" + re.escape(name.lower()) + r")\s*", subj.lower()) or \
            re.fullmatch(r"\s*(?:the\s+)?" + re.escape(" ".join(name.split()[1:]).lower()) + r"\s*", subj.lower()):
        words = name.split()
        return " ".join(words[1:]) if len(words) > 2 and words[0][0].isupper() and kind_of(" ".join(words[1:])) == "other" else name
    return None


def extract_meetings(doc: Document, index: BoardIndex, key: str = "protocol") -> tuple[list[dict], dict[str, dict]]:
    cadences: dict[str, dict] = {}
    taken: set[str] = set()
    meetings: list[dict] = _from_tables(doc, index, key, taken)
    for b in doc.blocks:
        if b.kind not in ("paragraph", "item"):
            continue
        for s in sentences(b.text):
            mm = _MEET.search(s)
            if not mm or _SKIP.search(s) or re.match(r"v?\d+\.\d+\b", s, re.I):
                continue
            cad = cadence_of(s)
            if cad is None:
                continue
            cadence, per_year, words = cad
            # a count the schema has no cadence for ("three times a year"): no reminders, its words kept
            counted = clean(words) if cadence == "other" else None
            subj = s[: mm.start()]
            obj = s[mm.end():]
            keys = index.keys_in(s)
            people = _PEOPLE.search(subj) or (_PEOPLE.search(mm.group(0)) if re.search(r"held|take place|convene", mm.group(0)) else None)
            if people and people.string is not subj:
                subj = mm.group(0)
            subj_keys = index.keys_in(subj)
            src = cite(doc, b, s, key=key).source()
            if not people and len(subj_keys) == 1 and not re.search(r"\b(?:and|with)\b", subj + obj[:20]):
                cadences.setdefault(subj_keys[0], {"text": clean(s), "per_year": per_year, "source": src})
                continue
            joint = re.search(r"\bjoint meeting of (?:the |all )?(?:\w+ )?(?:boards|partnerships)\b|\bthe (?:boards|partnerships) (?:hold|will hold|meet) (?:a )?joint", s, re.I)
            if joint and not people:
                meetings.append({"key": slug_key(f"joint_{cadence}", taken), "title": "Joint meeting of the boards", "cadence": cadence if cadence != "other" else "as_needed",
                                 "attendees": ["members of the boards"], "boards": [e.key for e in index.boards],
                                 **({"when": counted} if counted else {}), "source": src})
                continue
            own = _own_group(doc, subj)
            if not people and own:
                # terms of reference: "The Executive meets every six months" is the group the document sets up
                meetings.append({"key": slug_key(f"{own}_{cadence}", taken), "title": own, "cadence": cadence if cadence != "other" else "as_needed",
                                 "attendees": [f"members of the {own}"], "boards": [e.key for e in index.boards],
                                 **({"when": counted} if counted else {}), "source": src})
                continue
            if not people and not re.search(r"\bboards?\b|partnerships?", subj, re.I):
                continue
            if cadence == "other":
                cadence = "as_needed"
            who = clean(re.sub(r"^(?:the|and|also|in addition,?)\s+", "", subj.strip(" ,;:"), flags=re.I))
            who = re.sub(r"\s+(?:will|shall|should|must|would|to|continue to)$", "", who)
            attendees = [who] if who else []
            w = re.match(r"\s*(?:\w+\s+){0,4}?with\s+(.+?)(?:[.;]|\s+to\s+|\s+in order|\s+following|\s+after|$)", obj)
            if w:
                attendees += [clean(x) for x in re.split(r",\s*|\s+and\s+(?=the\b)", w.group(1)) if x.strip()]
            group = people.group(1).lower() if people else "board"
            title = {"chair": "Chairs' meeting", "chairs": "Chairs' meeting", "co-chairs": "Co-chairs' meeting",
                     "business manager": "Business managers' meeting", "business managers": "Business managers' meeting",
                     "lead officer": "Lead officers' meeting", "lead officers": "Lead officers' meeting",
                     "officer": "Officers' meeting", "officers": "Officers' meeting"}.get(group, f"Meeting of {who}"[:80])
            heading = b.heading
            if heading and re.search(r"\bmeeting\b", heading.text, re.I) and not re.search(r"\bmeetings\b|\band\b", heading.text, re.I) and len(heading.text) < 60:
                title = heading.text
            if not keys and people and re.search(r"\b(?:the|all|both|three|four|five|six)\s+(?:\w+\s+)?(?:chairs|business managers|lead officers|officers)\b|^\s*(?:the\s+)?(?:chairs|business managers|lead officers)\b", subj, re.I):
                keys = [e.key for e in index.boards]
            said = counted or cadence.replace("_", " ")
            title = f"{title} ({said})" if said.lower() not in title.lower() else title
            months = [v for k, v in _MONTHS.items() if re.search(rf"\b{k}\b", s, re.I) and k != "may"]
            m = {"key": slug_key(f"{group}_{cadence}", taken), "title": title, "cadence": cadence,
                 "attendees": attendees or ["(not stated)"], "boards": keys}
            if months:
                m["months"] = months
            when = re.search(r"(?:following|after|before|in advance of|at the start of|at the end of)\s+[^.;,]+", obj, re.I)
            if when or counted:
                m["when"] = ", ".join(x for x in (counted, clean(when.group(0)) if when else None) if x)
            purpose = re.search(r"\bto (?:ensure|support|discuss|consider|review|inform|share|agree|enable|co-?ordinate|align)\b[^.]*", s, re.I)
            rest = [x for x in sentences(b.text) if x != s]
            if purpose:
                m["purpose"] = clean(purpose.group(0))
            elif rest and re.match(r"(?:this|these|the meeting)s? will", rest[0], re.I):
                m["purpose"] = clean(rest[0])
            m["source"] = src
            meetings.append(m)
    return meetings, cadences
