"""``boardbot protocol``: validate, import and list area protocols; the field reference; upgrading files.

Validating, the reference and upgrading open no database; an import validates every file
before it stores any (all or nothing).
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.cli.database import say_database
from bot.config import Settings


def reference(out: str | None) -> int:
    """Print or write docs/protocol-reference.md's text (nothing is stored, no database is opened)."""
    from storage.protocol.reference import render

    text = render()
    if out is None:
        sys.stdout.write(text)
        return 0
    Path(out).write_text(text, encoding="utf-8")
    print(f"boardbot: wrote the protocol file reference to {out}")
    return 0


def upgrade(files: list[str]) -> int:
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


def validate(files: list[str]) -> int:
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


async def protocol(args, settings: Settings) -> int:
    from storage.protocol.loader import ProtocolFileError, load_protocol_file
    from storage.revisions import import_protocol, revisions
    from storage.store import Store

    store = await Store.open(settings.database_url)
    try:
        say_database(store)
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
