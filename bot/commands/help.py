"""Help, written from the commands' own docstrings so it cannot drift from what they do."""

from __future__ import annotations

from bot.commands.examples import localise
from bot.commands.registry import REGISTRY, command, listed
from bot.context import Context
from bot.language.intents import FALLBACK
from bot.messages import Reply, Section

_QUESTION_TOPICS = frozenset("lead leads chair chairs members membership meeting meetings report reports sharing ask "
                             "question questions lookup lookups".split())


# The order help lists its sections in: a new section not named here comes last.
SECTION_ORDER: tuple[str, ...] = ("Lookups", "Mutual challenge", "Agenda requests", "Reminders", "Steps",
                                  "Risk log", "Administration", "Help")


@command("help", needs_area=False, section="Help")
async def help_(ctx: Context) -> Reply:
    """What you can ask, with examples. "help <command>" gives one command's detail.

    Examples:
      help
      help lead
    """
    commands = listed()  # every command module loaded, in a fixed order
    topic = ctx.args.get("topic", "").strip()
    if topic:
        word = topic.split()[0]
        # questions in plain words are one command (the understood question), whatever they ask
        cmd = REGISTRY.get(word) or (REGISTRY.get(FALLBACK) if word in _QUESTION_TOPICS else None)
        if cmd and (not cmd.hidden or cmd.name == FALLBACK):
            text = localise(cmd.help, ctx.area, ctx.knowledge)
            return Reply(text=text, title=f"help {cmd.name}", data={"intent": "help", "topic": cmd.name, "text": text})
    by_section: dict[str, list] = {}
    for cmd in commands:
        if not cmd.hidden and cmd.name != "help":
            by_section.setdefault(cmd.section, []).append(cmd)
    # what anyone asks first, then the chairs' and business managers' work, then the admins'
    rank = {name: i for i, name in enumerate(SECTION_ORDER)}
    by_section = dict(sorted(by_section.items(), key=lambda kv: rank.get(kv[0], len(rank))))
    lines = ["Ask in plain words. In Slack: /board <question>; in Teams: message or @mention boardbot."]
    sections = []
    for section, cmds in by_section.items():
        lines.append(f"\n{section}:")
        body = []
        for c in cmds:
            example = localise(c.examples[0], ctx.area, ctx.knowledge) if c.examples else c.name
            lines.append(f"• {c.summary}\n    e.g. \u201c{example}\u201d")
            body.append(f"• {c.summary}\n    _e.g._ `{example}`")
        sections.append(Section("\n".join(body), heading=section))
    lines.append('\nAdd "in <area>" to ask about another area. "help <command>" for more, e.g. "help lead".')
    text = "\n".join(lines)
    return Reply(text=text, title="boardbot help", sections=tuple(sections),
                 data={"intent": "help", "commands": [c.name for c in commands if not c.hidden], "text": text})
