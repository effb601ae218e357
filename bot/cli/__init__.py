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

One module per family of commands: :mod:`.parser` (the words and their help), :mod:`.talk`
(ask, chat), :mod:`.protocols`, :mod:`.server` (serve, status), :mod:`.admin`,
:mod:`.reports` (report year, calendar export), :mod:`.database` (what those that open the
database share). A command's module, and what it imports (the platform SDKs, the web server,
the drafter), is loaded only when that command runs, so ``ask`` starts quickly.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence

from bot.cli.parser import parser
from bot.config import ConfigError, Settings, from_env, load_dotenv_file

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    args = parser(words[0] if words else None).parse_args(words)
    if args.command is None:
        parser().print_help()
        return 2
    load_dotenv_file()
    try:
        settings = from_env()
    except ConfigError as exc:
        print(f"boardbot: configuration error: {exc}", file=sys.stderr)
        return 2
    if args.command == "protocol" and args.protocol_command in ("validate", "reference", "upgrade"):
        from bot.cli import protocols

        if args.protocol_command == "reference":
            return protocols.reference(args.out)
        return (protocols.validate if args.protocol_command == "validate" else protocols.upgrade)(args.files)
    if args.command == "protocol" and args.protocol_command in ("draft", "review"):
        from drafting.command import run_draft, run_review

        return (run_draft if args.protocol_command == "draft" else run_review)(args)
    runner = _runner(args.command)
    try:
        status = asyncio.run(runner(args, settings))
        sys.stdout.flush()
        return status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_went_away()


def _runner(command: str) -> Callable[[argparse.Namespace, Settings], Awaitable[int]]:
    """The coroutine that runs ``command``; its module is imported only now, so ``ask`` does not
    pay for the server's or the drafter's imports."""
    if command in ("ask", "chat"):
        from bot.cli import talk

        return talk.ask if command == "ask" else talk.chat
    if command in ("serve", "status"):
        from bot.cli import server

        return server.serve if command == "serve" else server.status
    if command == "protocol":
        from bot.cli import protocols

        return protocols.protocol
    if command == "admin":
        from bot.cli import admin

        return admin.admin
    from bot.cli import reports

    return {"report": reports.report_year, "calendar": reports.calendar_export}[command]


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
