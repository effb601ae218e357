"""The mutual-challenge route, answered narrowly: a step, the next step, who may raise, the
response window; and a chair's own open challenges.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.commands.answers.asked import (
    own_boards,
    short_name,
)
from bot.commands.answers.meetings import attends
from bot.commands.replies import (
    first_sentences,
    join_names,
    narrow,
    silent,
    yes_no,
)
from bot.context import Context
from bot.messages import Reply


def _current_rung(area, u) -> int | None:
    ladder = area.ladder
    for e in u.entities:
        if e.type == "rung":
            for i, r in enumerate(ladder):
                if r.key == e.key or r.kind == e.key:
                    return i
    if u.has("wrote", "written", "letter", "heard nothing", "no reply", "no answer", "no response", "hasnt responded",
             "havent responded", "not responded", "ignores", "ignored"):
        return 0
    if u.has("their agenda", "on the agenda", "agenda"):
        return next((i for i, r in enumerate(ladder) if r.kind == "agenda_item"), None)
    return None


def _rung_line(i: int, rung) -> str:
    who = f" Attending: {join_names(rung.attendees)}." if rung.attendees else ""
    note = f" (Note: {rung.note})" if getattr(rung, "note", None) else ""
    return f"Step {i + 1}, {rung.title}: {rung.text}{note}{who}"


@dataclass(frozen=True)
class _Route:
    """The area's challenge route as every part of the answer reads it: its ladder (the
    protocol's, or boardbot's default, which is then labelled so) and its commitment."""

    area: Any
    ladder: list
    ch: Any
    default: bool
    label: str

    def cites_for(self, rungs: list) -> list:
        """The clauses of ``rungs``: none for boardbot's default ladder, which no protocol sets out."""
        return [] if self.default else [self.area.cite(r.source) for r in rungs]


async def challenge_answer(ctx: Context, u) -> Reply:
    """The one thing asked about the challenge route; a chair's own challenges where they ask about theirs."""
    area = ctx.here
    ladder = area.ladder
    ch = area.protocol.challenge
    default = area.ladder_is_default
    label = " (boardbot's default ladder: the protocol names no steps)" if default else ""

    if u.ours and own_boards(ctx) and ctx.services.store is not None \
            and u.facet in ("next", None):
        return await our_challenges_answer(ctx, u)
    route = _Route(area, ladder, ch, default, label)
    for part in (_window, _who_may_raise, _agenda_item, _named_steps, _commitment, _attendees, _has_step, _final_or_count,
                 _numbered_step, _next_or_this_step):
        reply = part(route, u)
        if reply is not None:
            return reply
    return _the_route(route, u)


def _window(route: _Route, u) -> Reply | None:
    """How long the other board has to respond: the protocol's windows, else boardbot's default ones (said so)."""
    area = route.area
    ladder = route.ladder
    cites_for = route.cites_for
    if u.facet == "window":
        from bot.workflows.windows import window_days

        own = [getattr(r, "response_window", None) or getattr(r, "window_working_days", None) for r in ladder]
        if any(own):
            lines = [f"Step {i + 1} ({r.title}): {w} working days." for i, (r, w) in enumerate(zip(ladder, own, strict=True)) if w]
            return narrow(area, "challenge", lines, cites_for(ladder), more="challenge route")
        lines = [silent(area, "challenge", "how long the other board has to respond"),
                 "boardbot's default response windows (not part of the protocol; an administrator can change them): " + "; ".join(
                     f"{r.title} {window_days(r.key, r.kind)} working days" for r in ladder) + "."]
        return narrow(area, "challenge", lines, [], more="challenge route", silent_=True)
    return None


