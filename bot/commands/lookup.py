"""Who leads on a theme, and what themes an area's protocol names: the ``themes`` and ``theme`` commands."""

from __future__ import annotations

from bot.commands.registry import command
from bot.commands.theme_replies import find_theme, lead_reply, unknown_theme_reply
from bot.context import Context
from bot.messages import Reply, Section


@command("themes")
async def themes(ctx: Context) -> Reply:
    """The themes the area's protocol names, and who leads on each.

    Examples:
      themes
      themes in {other_area}
    """
    area = ctx.here
    rows = []
    for t in area.protocol.themes:
        if t.leads:
            who = " + ".join(area.boards[k].short_name for k in t.leads)
            who = f"{who} (joint)" if len(t.leads) > 1 else who
        else:
            who = "no single lead"
        rows.append((t.name, who))
    text = f"Themes in {area.name}'s protocol ({len(rows)}):\n" + "\n".join(f"• {n} — {w}" for n, w in rows)
    if not area.transcribed("themes"):
        text += "\n" + area.not_entered("themes") + " This list may be incomplete."
    text += '\nAsk "who leads on <theme>?" for the detail and the clause.'
    return Reply(
        text=text,
        title=f"Themes — {area.name}",
        sections=(Section("\n".join(f"• *{n}* — {w}" for n, w in rows)),),
        data={"intent": "themes", "area": area.slug, "themes": [{"theme": n, "lead": w} for n, w in rows], "text": text},
    )


@command("theme", hidden=True)
async def theme_full(ctx: Context) -> Reply:
    """A theme's full entry: lead(s), supporting boards and their roles, notes, clauses.

    Examples:
      theme CSE
    """
    phrase = ctx.args.get("theme", "").strip()
    key, found = find_theme(ctx, phrase)
    if key is None:
        return unknown_theme_reply(ctx, phrase, found.suggestions)
    return lead_reply(ctx, key)
