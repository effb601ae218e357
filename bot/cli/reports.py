"""``boardbot report year`` (a board's year, as Markdown, Word and a chart) and
``boardbot calendar export`` (an area's public calendar).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.cli.database import area_named, say_database
from bot.config import Settings


async def report_year(args, settings: Settings) -> int:
    import datetime as dt

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
        say_database(store)
        found_area = await area_named(store, args.area)
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


async def calendar_export(args, settings: Settings) -> int:
    from bot.calendar_feeds import export_command

    return await export_command(settings, args.area, args.out)
