"""The ``boardbot`` command.

    boardbot chat [--area AREA] [--as WHO]       talk to the bot in the terminal
    boardbot ask [--area AREA] [--json] QUESTION  answer one question and exit
    boardbot protocol validate FILE...           check protocol files; nothing is stored
    boardbot protocol import FILE...             load or update areas (all or nothing)
    boardbot protocol list                       the loaded areas and their revisions
    boardbot protocol reference [--out FILE]     the field reference of the protocol file (Markdown)
    boardbot protocol upgrade FILE...            rewrite files of an earlier format version to the current one
    boardbot protocol draft SOURCE --out FILE    draft a protocol file from the protocol document
    boardbot protocol review FILE --source SOURCE   review a draft beside its document, in the browser
    boardbot serve                               Slack + Teams + health + calendar on HOST:PORT
    boardbot status [--json]                     database, platforms, channels, outbox, protocols
    boardbot report year --area A --board B START END [--out FILE]   a board's year, as Markdown and Word
    boardbot admin grant|link-workspace|link-channel|link-user|directory
    boardbot calendar export --area AREA [--out FILE]   the area's protocol calendar (.ics)

Heavy imports (the platform SDKs, the web server) happen inside the commands that need
them, so ``ask`` starts quickly.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import ConfigError, Settings, from_env, load_dotenv_file
from bot.platforms.registry import workspace_platforms


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="boardbot",
        description="boardbot: the partnership boards' joint protocols in Slack, Teams and the terminal.",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def who(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--area", help="the area's short name or name (\"boardbot ask areas\" lists the loaded areas)")
        sp.add_argument("--as", dest="as_", metavar="WHO",
                        help='speak as a person or post of the area, e.g. "chair of <board>", "co-chair of <board>", '
                             '"business manager of <board>", a post the protocol names, "director" or "admin"')

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
    ref = psub.add_parser("reference", help="the field reference of the protocol file, written from the schema")
    ref.add_argument("--out", default=None, help="write it to this file (default: print it)")
    up = psub.add_parser("upgrade", help="rewrite protocol files of an earlier format version to the current one")
    up.add_argument("files", nargs="+")
    from drafting.command import add_commands

    add_commands(psub)

    sub.add_parser("serve", help="run the Slack / Teams server (HOST, PORT; default 0.0.0.0:3000)")

    st = sub.add_parser("status", help="the database, platforms, linked channels, outbox and protocols of this installation")
    st.add_argument("--json", action="store_true", help="print one JSON object")

    rep = sub.add_parser("report", help="draft a board's partnership-working section of its annual report")
    rsub = rep.add_subparsers(dest="report_command", metavar="ACTION", required=True)
    ry = rsub.add_parser("year", help="the challenges, agenda items, reports and reminders of a board's year, "
                                      "as Markdown and Word with a chart")
    ry.add_argument("--area", required=True)
    ry.add_argument("--board", required=True, help="the board's short name or key (as the area's boards list shows it)")
    ry.add_argument("start", help="first day, YYYY-MM-DD (e.g. 2025-04-01)")
    ry.add_argument("end", help="last day, YYYY-MM-DD (e.g. 2026-03-31)")
    ry.add_argument("--out", default=None,
                    help="where to write: FILE.docx, FILE.md or FILE (both are written, with FILE.png); "
                         "default: partnership-working-<area>-<board>-<start>-<end> here")

    cal = sub.add_parser("calendar", help="the protocols' calendar as iCalendar")
    csub = cal.add_subparsers(dest="calendar_command", metavar="ACTION", required=True)
    ce = csub.add_parser("export", help="write an area's public protocol calendar (.ics)")
    ce.add_argument("--area", required=True)
    ce.add_argument("--out", default="-", help="file to write (default: standard output)")

    adm = sub.add_parser("admin", help="link workspaces, channels and people to an area (server side)")
    asub = adm.add_subparsers(dest="admin_command", metavar="ACTION", required=True)
    g = asub.add_parser("grant", help="make a platform user an administrator of an area (of that area only)")
    g.add_argument("--area", required=True)
    g.add_argument("--platform", choices=workspace_platforms(), required=True)
    g.add_argument("--workspace", required=True, help="Slack team id (T...) or Teams tenant id")
    g.add_argument("--user", required=True, help="Slack user id (U...) or Teams AAD object id / user id")
    g.add_argument("--name", default=None)
    w = asub.add_parser("link-workspace", help="answer for an area in a Slack workspace or Teams tenant (also moves one "
                                               "linked to another area: only the server may)")
    w.add_argument("--area", required=True)
    w.add_argument("--platform", choices=workspace_platforms(), required=True)
    w.add_argument("--workspace", required=True)
    c = asub.add_parser("link-channel", help="link a channel to a board, or to the directors' or admins' purpose")
    c.add_argument("--area", required=True)
    c.add_argument("--platform", choices=workspace_platforms(), required=True)
    c.add_argument("--workspace", required=True)
    c.add_argument("--channel", required=True)
    c.add_argument("--board", help="board short name or key; omit with --purpose directors|admins")
    c.add_argument("--purpose", choices=["board", "directors", "admins"], default="board")
    u = asub.add_parser("link-user", help="give a platform user a role, e.g. \"chair of <board>\"")
    u.add_argument("--area", required=True)
    u.add_argument("--platform", choices=workspace_platforms(), required=True)
    u.add_argument("--workspace", required=True)
    u.add_argument("--user", required=True)
    u.add_argument("--name", default=None)
    u.add_argument("role", nargs="+")
    d = asub.add_parser("directory", help="people, roles and channels of an area")
    d.add_argument("--area", required=True)

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
    if args.command == "protocol" and args.protocol_command == "reference":
        return _reference(args.out)
    if args.command == "protocol" and args.protocol_command == "upgrade":
        return _upgrade(args.files)
    if args.command == "protocol" and args.protocol_command in ("draft", "review"):
        from drafting.command import run_draft, run_review

        return (run_draft if args.protocol_command == "draft" else run_review)(args)
    runner = {"chat": _chat, "ask": _ask, "protocol": _protocol, "serve": _serve, "admin": _admin,
              "calendar": _calendar, "status": _status, "report": _report}[args.command]
    try:
        status = asyncio.run(runner(args, settings))
        sys.stdout.flush()
        return status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_went_away()


def _reader_went_away() -> int:
    """``boardbot ask … | head``: the reader closed the pipe. Stop quietly, as other tools do.

    What is still buffered can never be written, so standard output is pointed at
    /dev/null; otherwise Python's own flush at exit reports the broken pipe again.
    """
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 141  # 128 + SIGPIPE, what a shell reports for a reader that went away


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
    # the terminal's operator: the --as roles apply to whichever area is asked about
    actor = Actor.holding("console", "console", f"console:{name}", name, roles=roles - {"admin"}, admin="admin" in roles)
    return actor, area


async def _ask(args, settings: Settings) -> int:
    from bot.platforms.console.terminal import as_json, ask, render

    services = await _open(settings)
    try:
        try:
            actor, area = _actor_and_area(services, args, settings)
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
        reply = await ask(services, actor, area, " ".join(args.question))
        print(as_json(reply) if args.json else render(reply))
        return 0 if reply.ok else 1
    finally:
        await services.close()


async def _chat(args, settings: Settings) -> int:
    from bot.identity import describe_roles
    from bot.platforms.console.terminal import chat

    services = await _open(settings)
    try:
        actor, area = _actor_and_area(services, args, settings)
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
        await chat(services, actor, area, banner=banner)
        return 0
    finally:
        await services.close()


def _reference(out: str | None) -> int:
    """Print or write docs/protocol-reference.md's text (nothing is stored, no database is opened)."""
    from storage.protocol.reference import render

    text = render()
    if out is None:
        sys.stdout.write(text)
        return 0
    Path(out).write_text(text, encoding="utf-8")
    print(f"boardbot: wrote the protocol file reference to {out}")
    return 0