def _who_may_raise(route: _Route, u) -> Reply | None:
    """Who may raise a challenge."""
    area = route.area
    ladder = route.ladder
    ch = route.ch
    default = route.default
    cites_for = route.cites_for
    if u.facet == "who_may" or u.has("who can raise", "who can make", "who can challenge"):
        lines = []
        who = ch.who_may_raise.text if ch.who_may_raise else ""
        if u.first("board") and u.has("challenge") and not who:
            who = ch.statement.text if ch.statement else ""
        if u.has("agenda", "item on") and not default:
            rung = next((r for r in ladder if r.kind == "agenda_item"), None)
            if rung:
                return narrow(area, "challenge", [yes_no(True if u.yesno else None, rung.text)], cites_for([rung]), more="challenge route")
        if who:
            yes = True if u.yesno and ("chair" in who.lower() or u.first("board")) else None
            if ch.statement and (u.first("board") or not ch.who_may_raise):
                lines.append(yes_no(yes, first_sentences(ch.statement.text, 2)))
                if ch.who_may_raise:
                    lines.append(ch.who_may_raise.text)
            else:
                lines.append(yes_no(yes, who))
            src = [x.source for x in (ch.who_may_raise, ch.statement) if x]
            return narrow(area, "challenge", lines, [area.cite(s) for s in src], more="challenge route")
    return None


def _agenda_item(route: _Route, u) -> Reply | None:
    """An agenda request: the protocol's own step for it, and how to make one."""
    area = route.area
    ladder = route.ladder
    default = route.default
    cites_for = route.cites_for
    asks_item = "agenda" in u.tokens and any(w in u.tokens for w in ("ask", "request", "put", "item", "add", "raise", "onto",
                                                                        "include", "table", "get"))
    if asks_item and u.facet not in ("next", "final", "window", "attendees") and not default:
        # an agenda request: the protocol's own step for it, and how to make one
        rung = next((r for r in ladder if r.kind == "agenda_item"), None)
        if rung is not None:
            b = u.first("board")
            how = f"To ask (chairs): type \u201cagenda request {area.boards[b.key].short_name if b else '<board>'}\u201d."
            return narrow(area, "challenge", [yes_no(True if u.yesno else None, rung.text), how], cites_for([rung]),
                          more="challenge route")
    return None


def _named_steps(route: _Route, u) -> Reply | None:
    """Asked whether the protocol sets out escalation steps: yes, naming them, or no, with the default ladder."""
    area = route.area
    ladder = route.ladder
    default = route.default
    cites_for = route.cites_for
    if u.has("set out", "escalation steps", "named steps", "name any steps", "have steps", "have a ladder") and u.yesno:
        rest = ("the protocol names its steps: " + "; ".join(r.title for r in ladder) + "." if not default
                else "the protocol commits the boards to mutual challenge but names no steps, so boardbot uses its default ladder: "
                + "; ".join(r.title for r in ladder) + ".")
        return narrow(area, "challenge", [yes_no(not default, rest)], cites_for(ladder), more="challenge route")
    return None


def _commitment(route: _Route, u) -> Reply | None:
    """"Can we challenge the HWB?": the protocol's commitment to mutual challenge, and its steps."""
    area = route.area
    ladder = route.ladder
    ch = route.ch
    label = route.label
    if u.yesno and (u.first("board") or u.has("mutual challenge")) and ch.statement and not u.first("rung"):
        return narrow(area, "challenge", [yes_no(True, first_sentences(ch.statement.text, 2))] + (
            [f"The steps{label}: " + "; ".join(r.title for r in ladder) + "."]), [area.cite(ch.statement.source)], more="challenge route")
    return None


def _attendees(route: _Route, u) -> Reply | None:
    """Who attends a step (the chairs' meeting, the resolution meeting)."""
    area = route.area
    ladder = route.ladder
    label = route.label
    cites_for = route.cites_for
    if u.facet == "attendees" or u.has("chief executive") and u.yesno:
        rung = next((ladder[i] for i in [_current_rung(area, u)] if i is not None), None) if u.first("rung") else None
        rungs = [rung] if rung else [r for r in ladder if r.attendees and r.kind in ("resolution_meeting", "chairs_meeting")]
        if u.has("chief executive"):
            rungs = [r for r in ladder if "chief executive" in (r.text + " ".join(r.attendees)).lower()] or rungs
        if rungs:
            lines = [yes_no(True if u.yesno else None, _rung_line(ladder.index(rungs[-1]), rungs[-1]))]
            if len(rungs) > 1 and not u.first("rung"):
                lines.insert(0, _rung_line(ladder.index(rungs[0]), rungs[0]))
            return narrow(area, "challenge", [x + label if i == 0 else x for i, x in enumerate(lines)], cites_for(rungs),
                          more="challenge route")
    return None


