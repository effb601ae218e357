"""Small talk: a friendly short answer to "hi", "thanks!", "cheers", "ok", with something to try."""

from __future__ import annotations

from bot.commands.registry import command
from bot.context import Context
from bot.knowledge import AreaKnowledge
from bot.messages import Reply


def _examples(area: AreaKnowledge | None) -> list[str]:
    """Three things worth typing here, from the area's own protocol where there is one."""
    if area is None:
        return ["who leads on CSE in <area>?", "areas", "help"]
    out = []
    # the shortest way to name a theme the protocol gives a lead for: an abbreviation if it has one
    names = [a for t in area.protocol.themes if t.leads for a in (t.name, *t.aliases) if len(a) >= 2]
    if names:
        short = min(names, key=lambda a: (not a.isupper(), len(a)))
        out.append(f"who leads on {short if short.isupper() else short.lower()}?")
    parties = [b for b in area.protocol.boards if b.party]
    if parties:
        out.append(f"who chairs the {parties[0].short_name}?")
    out.append("help")
    return out


@command("greeting", section="Help", needs_area=False, hidden=True)
async def greeting(ctx: Context) -> Reply:
    """Hello, thanks and goodbye: a short friendly answer and what to try next."""
    kind = ctx.args.get("kind", "hello")
    area = ctx.area
    tries = ", ".join(f"\u201c{e}\u201d" for e in _examples(area))
    where = f" about {area.name}'s partnership boards" if area else ""
    text = {
        "hello": f"Hello! Ask me anything{where}, e.g. {tries}.",
        "thanks": f"You're welcome. Anything else? e.g. {tries}.",
        "ok": f"Anything else? e.g. {tries}.",
        "bye": "Bye for now. Ask me again any time.",
    }.get(kind, f"Hello! Try {tries}.")
    return Reply(text=text, data={"intent": "greeting", "kind": kind, "text": text})


def welcome(area: AreaKnowledge | None) -> Reply:
    """The first message someone sees in their direct messages with boardbot (Slack's Messages tab)."""
    tries = "\n".join(f"\u2022 {e}" for e in _examples(area))
    where = f"{area.name}'s" if area else "your area's"
    text = (f"Hello, I'm boardbot. I answer questions about {where} partnership boards' joint protocol, from its own "
            f"clauses, and help chairs and business managers with challenges, agenda requests and reminders.\n"
            f"Type a question here, or /board in any channel. Try:\n{tries}")
    return Reply(text=text, title="Welcome to boardbot", data={"intent": "welcome", "text": text})