def _upgrade(files: list[str]) -> int:
    """Rewrite each file to the current format (comments kept); a file that would not then be valid is left alone."""
    from storage.protocol.loader import ProtocolFileError, parse_protocol
    from storage.protocol.upgrade import upgrade_text

    status = 0
    for f in files:
        try:
            text = Path(f).read_text(encoding="utf-8")
            new, changes = upgrade_text(text)
            parse_protocol(new, f)
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{f}: cannot read it ({exc})", file=sys.stderr)
            status = 1
            continue
        except ProtocolFileError as exc:
            print(exc, file=sys.stderr)
            print(f"{f}: not upgraded: fix the problems above first", file=sys.stderr)
            status = 1
            continue
        except Exception as exc:  # not YAML at all
            print(f"{f}: not upgraded: not valid YAML ({exc})", file=sys.stderr)
            status = 1
            continue
        if not changes:
            print(f"{f}: already the current format; nothing changed")
            continue
        Path(f).write_text(new, encoding="utf-8")
        print(f"{f}: upgraded")
        for c in changes:
            print(f"  {c}")
    return status


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
        n = loaded.pending_review
        print(f"{f}: {n} fact{'s' if n != 1 else ''} still pending review" if n else f"{f}: no facts pending review")
        if loaded.not_transcribed:
            print(f"{f}: not yet transcribed: {', '.join(loaded.not_transcribed)}")
    return status


