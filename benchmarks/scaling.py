"""As the work grows: 10, 100, 1,000 (and 5,000) synthetic areas, from the index to the first tick.

    python benchmarks/scaling.py [--sizes|--areas 10,100,1000,5000] [--local-themes 10]

Each area is a copy of one of the four bundled protocols in turn, renamed and given
``--local-themes`` themes of its own (so the shared vocabulary grows as a national
deployment's would). For each size, each in a fresh process:

- the lookup index (``Knowledge``) built from the protocols: seconds and the RSS it adds;
- ``boardbot serve`` on a SQLite database holding those areas (plus the bundled four):
  seconds from start to the first ``/healthz`` answer (listening), to ``/healthz`` 200
  (index built, every area's calendar planned), to the last area's ``/calendar/AREA.ics``
  answering 200; its RSS then;
- the first calendar tick after a restart on that database (materialise + dispatch, with a
  sender that does nothing).

Per-area figures and the growth from one size to the next are printed (linear: the cost
per area stays flat). Goals (issue 14): index build at 1,000 areas <= 1 s and linear;
``serve`` with 1,000 areas ready (health and every calendar) <= 5 s and <= 300 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import (  # noqa: E402
    cpu_seconds,
    free_port,
    import_synthetic,
    load_now,
    machine,
    rss_mb,
    synthetic_protocols,
)


def child_index(n: int, local: int) -> dict[str, float]:
    import gc

    from bot.knowledge import Knowledge

    protocols = synthetic_protocols(n, local_themes=local)
    gc.collect()
    before = rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    k = Knowledge(protocols)
    took, cpu = time.perf_counter() - t0, time.process_time() - c0
    gc.collect()
    return {"build": took, "build_cpu": cpu, "rss": rss_mb() - before, "phrases": len(k.theme_vocabulary)}


async def child_tick(url: str) -> dict[str, float]:
    from bot.workflows.reminder_posts import ReminderPosts
    from scheduler.dispatch import Dispatcher
    from scheduler.materialise import Calendar
    from scheduler.outbox import Outgoing
    from storage.store import Store

    class Noop:
        async def send(self, message: Outgoing) -> str:
            return "ok"

    store = await Store.open(url)
    try:
        def clock() -> dt.datetime:
            return dt.datetime.now(dt.UTC)

        dispatcher = Dispatcher(store.sessions, {"slack": Noop(), "teams": Noop()}, clock=clock, batch=500)
        calendar = Calendar(store.sessions, replies=ReminderPosts(), clock=clock, kick=dispatcher.kick)
        t0 = time.perf_counter()
        await calendar.tick()
        t1 = time.perf_counter()
        await dispatcher.tick()
        t2 = time.perf_counter()
        from sqlalchemy import text

        async with store.session() as s:
            rules = (await s.execute(text("SELECT count(*) FROM reminder_rules WHERE active"))).scalar_one()
        return {"tick": t2 - t0, "materialise": t1 - t0, "dispatch": t2 - t1, "rules": rules}
    finally:
        await store.close()


async def serve_timings(url: str, last_area: str, tmp: Path) -> dict[str, float]:
    import aiohttp

    env = {**os.environ, "DATABASE_URL": url, "HOST": "127.0.0.1", "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(tmp)}
    for var in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "MicrosoftAppId",
                "MicrosoftAppPassword", "BOARDBOT_AREA", "BOARDBOT_TEAMS_UNAUTHENTICATED"):
        env.pop(var, None)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve"], env={**env, "PORT": str(port)}, cwd=tmp,
                            stdout=subprocess.DEVNULL, stderr=open(tmp / "serve.log", "w"))
    out: dict[str, float] = {}
    try:
        async with aiohttp.ClientSession() as session:
            while time.perf_counter() - t0 < 300:
                if proc.poll() is not None:
                    raise SystemExit(f"serve exited {proc.returncode}: {(tmp / 'serve.log').read_text()[-2000:]}")
                try:
                    if "listening" not in out:
                        async with session.get(f"{base}/healthz") as r:
                            out["listening"] = time.perf_counter() - t0
                            out["listening_cpu"] = cpu_seconds(proc.pid)
                    if "ready" not in out:
                        async with session.get(f"{base}/healthz") as r:
                            if r.status == 200:
                                out["ready"] = time.perf_counter() - t0
                                out["ready_cpu"] = cpu_seconds(proc.pid)
                    if "calendar" not in out:
                        async with session.get(f"{base}/calendar/{last_area}.ics",
                                               timeout=aiohttp.ClientTimeout(total=60)) as r:
                            await r.read()
                            if r.status == 200:
                                out["calendar"] = time.perf_counter() - t0
                                out["calendar_cpu"] = cpu_seconds(proc.pid)
                    if "calendar" in out and "ready" in out:
                        break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.05)
        await asyncio.sleep(2)
        out["serve_rss"] = rss_mb(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
    return out


def run_child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    if out.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", "--areas", default="10,100,1000", help="numbers of areas, comma-separated")
    p.add_argument("--local-themes", type=int, default=10)
    p.add_argument("--skip-serve", action="store_true")
    p.add_argument("--child-index", type=int, help=argparse.SUPPRESS)
    p.add_argument("--child-tick", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child_index is not None:
        print(json.dumps(child_index(args.child_index, args.local_themes)))
        return 0
    if args.child_tick:
        print(json.dumps(asyncio.run(child_tick(args.child_tick))))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {machine()}")
    print(f"synthetic areas: copies of the 4 bundled protocols in turn, {args.local_themes} local themes each\n")
    rows = []
    for n in sizes:
        row: dict = {"areas": n, **run_child("--child-index", str(n), "--local-themes", str(args.local_themes))}
        if not args.skip_serve:
            with tempfile.TemporaryDirectory(prefix="boardbot-scale-") as d:
                tmp = Path(d)
                url = f"sqlite:///{tmp / 'scale.db'}"
                t0 = time.perf_counter()
                asyncio.run(import_synthetic(url, synthetic_protocols(n, local_themes=args.local_themes)))
                row["import"] = time.perf_counter() - t0
                row.update(asyncio.run(serve_timings(url, f"synthetic-{n - 1}", tmp)))
                row.update(run_child("--child-tick", url))
        rows.append(row)
        print(f"{n:>6} areas (load average {load_now()}): " + ", ".join(
            f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in row.items() if k != "areas"), flush=True)
    print()
    head = (f"{'areas':>6} {'index s':>8} {'CPU s':>6} {'ms/area':>8} {'index MB':>9}"
            + ("" if args.skip_serve else f" {'listen s':>9} {'/healthz s':>10} {'last cal s':>10} {'RSS MB':>7} "
               f"{'1st tick s':>10} {'rules':>7}"))
    print(head)
    for r in rows:
        line = (f"{r['areas']:>6} {r['build']:8.2f} {r['build_cpu']:6.2f} {r['build_cpu'] / r['areas'] * 1000:8.2f} "
                f"{r['rss']:9.1f}")
        if not args.skip_serve:
            line += (f" {r['listening']:9.2f} {r['ready']:10.2f} {r['calendar']:10.2f} {r['serve_rss']:7.0f}"
                     f" {r['tick']:10.2f} {r['rules']:7d}")
        print(line)
    print("\ngrowth (cost per area relative to the smallest size; 1.0 is linear):")
    first = rows[0]
    for r in rows[1:]:
        per = lambda k, row: row[k] / row["areas"]  # noqa: E731
        parts = [f"index CPU {per('build_cpu', r) / per('build_cpu', first):.2f}"]
        if not args.skip_serve:
            parts.append(f"first tick {per('tick', r) / per('tick', first):.2f}")
        print(f"  {r['areas']:>6} vs {first['areas']}: " + ", ".join(parts))
    checks = []
    for r in rows:
        if r["areas"] == 1000:
            checks.append((f"index build at 1,000 areas {r['build']:.2f} s", r["build"] <= 1.0, "<= 1 s"))
            if not args.skip_serve:
                checks.append((f"serve ready with every calendar at 1,000 areas {r['calendar']:.1f} s",
                               max(r["ready"], r["calendar"]) <= 5.0, "<= 5 s"))
                checks.append((f"serve RSS at 1,000 areas {r['serve_rss']:.0f} MB", r["serve_rss"] <= 300, "<= 300 MB"))
    for text, ok, goal in checks:
        print(f"{'ok  ' if ok else 'MISS'} {text} (goal {goal})")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
