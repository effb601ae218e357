"""From a message to a reply: find the area, classify the message, run its command.

Every platform calls :func:`handle` with a neutral :class:`~bot.messages.Request`. The
area is the one the question names ("... in Suffolk?"), else the one the request came
from (the workspace's area, ``--area``), else the only area there is.
"""

from __future__ import annotations

from collections import OrderedDict

from bot.commands import REGISTRY, Context, load_all
from bot.knowledge import strip_span
from bot.language.intents import FALLBACK, parse
from bot.language.normalise import tokens
from bot.messages import Reply, Request, error
from bot.services import Services


def _strip_prefix(text: str) -> str:
    text = text.strip()
    for prefix in ("/board ", "/board", "@boardbot ", "boardbot "):
        if text.lower().startswith(prefix):
            return text[len(prefix):].strip()
    return text


# Lookups are pure functions of the protocol index, the area and the words asked: the same
# question gets the same answer until a protocol is imported (which replaces the index, and
# so every key below). Anything that reads the database or depends on who asks is not here.
_PURE = frozenset({"lead", "themes", "boards", "board", "chair", "manager", "members", "both", "seats", "route",
                   "meetings", "reports", "sharing", "areas", "help", "guess"})
_CACHE: OrderedDict[tuple, tuple[object, Reply]] = OrderedDict()
_CACHE_SIZE = 4096


async def handle(request: Request, services: Services) -> Reply:
    """Answer one message."""
    key = (id(services.knowledge), request.area, request.text.strip())
    cached = _CACHE.get(key)
    if cached is not None and cached[0] is services.knowledge:  # id() alone could be reused
        _CACHE.move_to_end(key)
        return cached[1]
    reply, intent = await _answer(request, services)
    if intent in _PURE:
        _CACHE[key] = (services.knowledge, reply)
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return reply


async def _answer(request: Request, services: Services) -> tuple[Reply, str]:
    load_all()
    knowledge = services.knowledge
    text = _strip_prefix(request.text)
    t = tokens(text)
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
    command = REGISTRY.get(parsed.intent) or REGISTRY[FALLBACK]
    area = knowledge.areas.get(area_slug) if area_slug else None
    if area is None and len(knowledge.areas) == 1:
        area = next(iter(knowledge.areas.values()))
    if command.needs_area and area is None:
        names = ", ".join(knowledge.area_names()) or "none loaded"
        if area_slug:
            return error(f"I don't know the area {area_slug!r}.", hint=f"Areas: {names}."), "error"
        return error(
            "Which area is this about?",
            hint=f'Name it in the question ("who leads on CSE in Suffolk?"). Areas: {names}.',
        ), "error"
    ctx = Context(request=request, services=services, area=area, args=parsed.args, phrase=parsed.phrase, area_named=named)
    return await command.handler(ctx), command.name
