"""From a message to a reply: commands by their words, everything else understood.

Every platform calls :func:`handle` with a neutral :class:`~bot.messages.Request`. A
message that starts with a command ("challenge HWB", "remind …", "board BSCB", "help")
runs that command. Anything else is a question in plain words: it goes through the
understanding step (:func:`bot.language.understand.understand`: the area and place it
names, what it names, what it asks, with a confidence), leaning on the conversation's
last question when it is a follow-up, and is answered by :mod:`bot.commands.questions`.

The area is the one the question names ("… in Suffolk?", or a town in it), else the
conversation's (for a follow-up), else the one the request came from (the workspace's
area, ``--area``), else the only area there is.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from copy import copy
from dataclasses import dataclass, replace

from bot.actions import action
from bot.commands import Command, Context, load
from bot.commands.risks import is_risk_command
from bot.commands.steps import is_step
from bot.knowledge import strip_span
from bot.language.conversation import Turn
from bot.language.intents import FALLBACK, parse
from bot.language.normalise import tokens
from bot.language.understand import stands_alone, understand
from bot.messages import Reply, Request, error
from bot.recently import SeenBefore
from bot.services import Services
from bot.workflows.protocol_review import with_review_note


def _strip_prefix(text: str) -> str:
    text = text.strip()
    for prefix in ("/board ", "/board", "@boardbot ", "boardbot "):
        if text.lower().startswith(prefix):
            return text[len(prefix):].strip()
    return text


# Commands by their first words; everything else is a question.
_COMMANDS = frozenset({"admin", "remind", "calendar", "help", "areas", "boards", "themes", "agenda", "minutes", "meeting", "greeting", "report_year"})
_QUESTION = re.compile(r"\?|^(?:how|what|who|whos|when|where|why|which|can|could|should|do|does|is|are|will)\b", re.I)
_LISTS = {
    ("protocol",): "protocol", ("the", "protocol"): "protocol", ("protocol", "detail"): "protocol",
    ("meeting",): "meetings", ("the", "meeting"): "meetings", ("recurring", "meeting"): "meetings",
    ("report",): "reports", ("reporting",): "reports", ("reporting", "calendar"): "reports", ("reporting", "arrangement"): "reports",
    ("information", "sharing"): "sharing", ("sharing",): "sharing",
    ("challenge", "route"): "route", ("escalation", "route"): "route", ("challenge", "ladder"): "route",
    ("escalation", "ladder"): "route", ("mutual", "challenge"): "route", ("the", "challenge", "route"): "route",
    ("challenge", "process"): "route", ("escalation", "process"): "route",
}

# Answers that depend only on the protocol index, the area, the words and who asks: the same
# message gets the same answer until a protocol is imported (which replaces the index, and so
# every key below). An answer is kept, and given again, where the message stands alone: outside
# any conversation, or inside one where it is no follow-up, no "more" and none of the options the
# conversation's last answer offered.
_PURE = frozenset({"themes", "boards", "board", "route", "meetings", "reports", "sharing", "areas", "help", "theme"})


@dataclass(frozen=True)
class _Kept:
    knowledge: object  # the index the answer came from (the key holds its id(), which could be reused)
    reply: Reply
    turn: Turn | None  # the conversation's turn after it
    alone: tuple[str, ...] | None  # the words, if understood the same in any conversation (a command's: none needed)

    def answers(self, turn: Turn | None) -> bool:
        return _alone_in(turn, self.alone)


def _alone_in(turn: Turn | None, alone: tuple[str, ...] | None) -> bool:
    """Whether words understood the same in any conversation (``alone``) mean that in ``turn`` too."""
    return turn is None or (alone is not None and turn.choose(alone) is None)


_CACHE: OrderedDict[tuple, _Kept] = OrderedDict()
_CACHE_SIZE = 4096
# An answer is kept from the second time its message is asked (see bot.recently): keeping every
# one only for the cache to drop it 4,096 questions later once cost a never-asked-before question
# 14% more CPU, and its p99 latency 1.7x.
_ASKED = SeenBefore(65_536)


async def handle(request: Request, services: Services) -> Reply:
    """Answer one message."""
    key = (id(services.knowledge), request.area, request.text.strip(), request.actor.roles_in(request.area), request.actor.is_admin_in(request.area))
    store = services.conversations
    turn = store.get(request.conversation)
    kept = _CACHE.get(key)
    if kept is not None and kept.knowledge is services.knowledge and kept.answers(turn):
        _CACHE.move_to_end(key)
        if kept.turn is not None:
            store.put(request.conversation, copy(kept.turn))  # each conversation's turn is its own
        return await with_review_note(kept.reply, services)
    reply, new_turn, pure, alone = await _answer(request, services, turn)
    if new_turn is not None:
        store.put(request.conversation, new_turn)
    if pure:
        if _alone_in(turn, alone) and _ASKED(key):  # worked out as it would have been outside any conversation
            _CACHE[key] = _Kept(services.knowledge, reply, copy(new_turn) if new_turn is not None else None, alone)
            if len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
    return await with_review_note(reply, services)  # an overdue protocol review is said wherever it is quoted


@action("ask")
async def ask_again(ctx: Context) -> Reply:
    """The "ask" button (More, a clarifying question's options): the question it carries,
    asked in the same conversation exactly as if it were typed — every such button shows
    its words, so it can be."""
    question = str(ctx.request.value.get("q", "")).strip()
    if not question:
        return error("That button has no question on it.", hint='Type your question, or "help".')
    return await handle(replace(ctx.request, text=question, action=None, value={}), ctx.services)


_LIST_OPENERS = frozenset(("show", "me", "list", "all", "the", "what", "which", "are", "give", "us"))
_LIST_TAILS = (("are", "there"), ("are", "due", "this", "year"), ("are", "due"), ("this", "year"), ("are", "held"),
               ("do", "you", "know"), ("are", "in", "the", "protocol"), ("in", "the", "protocol"))


def _list_words(t: tuple[str, ...]) -> tuple[str, ...]:
    """The list a message asks for, without the asking: "show me the reporting calendar", "what
    meetings are there" -> ("reporting", "calendar"), ("meeting",)."""
    i = 0
    while i < len(t) - 1 and t[i] in _LIST_OPENERS:
        i += 1
    words = t[i:]
    for tail in _LIST_TAILS_ENDING.get(words[-1], ()) if words else ():
        if len(words) > len(tail) and words[-len(tail):] == tail:
            words = words[: -len(tail)]
            break
    return words


# the tails by their last word, in the order they are tried: asked of every question, most of
# which end in none of them
_LIST_TAILS_ENDING: dict[str, tuple[tuple[str, ...], ...]] = {}
for _tail in _LIST_TAILS:
    _LIST_TAILS_ENDING[_tail[-1]] = (*_LIST_TAILS_ENDING.get(_tail[-1], ()), _tail)


def _command_intent(text: str, t: tuple[str, ...]) -> str | None:
    """The command a message is, by its first words; None for a question in plain words."""
    if not t:
        return "help"
    if is_step(text):  # a button's step, typed ("agree more time C3", "agenda accept A2", "remind done 12")
        return "step"
    if t in (("inbox",), ("my", "inbox"), ("show", "my", "inbox"), ("notice",), ("my", "notice")):
        return "inbox"
    if t[0] in ("risk", "risks") and is_risk_command(text):
        return "risk"
    listed = _LISTS.get(t) or _LISTS.get(_list_words(t))
    if listed:
        return listed
    first = t[0]
    if first == "challenge" or first == "challenges":
        return None if _QUESTION.search(text) else "challenge"
    if first in ("board",) and len(t) > 1 and not _QUESTION.search(text):
        return "board"
    if first == "theme" and len(t) > 1:
        return "theme"
    parsed = parse(" ".join(t), among=_COMMANDS)
    if parsed.intent in _COMMANDS and not (parsed.intent in ("meeting", "agenda") and _QUESTION.search(text)):
        if parsed.intent == "help" and first not in ("help", "command", "usage") and len(t) > 6:
            return None
        return parsed.intent
    return None


async def _answer(request: Request, services: Services, turn: Turn | None) -> tuple[Reply, Turn | None, bool, tuple[str, ...] | None]:
    """The reply, the conversation's new turn, whether the reply may be kept for the same message
    again, and the message's words if it stands alone (see :class:`_Kept`)."""
    knowledge = services.knowledge
    text = _strip_prefix(request.text)
    t = tokens(text)
    # "boards in Suffolk" is the boards list for Suffolk: the place named is not part of the command
    hit = knowledge.area_in(t) if t else None
    bare = strip_span(t, hit[1], hit[2]) if hit else t
    name = _command_intent(text, bare or t)
    if name is not None:
        reply, pure = await _run_command(request, services, text, t, name)
        return reply, None, pure, ()  # a command is read before any conversation is
    u = understand(text, knowledge, area_slug=request.area, turn=turn, roles=request.actor.roles_in(request.area))
    if u.more and turn is not None and turn.more:
        more = Request(**{**request.__dict__, "text": turn.more})
        reply, pure = await _run_command(more, services, turn.more, tokens(turn.more), _command_intent(turn.more, tokens(turn.more)) or "")
        if not reply.data.get("kind"):
            reply = _with_kind(reply, turn.kind)
        return reply, turn, False, None
    if u.choice:
        chosen = Request(**{**request.__dict__, "text": u.choice})
        reply, new_turn, _pure, _alone = await _answer(chosen, services, None)
        return reply, new_turn, False, None  # an option of this conversation's last answer: these words mean it only here
    area = knowledge.areas.get(u.area) if u.area else None
    if area is None and len(knowledge.areas) == 1:
        area = next(iter(knowledge.areas.values()))
    command = _command(FALLBACK)
    if area is None and u.place is None:
        names = ", ".join(knowledge.area_names()) or "none loaded"
        if u.area:
            return error(f"I don't know the area {u.area!r}.", hint=f"Areas: {names}."), None, False, None
        return error("Which area is this about?",
                     hint=f'Name it in the question ("who leads on CSE in {_an_area(knowledge)}?"). Areas: {names}.'), None, False, None
    ctx = Context(request=request, services=services, area=area, phrase=" ".join(u.tokens), area_named=u.area_named,
                  understanding=u)
    reply = await command.handler(ctx)
    pure = not u.followup and not u.ours and u.kind != "challenge" and u.kind != "protocol"
    return reply, ctx.turn, pure, u.words if stands_alone(u) else None


def _command(name: str) -> Command:
    """The command ``name``, its module loaded now if need be; help for a name no command has."""
    found = load(name) or load("help")
    if found is None:
        raise LookupError("boardbot has no help command")
    return found


def _an_area(knowledge) -> str:
    """A loaded area's name for an example ("... in Lancashire?"), never one that is not loaded."""
    return next(iter(knowledge.areas.values())).name if knowledge.areas else "<area>"


def _with_kind(reply: Reply, kind: str) -> Reply:
    return replace(reply, data={**reply.data, "kind": kind})


async def _run_command(request: Request, services: Services, text: str, t: tuple[str, ...], name: str) -> tuple[Reply, bool]:
    knowledge = services.knowledge
    area_slug = request.area
    named = False
    hit = knowledge.area_in(t) if t else None
    if hit:
        slug, start, end = hit
        rest = strip_span(t, start, end)
        # "suffolk" alone is a request to switch area, not an empty question
        if rest or not area_slug:
            area_slug, t, named = slug, rest, True
    parsed = parse(" ".join(t)) if t else parse("help")
    args = dict(parsed.args)
    if name == "board":
        args = {"board": " ".join(t[1:])}
    elif name == "theme":
        args = {"theme": " ".join(t[1:])}
    command = _command(name)
    area = knowledge.areas.get(area_slug) if area_slug else None
    if area is None and len(knowledge.areas) == 1:
        area = next(iter(knowledge.areas.values()))
    if command.needs_area and area is None:
        names = ", ".join(knowledge.area_names()) or "none loaded"
        if area_slug:
            return error(f"I don't know the area {area_slug!r}.", hint=f"Areas: {names}."), False
        return error("Which area is this about?",
                     hint=f'Name it in the question ("who leads on CSE in {_an_area(knowledge)}?"). Areas: {names}.'), False
    ctx = Context(request=request, services=services, area=area, args=args, phrase=parsed.phrase, area_named=named)
    reply = await command.handler(ctx)
    kind = {"route": "challenge", "meetings": "meeting", "reports": "report", "sharing": "sharing", "protocol": "protocol",
            "board": "other", "theme": "lead", "themes": "lead", "boards": "other"}.get(name)
    if kind and "kind" not in reply.data:
        reply = _with_kind(reply, kind)
    return reply, name in _PURE
