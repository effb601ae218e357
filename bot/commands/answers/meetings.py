"""When a board, a sub-group or a recurring meeting meets, and who attends, answered narrowly."""

from __future__ import annotations

from bot.commands.answers.asked import (
    board_for,
    which_board,
)
from bot.commands.replies import (
    first_sentences,
    join_names,
    narrow,
    refs_of,
    search_reply,
    search_terms,
    silent,
    yes_no,
)
from bot.context import Context
from bot.language.normalise import tokens
from bot.messages import Reply

_CADENCE = {"quarterly": "quarterly", "annual": "annually", "six_monthly": "every six months", "monthly": "monthly",
            "after_each_meeting": "after each meeting", "as_needed": "as and when needed"}
_ATTENDEE_WORDS = {
    ("chair",): "chair", ("chairs",): "chair", ("business", "manager"): "business manager", ("officer",): "officer",
    ("lead", "officer"): "officer", ("officers",): "officer",
}


def _meetings_for(area, u) -> list:
    ms = list(area.protocol.meetings)
    picked = [m for m in ms if any(e.type == "meeting" and e.key == m.key for e in u.entities)]
    if picked:
        return picked
    ranked = _rank_meetings(area, u, ms)
    t = u.tokens
    wanted = set()
    for words, who in _ATTENDEE_WORDS.items():
        if any(t[i : i + len(words)] == words for i in range(len(t))):
            wanted.add(who)
    boards = {e.key for e in u.all("board")}
    out = []
    for m in ms:
        text = " ".join(tokens(m.title + " " + " ".join(m.attendees)))
        if wanted and any(w in text for w in wanted):
            if not boards or boards & set(m.boards) or len(boards) == 1 and any(w in text for w in ("chair", "officer", "manager")):
                out.append(m)
    cadence = _cadence_asked(t)
    return sorted(out, key=lambda m: (m.cadence == cadence, ranked.get(m.key, 0.0)), reverse=True)


# what a yes or no about who attends says ("is the SSAB chair at...", "does the HWB chair go to...")
_ATTENDING = frozenset(("at", "attend", "attending", "go", "goe", "going", "invited", "present", "part", "included", "join"))
_GENERAL = frozenset(("board", "partnership", "partner", "all", "each", "every"))  # "the business managers of the Boards"


def attends(area, u, m) -> tuple[str, bool] | None:
    """(who, whether they attend) where a yes-or-no question asks whether a post, or a board's
    chair, manager or officer, attends ``m`` ("is the SSAB chair at the annual chairs' meeting?"):
    a recurring meeting, or a step of the challenge route, anything with ``attendees``. Told from
    the attendees the protocol names; None where it asks no such thing, or where the list names
    its attendees only in general ("the business managers of the Boards")."""
    t = u.tokens
    if not m.attendees or _ATTENDING.isdisjoint(t):
        return None
    e = next((e for e in u.entities if e.type in ("role", "board") and e.method != "context"), None)
    if e is None:
        return None
    if e.type == "role":
        r = area.roles.get(e.key)
        if r is None:
            return None
        who = r.title
        forms = [set(tokens(x)) for x in (e.text, r.title, *r.aliases)]
    else:
        b = area.boards.get(e.key)
        if b is None:
            return None
        office = max((words for words in _ATTENDEE_WORDS if t[e.end:e.end + len(words)] == words), key=len, default=())
        who = " ".join((b.short_name, *office))
        extra = set(office)
        forms = [set(tokens(b.short_name)) | extra, set(tokens(b.name)) | extra]
    attendees = [set(tokens(a)) for a in m.attendees]
    if any(f and f <= a for f in forms for a in attendees):
        return who, True
    if any(not _GENERAL.isdisjoint(a) for a in attendees):
        return None
    return who, False


_CADENCE_WORDS = {"annual": ("yearly", "annual", "annually", "every year", "once a year", "each year"),
                  "quarterly": ("quarterly", "every quarter", "every three months", "every 3 months"),
                  "monthly": ("monthly", "every month"), "six_monthly": ("twice a year", "every six months", "six monthly"),
                  "weekly": ("weekly", "every week", "once a week"),
                  "fortnightly": ("fortnightly", "every fortnight", "every two weeks", "every 2 weeks")}


def _cadence_asked(t: tuple[str, ...]) -> str | None:
    for cadence, phrases in _CADENCE_WORDS.items():
        for p in phrases:
            words = tokens(p)
            if any(t[i : i + len(words)] == words for i in range(len(t))):
                return cadence
    return None


def _rank_meetings(area, u, ms) -> dict[str, float]:
    """How well each recurring meeting's passage matches the question (BM25)."""
    hits = area.facts.search(search_terms(u), refs=refs_of(u), limit=12, sections=frozenset({"meetings"}))
    out: dict[str, float] = {}
    for h in hits:
        for ref in h.passage.refs:
            if ref.startswith("recurringmeeting:"):
                out.setdefault(ref.split(":", 1)[1], h.score)
    return out


