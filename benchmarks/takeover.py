"""How long a dead replica's channels wait: kill -9 of the replica holding the outbox, mid-stream.

    python benchmarks/takeover.py [--runs 3] [--postgres URL] [--skip-sqlite]

Two real ``boardbot serve`` processes share one database (a SQLite file, then PostgreSQL
where a server answers), default settings but a stand-in Slack Web API on 127.0.0.1; 36
one-off reminders fall due half a second apart over two channels. When ten have reached
Slack, the replica holding the outbox lease is killed with SIGKILL (no chance to release
anything). Prints, per run and as the worst of all runs:

- takeover: seconds from the kill to the next post reaching Slack;
- worst late: the largest due-to-posted delay of any reminder due after the kill;
- whether every reminder arrived exactly once, in order per channel.

Goal: under 30 s (leases and claims are short and kept alive by a 2.5 s heartbeat while
their holder lives; see scheduler/outbox.py).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "scheduler"))

from replicas import kill_the_holder  # noqa: E402

PG = os.environ.get("BOARDBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


async def pg_database(url: str) -> str | None:
    import asyncpg

    name = f"boardbot_takeover_{uuid.uuid4().hex[:10]}"
    try:
        conn = await asyncpg.connect(url)
    except (OSError, asyncpg.PostgresError) as exc:
        print(f"PostgreSQL: skipped ({exc})")
        return None
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return url.rsplit("/", 1)[0] + "/" + name


async def drop(url: str, admin: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await conn.close()


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--postgres", default=PG)
    ap.add_argument("--skip-sqlite", action="store_true")
    args = ap.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    for kind in ("sqlite", "postgresql"):
        if kind == "sqlite" and args.skip_sqlite:
            continue
        worst = late = 0.0
        for run in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                home = Path(tmp)
                url = f"sqlite:///{home / 'boardbot.db'}" if kind == "sqlite" else await pg_database(args.postgres)
                if url is None:
                    break
                try:
                    r = await kill_the_holder(url, home)
                finally:
                    if kind == "postgresql":
                        await drop(url, args.postgres)
            once = len(r.keys) == 36 and set(r.keys.values()) == {1}
            print(f"{kind} run {run + 1}: takeover {r.seconds:.1f} s, worst late {r.late:.1f} s, "
                  f"{r.posted_before} posted before the kill, each once: {once}, in order: {r.in_order}")
            worst, late = max(worst, r.seconds), max(late, r.late)
        else:
            print(f"{kind}: worst takeover {worst:.1f} s, worst late {late:.1f} s over {args.runs} runs (goal < 30 s)")


if __name__ == "__main__":
    asyncio.run(main())