_ORDER_WORDS = frozenset(("first", "second", "third", "fourth", "fifth", "last", "final", "next", "after", "before", "then"))


def _has_step(route: _Route, u) -> Reply | None:
    """"Does Lancashire have a resolution meeting stage?", "is there a chairs' meeting in the
    escalation process?": whether the area's own route has that step (a default ladder is none of
    the protocol's); where the step stands in the route is another question (the ones after)."""
    rung = u.first("rung")
    if not u.yesno or rung is None or u.facet is not None or not _ORDER_WORDS.isdisjoint(u.tokens) \
            or any(w.isdigit() for w in u.tokens):
        return None
    area, ladder = route.area, route.ladder
    i = next((i for i, r in enumerate(ladder) if r.key == rung.key or r.kind == rung.key), None)
    if any(e.type in ("role", "board", "person", "org") for e in u.entities):
        # "does the DCS have to be at the resolution meeting?": who attends that step
        found = attends(area, u, ladder[i]) if i is not None else None
        if found is None:
            return None
        who, yes = found
        rest = (f"the {who} is among those named for step {i + 1}, {ladder[i].title}: " if yes else
                f"those named for step {i + 1}, {ladder[i].title}, do not include the {who}: ")
        return narrow(area, "challenge", [yes_no(yes, rest + join_names(ladder[i].attendees) + "." + route.label)],
                      route.cites_for([ladder[i]]), more="challenge route")
    steps = "; ".join(f"{n + 1}. {r.title}" for n, r in enumerate(ladder))
    if route.default:
        rest = (f"{area.name}'s protocol commits the boards to mutual challenge but names no steps. boardbot's default "
                f"ladder, used in its place, has these: {steps}.")
        return narrow(area, "challenge", [yes_no(False, rest)], [], more="challenge route")
    if i is None:
        return narrow(area, "challenge", [yes_no(False, f"the protocol's steps are: {steps}.")], route.cites_for(ladder),
                      more="challenge route")
    return narrow(area, "challenge", [yes_no(True, _rung_line(i, ladder[i]))], route.cites_for([ladder[i]]),
                  more="challenge route")


def _final_or_count(route: _Route, u) -> Reply | None:
    """The last step, or how many there are."""
    area = route.area
    ladder = route.ladder
    label = route.label
    cites_for = route.cites_for
    if u.facet == "final":
        return narrow(area, "challenge", [f"The last step{label}: " + _rung_line(len(ladder) - 1, ladder[-1])],
                      cites_for(ladder[-1:]), more="challenge route")
    if u.facet == "count":
        return narrow(area, "challenge", [f"{len(ladder)} steps{label}: " + "; ".join(f"{i + 1}. {r.title}" for i, r in enumerate(ladder)) + "."],
                      cites_for(ladder), more="challenge route")
    return None


_NUMBER = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "first": 1, "second": 2, "third": 3,
           "fourth": 4, "fifth": 5, "sixth": 6}


def _numbered_step(route: _Route, u) -> Reply | None:
    """"What is step 2?": that step."""
    area = route.area
    ladder = route.ladder
    label = route.label
    cites_for = route.cites_for
    numbered = next((n for w in u.tokens if (n := _NUMBER.get(w) or (int(w) if w.isdigit() else 0)) and 1 <= n <= len(ladder)),
                    None)
    if numbered and u.has("step", "stage", "rung", "steps", "stages", "rungs"):
        i = numbered - 1
        return narrow(area, "challenge", [_rung_line(i, ladder[i]) + label], cites_for([ladder[i]]), more="challenge route")
    return None


