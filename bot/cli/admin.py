"""``boardbot admin``: link workspaces, channels and people to an area, from the server side."""

from __future__ import annotations

import sys

from bot import administration
from bot.cli.database import area_named, say_database
from bot.config import Settings
from bot.identity import UnknownIdentity, describe_roles
from storage.store import Store


async def admin(args, settings: Settings) -> int:
    store = await Store.open(settings.database_url)
    try:
        say_database(store)
        found_area = await area_named(store, args.area)
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