async def _protocol(args, settings: Settings) -> int:
    from storage.protocol.loader import ProtocolFileError, load_protocol_file
    from storage.revisions import import_protocol, revisions
    from storage.store import Store

    store = await Store.open(settings.database_url)
    try:
        _say_database(store)
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
        for lp in loaded:
            for warning in lp.warnings():
                print(f"boardbot: warning: {warning}", file=sys.stderr)
        return 0
    finally:
        await store.close()


async def _serve(args, settings: Settings) -> int:
    import logging

    from aiohttp import web

    from bot.web import build_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # migrations say what they did only if asked
    services = await _open(settings)
    app = build_app(services, settings)
    import gc

    # what is loaded now (SDKs, the protocol index) lives as long as the server: keep it out of
    # the collector's full passes, which otherwise stall every request in flight for ~100 ms
    gc.collect()
    gc.freeze()
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    try:
        await site.start()
    except OSError as exc:
        print(f"boardbot: cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}", file=sys.stderr)
        await runner.cleanup()
        await services.close()
        return 1
    print(f"boardbot serving on http://{settings.host}:{settings.port} — database {services.store.describe()}")
    print("endpoints, and how each is protected:")
    for route, how in services.endpoints:
        print(f"  {route:<36} {how}")
    sys.stdout.flush()  # a supervisor reading a pipe sees this at once
    import asyncio as _asyncio
    import signal

    stop = _asyncio.Event()
    loop = _asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    print("boardbot: stopping")
    await runner.cleanup()
    await services.close()
    return 0


async def _area_named(store, name: str):
    """(the protocol index, the area ``name`` names) from the database, or None having said which areas there are."""
    from bot.knowledge import Knowledge

    knowledge = Knowledge(await store.protocols())
    slug = knowledge.resolve_area(name)
    if slug is None:
        print(f"boardbot: unknown area {name!r}. Areas: {'; '.join(knowledge.area_names())}", file=sys.stderr)
        return None
    return knowledge, knowledge.area(slug)


def _say_database(store) -> None:
    """Admin and protocol commands say which database they read and write (password hidden):
    a server and a terminal pointed at different databases is a mistake worth seeing at once."""
    from storage.db import redact

    print(f"Database: {redact(store.url)} ({store.dialect})")


async def _status(args, settings: Settings) -> int:
    import datetime as dt

    from bot import status
    from bot.knowledge import Knowledge
    from storage.store import Store

    store = await Store.open(settings.database_url)
    try:
        now = dt.datetime.now(dt.UTC)
        report = await status.collect(store, Knowledge(await store.protocols()), settings, now)
        if args.json:
            data = {**report, "areas": [a.as_json() for a in report["areas"]]}
            print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        else:
            print("\n".join(status.lines(report, now)))
        return 0 if report["database"]["reachable"] else 1
    finally:
        await store.close()


