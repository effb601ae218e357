"""The command line's words: every ``boardbot`` command, its arguments and their help."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """Every ``boardbot`` command and its arguments.

    ``command`` is the first word of the command line about to be parsed: when it names a
    command, only that command's arguments and actions are added, the others are named with
    their help (all that ``boardbot --help`` lists), so that ``boardbot ask`` does not build
    the parsers of twenty actions at every start (about 8 ms).
    """
    p = argparse.ArgumentParser(
        prog="boardbot",
        description="boardbot: the partnership boards' joint protocols in Slack, Teams and the terminal.",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    whole = command not in _COMMANDS
    for name, (words, fill) in _COMMANDS.items():
        sp = sub.add_parser(name, help=words)
        if whole or name == command:
            fill(sp)
    return p


def _who(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--area", help="the area's short name or name (\"boardbot ask areas\" lists the loaded areas)")
    sp.add_argument("--as", dest="as_", metavar="WHO",
                    help='speak as a person or post of the area, e.g. "chair of <board>", "co-chair of <board>", '
                         '"business manager of <board>", a post the protocol names, "director" or "admin"')


def _ask(ask: argparse.ArgumentParser) -> None:
    _who(ask)
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("question", nargs="+", help='e.g. "who leads on CSE?"')


def _protocol(proto: argparse.ArgumentParser) -> None:
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


def _serve(_: argparse.ArgumentParser) -> None:
    pass


def _status(st: argparse.ArgumentParser) -> None:
    st.add_argument("--json", action="store_true", help="print one JSON object")


def _report(rep: argparse.ArgumentParser) -> None:
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


def _calendar(cal: argparse.ArgumentParser) -> None:
    csub = cal.add_subparsers(dest="calendar_command", metavar="ACTION", required=True)
    ce = csub.add_parser("export", help="write an area's public protocol calendar (.ics)")
    ce.add_argument("--area", required=True)
    ce.add_argument("--out", default="-", help="file to write (default: standard output)")


def _admin(adm: argparse.ArgumentParser) -> None:
    from bot.platforms.registry import workspace_platforms

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


# each command: its help, and what adds its arguments (in the order ``boardbot --help`` lists them)
_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "chat": ("talk to boardbot in the terminal", _who),
    "ask": ("answer one question and exit", _ask),
    "protocol": ("validate, import and list area protocols", _protocol),
    "serve": ("run the Slack / Teams server (HOST, PORT; default 0.0.0.0:3000)", _serve),
    "status": ("the database, platforms, linked channels, outbox and protocols of this installation", _status),
    "report": ("draft a board's partnership-working section of its annual report", _report),
    "calendar": ("the protocols' calendar as iCalendar", _calendar),
    "admin": ("link workspaces, channels and people to an area (server side)", _admin),
}