def _next_or_this_step(route: _Route, u) -> Reply | None:
    """What comes after a step (the one a story tells of), or what happens at one."""
    area = route.area
    ladder = route.ladder
    label = route.label
    cites_for = route.cites_for
    current = _current_rung(area, u)
    if u.facet == "next" or (current is not None and u.has("after", "then", "next")):
        i = current if current is not None else 0
        if i + 1 < len(ladder):
            lines = [f"After \u201c{ladder[i].title.lower()}\u201d, the next step{label} is: " + _rung_line(i + 1, ladder[i + 1])]
            return narrow(area, "challenge", lines, cites_for([ladder[i + 1]]), more="challenge route")
        return narrow(area, "challenge", [f"\u201c{ladder[i].title}\u201d is the last step{label}. " + ladder[i].text],
                      cites_for([ladder[i]]), more="challenge route")
    if current is not None and u.first("rung") is not None and u.tokens[:1] in (("what",), ("whats",), ("tell",), ("describe",),
                                                                                ("explain",)):
        # "what happens at the resolution panel": that step
        return narrow(area, "challenge", [_rung_line(current, ladder[current]) + label], cites_for([ladder[current]]),
                      more="challenge route")
    return None


def _the_route(route: _Route, u) -> Reply:
    """The route, step by step, and how to raise a challenge (anything else about challenge)."""
    area = route.area
    ladder = route.ladder
    label = route.label
    cites_for = route.cites_for
    outside = area.facts.search(u.content(), limit=1, sections=frozenset({"boards", "roles"}))
    extra = []
    if outside and area.facts.coverage(outside[0], u.content()) >= 0.75:
        extra = [f"Also: {outside[0].passage.text} ({outside[0].passage.source.clause})"]
        if u.has("safeguarding partners", "partners"):
            return narrow(area, "challenge", extra[:1], [area.cite(outside[0].passage.source)])
    lines = [f"Mutual challenge in {area.name}{label}:"]
    lines += [f"{i + 1}. {r.title}" + (f" ({join_names(r.attendees)})" if r.attendees and r.kind == "resolution_meeting" else "")
              for i, r in enumerate(ladder)]
    lines.append(f"Step 1: {ladder[0].text}")
    lines += extra
    lines.append("To raise one (chairs): type \u201cchallenge <board>\u201d.")
    return narrow(area, "challenge", lines, cites_for(ladder[:1]), more="challenge route")




async def our_challenges_answer(ctx: Context, u) -> Reply:
    """A chair's own open challenges: where each stands and what comes next."""
    from bot.workflows.challenges import rung_of, visible_to

    area = ctx.here
    actor = ctx.request.actor
    mine = own_boards(ctx)
    rows = [c for c in await visible_to(ctx.services, actor, area) if c.from_board in mine or c.to_board in mine]
    ladder = area.ladder
    if not rows:
        text = (f"You have no open challenges in {area.name}. The first step of the route is: {ladder[0].title} \u2014 "
                f"{ladder[0].text} To raise one, type \u201cchallenge <board>\u201d.")
        return narrow(area, "challenge", [text], [], more="challenge route", data={"challenges": []})
    lines = []
    for c in rows[:3]:
        rung = rung_of(area, c)
        i = c.rung_index
        raised = c.from_board in mine
        step = f"C{c.number} ({short_name(area, c.from_board)} \u2192 {short_name(area, c.to_board)}: {c.subject}) is at step {i + 1}, {rung.title}"
        if c.status == "responded":
            step += "; the other board has responded: resolve it, or escalate if the response does not settle it"
        elif c.status == "awaiting_info":
            step += "; the clock is paused while the raising board provides the information asked for"
        if i + 1 < len(ladder):
            nxt = f" Next, if it is not resolved: step {i + 2}, {ladder[i + 1].title}" + (
                " (your decision: use Escalate on its card, or type \u201cchallenge " + str(c.number) + "\u201d)" if raised else "") + "."
        else:
            nxt = " This is the last step."
        lines.append(step + "." + nxt)
    return narrow(area, "challenge", lines, [], more="challenges",
                  data={"challenges": [{"number": c.number, "rung": c.rung_key, "status": c.status} for c in rows]})