async def _report(args, settings: Settings) -> int:
    import datetime as dt
    from pathlib import Path

    from bot.reports import render
    from bot.reports.year import gather
    from storage.store import Store

    try:
        start, end = dt.date.fromisoformat(args.start), dt.date.fromisoformat(args.end)
    except ValueError:
        print("boardbot: give the period as two dates, YYYY-MM-DD YYYY-MM-DD (e.g. 2025-04-01 2026-03-31)", file=sys.stderr)
        return 2
    if end < start:
        print("boardbot: the period ends before it starts", file=sys.stderr)
        return 2
    store = await Store.open(settings.database_url)
    try:
        _say_database(store)
        found_area = await _area_named(store, args.area)
        if found_area is None:
            return 2
        _, area = found_area
        found = area.find_board(args.board).match
        if found is None:
            boards = ", ".join(b.short_name for b in area.protocol.boards)
            print(f"boardbot: {area.name} has no board {args.board!r}. Boards: {boards}", file=sys.stderr)
            return 2
        now = dt.datetime.now(dt.UTC)
        async with store.session() as s:
            fig = await gather(s, area, found.key, start, end, now)
        drafted = await asyncio.to_thread(render.draft, fig)
        out = Path(args.out) if args.out else Path(drafted.stem)
        base = out.with_suffix("") if out.suffix.lower() in (".md", ".docx", ".png") else out
        if not base.parent.is_dir():
            print(f"boardbot: there is no folder {str(base.parent)!r} to write to", file=sys.stderr)
            return 2
        written = []
        for ext, body in (("md", drafted.markdown.encode("utf-8")), ("docx", drafted.docx), ("png", drafted.png)):
            path = base.parent / f"{base.name}.{ext}"
            await asyncio.to_thread(path.write_bytes, body)
            written.append(str(path))
        print(f"{area.boards[found.key].short_name} ({area.name}), {start.isoformat()} to {end.isoformat()}:")
        print("\n".join(f"- {line}" for line in render.summary_lines(fig)))
        print("Written: " + ", ".join(written))
        return 0
    finally:
        await store.close()


async def _calendar(args, settings: Settings) -> int:
    from bot.calendar_feeds import export_command

    return await export_command(settings, args.area, args.out)


async def _admin(args, settings: Settings) -> int:
    from bot import administration
    from bot.identity import UnknownIdentity, describe_roles
    from storage.store import Store

    store = await Store.open(settings.database_url)
    try:
        _say_database(store)
        found_area = await _area_named(store, args.area)
        if found_area is None:
            return 2
        knowledge, area = found_area
        cmd = args.admin_command
        async with store.session() as s, s.begin():
            try:
                if cmd == "directory":
                    print("\n".join(await administration.directory_lines(s, area)))
                    return 0
                where = {"platform": args.platform, "workspace": args.workspace}
                if cmd == "grant":
                    await administration.make_admin(s, area, user=args.user, display_name=args.name, by="cli", **where)
                    print(f"{args.platform}:{args.user} is now an administrator of {area.name}.")
                elif cmd == "link-workspace":
                    from storage import directory

                    was = await directory.workspace_area(s, args.platform, args.workspace)
                    await administration.link_area(s, area, by="cli", **where)
                    moved = f" (moved from {knowledge.area(was).name if was in knowledge.areas else was})" if was and was != area.slug else ""
                    print(f"{args.platform} workspace {args.workspace} now answers for {area.name}{moved}.")
                elif cmd == "link-channel":
                    what = (args.board or "") if args.purpose == "board" else args.purpose
                    print(await administration.link_channel(s, area, channel=args.channel, what=what, by="cli", **where))
                elif cmd == "link-user":
                    p = await administration.set_roles(s, area, user=args.user, phrase=" ".join(args.role),
                                                       display_name=args.name, by="cli", **where)
                    print(f"{args.platform}:{args.user}: {describe_roles(area, p.roles)}")
            except (administration.AdminError, UnknownIdentity) as exc:
                print(f"boardbot: {exc}", file=sys.stderr)
                return 2
        return 0
    finally:
        await store.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