def meeting_answer(ctx: Context, u) -> Reply:
    area = ctx.here
    sub = u.first("subgroup")
    if sub is not None:
        bkey, _, idx = sub.key.partition(":")
        g = area.boards[bkey].subgroups[int(idx)]
        cites = [area.cite(g.source)]
        if g.meets:
            lines = [f"The {g.name} meets {g.meets}."]
        else:
            lines = [silent(area, "subgroups", f"how often the {g.name} meets")]
            if g.text:
                lines.append(f"It is described as: {first_sentences(g.text)}")
            words = set(tokens(sub.text))
            for other in area.boards[bkey].subgroups:
                if other is not g and other.meets and words <= set(tokens(other.name)):
                    lines.append(f"The {other.name} meets {other.meets}.")
                    cites.append(area.cite(other.source))
        return narrow(area, "meeting", lines, cites, focus=bkey, silent_=not g.meets,
                      more=f"board {area.boards[bkey].short_name}")
    board_key = board_for(ctx, u)
    if u.facet == "public" and board_key:
        b = area.boards[board_key]
        if b.meets_in_public is not None:
            yes = b.meets_in_public.value
            rest = f"the {b.short_name} {'meets' if yes else 'does not meet'} in public."
            return narrow(area, "meeting", [yes_no(yes if u.yesno else None, rest)], [area.cite(b.meets_in_public.source)], focus=board_key)
        return narrow(area, "meeting", [silent(area, "boards", f"whether the {b.name} ({b.short_name}) meets in public")], [],
                      focus=board_key, silent_=True, more=f"board {b.short_name}")
    ms = _meetings_for(area, u)
    theme = u.first("theme")
    if not ms and (theme is not None or u.facet in ("when", "attendees", "purpose")) and (board_key or theme):
        found = search_reply(area, u, kind="meeting", sections=frozenset({"meetings", "themes", "boards"}))
        if found is not None and (theme is not None or not board_key):
            return found
    if ms:
        ranked = _rank_meetings(area, u, ms)
        close = [x for x in ms[1:3] if ranked.get(x.key, 0.0) >= 0.8 * ranked.get(ms[0].key, 0.0)]
        if close and u.facet in ("when", "often", None) and not u.yesno:
            lines = []
            for x in [ms[0], *close]:
                lines.append(f"{x.title}: {x.when or _CADENCE.get(x.cadence, x.cadence.replace('_', ' '))}."
                             + (f" {x.purpose}" if x.purpose else ""))
            return narrow(area, "meeting", lines, [area.cite(x.source) for x in [ms[0], *close]], more="meetings", focus=board_key)
        m = ms[0]
        when = m.when or _CADENCE.get(m.cadence, m.cadence.replace("_", " "))
        asked = _cadence_asked(u.tokens)
        if u.yesno and asked and m.cadence != asked:
            # "is there a quarterly officers' meeting?": not the one it names
            word = asked.replace("_", "-")
            rest = silent(area, "meetings", f"that {'an' if word[:1] in 'aeiou' else 'a'} {word} meeting of that kind is held")
            return narrow(area, "meeting", [yes_no(False, rest), f"It does name: {m.title} ({when})."], [area.cite(m.source)],
                          more="meetings", focus=board_key)
        attendance = attends(area, u, m) if u.yesno else None
        if attendance is not None:
            who, yes = attendance
            rest = (f"the {who} is among those the protocol names for the {m.title} ({when}): " if yes else
                    f"the protocol names those attending the {m.title} ({when}), and the {who} is not among them: ")
            return narrow(area, "meeting", [yes_no(yes, rest + join_names(m.attendees) + ".")], [area.cite(m.source)],
                          more="meetings", focus=board_key)
        if u.facet == "attendees":
            lines = [f"{m.title}: " + join_names(m.attendees) + "."]
        elif u.facet == "purpose" and m.purpose:
            lines = [f"{m.title} ({when}): {m.purpose}"]
        else:
            head = f"{m.title}: {when}."
            lines = [yes_no(True if u.yesno else None, head)]
            lines.append("Attending: " + join_names(m.attendees) + ".")
            if m.purpose:
                lines.append(m.purpose)
        return narrow(area, "meeting", lines, [area.cite(m.source)], more="meetings", focus=board_key)
    if board_key is None:
        found = search_reply(area, u, kind="meeting", sections=frozenset({"meetings", "boards", "information_sharing"}))
        if found is not None:
            return found
        if u.yesno:
            return narrow(area, "meeting", [yes_no(False, silent(area, "meetings", "that such a meeting is held"))], [], silent_=True,
                          more="meetings")
        return which_board(ctx, "meeting", "how often does the {board} meet?")
    b = area.boards[board_key]
    involving = [m for m in area.protocol.meetings if board_key in m.boards]
    if b.meets and b.meets.per_year:
        lines = [yes_no(True if u.yesno else None, f"the {b.name} ({b.short_name}): {b.meets.text}")]
        return narrow(area, "meeting", lines, [area.cite(b.meets.source)], focus=board_key, more="meetings")
    lines = [silent(area, "boards", f"how often the {b.name} ({b.short_name}) meets")]
    cites = []
    if b.meets:
        lines.append(b.meets.text)
        cites.append(area.cite(b.meets.source))
    if involving:
        lines.append("It does name: " + "; ".join(f"{m.title} ({m.when or _CADENCE.get(m.cadence, m.cadence)})"
                                                  for m in involving[:3]) + ".")
        cites.extend(area.cite(m.source) for m in involving[:3])
    return narrow(area, "meeting", lines, cites, focus=board_key, silent_=True, more="meetings")
