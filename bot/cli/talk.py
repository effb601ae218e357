"""``boardbot ask`` and ``boardbot chat``: the bot in the terminal, one question or a conversation."""

from __future__ import annotations

import json
import sys

from bot.bootstrap import open_services
from bot.config import Settings
from bot.messages import Actor
from bot.platforms.console import terminal


def actor_and_area(services, args, settings: Settings):
    """(who is speaking, the area asked about) from ``--as`` and ``--area`` (or the default area)."""
    from bot.identity import UnknownIdentity, roles_for

    area = None
    if args.area:
        area = services.knowledge.resolve_area(args.area)
        if area is None:
            raise SystemExit(f"boardbot: unknown area {args.area!r}. Areas: {'; '.join(services.knowledge.area_names())}")
    elif settings.default_area:
        area = services.knowledge.resolve_area(settings.default_area)
    roles: frozenset[str] = frozenset()
    name = "you"
    if args.as_:
        if area is None:
            raise SystemExit("boardbot: --as needs --area (who you are depends on the area's directory)")
        try:
            roles = roles_for(services.knowledge.area(area), args.as_)
        except UnknownIdentity as exc:
            raise SystemExit(f"boardbot: {exc}") from None
        name = args.as_
    # the terminal's operator: the --as roles apply to whichever area is asked about
    actor = Actor.holding("console", "console", f"console:{name}", name, roles=roles - {"admin"}, admin="admin" in roles)
    return actor, area


async def ask(args, settings: Settings) -> int:
    services = await open_services(settings, to_read=True)  # one question: SQLAlchemy only if it needs more than the protocols
    try:
        try:
            actor, area = actor_and_area(services, args, settings)
        except SystemExit as exc:
            if not args.json:
                raise
            # a script reading --json gets JSON whatever went wrong, with the areas it may name
            message = str(exc.code).removeprefix("boardbot: ")
            print(json.dumps({"ok": False, "error": message, "text": message,
                              "areas": [{"slug": a.slug, "name": a.name} for a in
                                        sorted(services.knowledge.areas.values(), key=lambda a: a.name)]},
                             ensure_ascii=False, indent=2))
            print(exc.code, file=sys.stderr)
            return 2
        reply = await terminal.ask(services, actor, area, " ".join(args.question))
        print(terminal.as_json(reply) if args.json else terminal.render(reply))
        return 0 if reply.ok else 1
    finally:
        await services.close()


async def chat(args, settings: Settings) -> int:
    from bot.identity import describe_roles

    services = await open_services(settings)
    try:
        actor, area = actor_and_area(services, args, settings)
        k = services.knowledge
        where = k.area(area).name if area else "no area chosen (name one in your question, or type: area suffolk)"
        me = describe_roles(k.area(area), actor.roles_in(area)) if area else "member"
        if actor.is_admin_in(area):
            me = "admin" + (f", {me}" if actor.roles_in(area) else "")
        banner = (
            f"boardbot — {where}\n"
            f"Speaking as: {actor.display_name} ({me}). Database: {services.store.describe()}\n"
            'Ask e.g. "who leads on CSE?", "boards", "help". "area <name>" switches area; "quit" leaves.'
        )
        await terminal.chat(services, actor, area, banner=banner)
        return 0
    finally:
        await services.close()
