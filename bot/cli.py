"""The ``boardbot`` command.

    boardbot chat [--area AREA] [--as WHO]       talk to the bot in the terminal
    boardbot ask [--area AREA] [--json] QUESTION  answer one question and exit
    boardbot protocol validate FILE...           check protocol files; nothing is stored
    boardbot protocol import FILE...             load or update areas (all or nothing)
    boardbot protocol list                       the loaded areas and their revisions

Heavy imports (the platform SDKs, the web server) happen inside the commands that need
them, so ``ask`` starts quickly.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.config import ConfigError, Settings, from_env, load_dotenv_file


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="boardbot",
        description="boardbot: the partnership boards' joint protocols in Slack, Teams and the terminal.",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def who(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--area", help="area slug or name: central-bedfordshire, suffolk, buckinghamshire, lancashire")
        sp.add_argument("--as", dest="as_", metavar="WHO",
                        help='speak as a person or post, e.g. "chair of BSCB", "business manager of BSAB", "DCS", "admin"')

    chat = sub.add_parser("chat", help="talk to boardbot in the terminal")
    who(chat)

    ask = sub.add_parser("ask", help="answer one question and exit")
    who(ask)
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("question", nargs="+", help='e.g. "who leads on CSE?"')

    proto = sub.add_parser("protocol", help="validate, import and list area protocols")
    psub = proto.add_subparsers(dest="protocol_command", metavar="ACTION", required=True)
    v = psub.add_parser("validate", help="check protocol files (nothing is stored)")
    v.add_argument("files", nargs="+")
    i = psub.add_parser("import", help="import protocol files: all are stored, or none")
    i.add_argument("files", nargs="+")
    i.add_argument("--by", default=None, help="who is importing (recorded in the history)")
    psub.add_parser("list", help="the loaded areas and their protocol revisions")

    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return 2
    load_dotenv_file()
    try:
        settings = from_env()
    except ConfigError as exc:
        print(f"boardbot: configuration error: {exc}", file=sys.stderr)
        return 2
    if args.command == "protocol" and args.protocol_command == "validate":
        return _validate(args.files)
    runner = {"chat": _chat, "ask": _ask, "protocol": _protocol}[args.command]
    try:
        return asyncio.run(runner(args, settings))
    except KeyboardInterrupt:
        return 130


async def _open(settings: Settings):
    from bot.bootstrap import open_services

    return await open_services(settings)


def _actor_and_area(services, args, settings: Settings):
    from bot.identity import UnknownIdentity, roles_for
    from bot.messages import Actor

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
    actor = Actor(platform="console", workspace="console", user_id=f"console:{name}", display_name=name,
                  roles=roles - {"admin"}, is_admin="admin" in roles)
    return actor, area


async def _ask(args, settings: Settings) -> int:
    from bot.platforms.console import as_json, ask, render

    services = await _open(settings)
    try:
        actor, area = _actor_and_area(services, args, settings)
        reply = await ask(services, actor, area, " ".join(args.question))
        print(as_json(reply) if args.json else render(reply))
        return 0 if reply.ok else 1
    finally:
        await services.close()


async def _chat(args, settings: Settings) -> int:
    from bot.identity import describe_roles
    from bot.platforms.console import chat

    services = await _open(settings)
    try:
        actor, area = _actor_and_area(services, args, settings)
        k = services.knowledge
        where = k.area(area).name if area else "no area chosen (name one in your question, or type: area suffolk)"
        me = describe_roles(k.area(area), actor.roles) if area else "member"
        if actor.is_admin:
            me = "admin" + (f", {me}" if actor.roles else "")
        banner = (
            f"boardbot — {where}\n"
            f"Speaking as: {actor.display_name} ({me}). Database: {services.store.describe()}\n"
            'Ask e.g. "who leads on CSE?", "boards", "help". "area <name>" switches area; "quit" leaves.'
        )
        await chat(services, actor, area, banner=banner)
        return 0
    finally:
        await services.close()


def _validate(files: list[str]) -> int:
    from storage.protocol.loader import ProtocolFileError, load_protocol_file

    status = 0
    for f in files:
        try:
            loaded = load_protocol_file(f)
        except ProtocolFileError as exc:
            print(exc, file=sys.stderr)
            status = 1
            continue
        p = loaded.protocol
        print(f"{f}: valid — {p.area.name} ({p.area.slug}): {len(p.boards)} boards, {len(p.themes)} themes, "
              f"{len(p.challenge.ladder) or 'default'} challenge rungs, {len(p.meetings)} meetings, {len(p.reports)} reports")
    return status


async def _protocol(args, settings: Settings) -> int:
    from storage.protocol.loader import ProtocolFileError, load_protocol_file
    from storage.protocols import import_protocol, revisions
    from storage.store import Store

    store = await Store.open(settings.database_url)
    try:
        if args.protocol_command == "list":
            for p in await store.protocols():
                async with store.session() as s:
                    revs = await revisions(s, p.area.slug)
                cur = next(r for r in revs if r.is_current)
                print(f"{p.area.slug}: {p.area.name} — revision {cur.revision} of {len(revs)} "
                      f"({cur.origin}: {cur.source_name}, {cur.imported_at:%Y-%m-%d %H:%M} UTC)")
            return 0
        # validate every file before storing any: the import is all or nothing
        loaded, problems = [], []
        for f in args.files:
            try:
                loaded.append(load_protocol_file(f))
            except ProtocolFileError as exc:
                problems.extend(exc.problems)
        slugs = [lp.protocol.area.slug for lp in loaded]
        dupes = {s for s in slugs if slugs.count(s) > 1}
        if dupes:
            print(f"boardbot: two files define the same area: {', '.join(sorted(dupes))}; nothing was imported", file=sys.stderr)
            return 1
        if problems:
            for pr in problems:
                print(pr, file=sys.stderr)
            print("boardbot: nothing was imported; fix the problems above and import again.", file=sys.stderr)
            return 1
        async with store.session() as s, s.begin():
            results = [await import_protocol(s, lp, origin="import", imported_by=args.by) for lp in loaded]
        for r in results:
            print(r.describe())
        return 0
    finally:
        await store.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
