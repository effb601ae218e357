"""From a message to a reply: find the area, classify the message, run its command.

Every platform calls :func:`handle` with a neutral :class:`~bot.messages.Request`. The
area is the one the question names ("... in Suffolk?"), else the one the request came
from (the workspace's area, ``--area``), else the only area there is.
"""

from __future__ import annotations

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


async def handle(request: Request, services: Services) -> Reply:
    """Answer one message."""
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
            return error(f"I don't know the area {area_slug!r}.", hint=f"Areas: {names}.")
        return error(
            "Which area is this about?",
            hint=f'Name it in the question ("who leads on CSE in Suffolk?"). Areas: {names}.',
        )
    ctx = Context(request=request, services=services, area=area, args=parsed.args, phrase=parsed.phrase, area_named=named)
    return await command.handler(ctx)
