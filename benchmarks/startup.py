"""Start-up and memory: ``boardbot ask`` from process start to answer, ``serve``'s resident memory.

    python benchmarks/startup.py [--rounds 5] [--questions 600]

1. ``boardbot ask --area buckinghamshire "who leads on CSE?"``: cold (a new SQLite database:
   migrate and load the bundled protocols) and warm (the same database again), in rounds
   alternating with the bare interpreter (``python -c pass``) and a bare Bolt import
   (``import slack_bolt``) as baselines; the packages a warm ``ask`` spends its imports on
   (``-X importtime``) are listed, and whether it loaded a database library (a lookup reads the
   protocols with sqlite3: :mod:`storage.snapshot`).
2. ``boardbot serve`` with the four bundled areas, Slack and Teams on, and Slack alone: time
   to ``/healthz`` 200, RSS idle, and RSS after ``--questions`` never-asked-before questions;
   beside a bare Bolt app (verify + ack) and botbuilder's echo bot given the same load.

Goals (issue 14): ``ask`` <= 0.5 s warm; ``serve`` RSS idle <= 100 MB with the bundled areas.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import free_port, load_now, machine, median, new_questions, rss_mb, span  # noqa: E402

ASK = [sys.executable, "-m", "bot.cli", "ask", "--area", "buckinghamshire", "who leads on CSE?"]


def clean_env(tmp: Path) -> dict[str, str]:
    """The environment of the measured processes. Python keeps compiled modules (``__pycache__``), as
    every installed copy does, so a warm start compiles nothing (with PYTHONDONTWRITEBYTECODE=1, some
    shells' default, an editable checkout compiled boardbot's source again at every start)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(tmp), "HOST": "127.0.0.1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for var in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "MicrosoftAppId",
                "MicrosoftAppPassword", "BOARDBOT_AREA", "DATABASE_URL"):
        env.pop(var, None)
    return env


CPU: dict[int, list[float]] = {}  # CPU seconds of each timed run, by the list its wall time went to


def timed(cmd: list[str], env: dict[str, str], cwd: Path, into: list[float] | None = None) -> float:
    import resource

    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if into is not None:
        into.append(elapsed)
        CPU.setdefault(id(into), []).append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stderr[-2000:]}")
    return elapsed


def bench_ask(rounds: int, tmp: Path) -> dict[str, float]:
    env = clean_env(tmp)
    baselines = {"python -c pass": [sys.executable, "-c", "pass"],
                 "python -c 'import slack_bolt'": [sys.executable, "-c", "import slack_bolt"]}
    cold, warm = [], []
    base: dict[str, list[float]] = {k: [] for k in baselines}
    for r in range(rounds):
        db = {**env, "DATABASE_URL": f"sqlite:///{tmp / f'ask-{r}.db'}"}
        timed(ASK, db, tmp, cold)
        timed(ASK, db, tmp, warm)
        for name, cmd in baselines.items():
            base[name].append(timed(cmd, env, tmp))
        timed(ASK, db, tmp, warm)
    print(f"\nboardbot ask, process start to answer ({rounds} rounds, alternating; compiled modules kept, as an "
          f"installed copy keeps them; load average now {load_now()}):")
    print(f"  warm (existing database): median {median(warm):.2f} s (range {span(warm)} s)")
    print(f"  cold (new database: migrate + bundled protocols): median {median(cold):.2f} s (range {span(cold)} s)")
    print(f"  warm CPU (user + system): median {median(CPU[id(warm)]):.2f} s; cold CPU: median {median(CPU[id(cold)]):.2f} s")
    for name, xs in base.items():
        print(f"  baseline {name}: median {median(xs):.3f} s")
    bare = median(base["python -c pass"])
    bolt = median(base["python -c 'import slack_bolt'"])
    print(f"  warm minus the bare interpreter: {median(warm) - bare:.2f} s; warm / bare Bolt import: "
          f"{median(warm) / bolt:.2f} x")
    # where a warm ask's time goes
    db = {**env, "DATABASE_URL": f"sqlite:///{tmp / 'ask-0.db'}"}
    out = subprocess.run([sys.executable, "-X", "importtime", *ASK[1:]], env=db, cwd=tmp, capture_output=True, text=True)
    own: dict[str, int] = {}  # each top-level package's own import time (its modules' self times)
    for line in out.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)", line)
        if m:
            top = m.group(3).split(".")[0]
            own[top] = own.get(top, 0) + int(m.group(1))
    total = sum(own.values())
    print(f"  imports of a warm ask: {total / 1e6:.2f} s in all (-X importtime, one run, which inflates them); "
          f"by package, the biggest:")
    for name, us in sorted(own.items(), key=lambda kv: -kv[1])[:10]:
        print(f"    {us / 1e6:6.3f} s  {name}")
    print(f"  database libraries a warm ask loaded: {', '.join(k for k in ('sqlalchemy', 'aiosqlite', 'alembic') if k in own) or 'none'}")
    return {"warm": median(warm), "cold": median(cold)}


# --- serve's memory ------------------------------------------------------------------------------

SECRET = "benchmark-signing-secret-0123456789"
TOKEN = "xoxb-0000-benchmark"
TEAM = "T0BENCH01"


async def wait_ready(url: str, proc: subprocess.Popen, within: float = 60.0, ok_below: int = 300) -> float:
    import aiohttp

    t0 = time.perf_counter()
    async with aiohttp.ClientSession() as session:
        while time.perf_counter() - t0 < within:
            if proc.poll() is not None:
                raise SystemExit(f"server exited with {proc.returncode}")
            try:
                async with session.get(url) as resp:
                    if resp.status < ok_below:
                        return time.perf_counter() - t0
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise SystemExit(f"{url} not ready within {within:.0f}s")


async def slack_questions(url: str, questions: list[str], concurrency: int = 8) -> int:
    import aiohttp

    from benchmarks.slack_throughput import signed

    it = iter(enumerate(questions))
    errors = 0

    async def worker(session) -> None:
        nonlocal errors
        for n, q in it:
            body, headers = signed(n, q)
            async with session.post(url, data=body, headers=headers) as resp:
                await resp.read()
                errors += resp.status != 200

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return errors


async def teams_questions(url: str, questions: list[str], service_url: str, concurrency: int = 8) -> int:
    import aiohttp

    from benchmarks.teams_throughput import activity

    it = iter(enumerate(questions))
    errors = 0

    async def worker(session) -> None:
        nonlocal errors
        for n, q in it:
            async with session.post(url, data=json.dumps(activity(n, q, service_url, "mem")),
                                    headers={"Content-Type": "application/json"}) as resp:
                await resp.read()
                errors += resp.status not in (200, 201)

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return errors


async def bench_memory(n_questions: int, tmp: Path) -> dict[str, float]:
    from benchmarks.slack_throughput import start_fake_api
    from benchmarks.teams_throughput import TENANT, Connector

    api_port, connector_port = free_port(), free_port()
    api = await start_fake_api(api_port)
    connector = Connector()
    conn_runner = await connector.start(connector_port)
    service_url = f"http://127.0.0.1:{connector_port}/"
    env = {**clean_env(tmp), "DATABASE_URL": f"sqlite:///{tmp / 'serve.db'}", "SLACK_SIGNING_SECRET": SECRET,
           "SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": f"http://127.0.0.1:{api_port}/api/",
           "BOARDBOT_TEAMS_UNAUTHENTICATED": "1"}
    cli = [sys.executable, "-m", "bot.cli"]
    for platform, ws in (("slack", TEAM), ("teams", TENANT)):
        subprocess.run([*cli, "admin", "link-workspace", "--area", "buckinghamshire", "--platform", platform,
                        "--workspace", ws], env=env, cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    ports = {"boardbot": free_port(), "slack-only": free_port(), "bolt": free_port(), "echo": free_port()}
    slack_only = {k: v for k, v in env.items() if k != "BOARDBOT_TEAMS_UNAUTHENTICATED"}
    procs = {
        "boardbot": subprocess.Popen([*cli, "serve"], env={**env, "PORT": str(ports["boardbot"])}, cwd=tmp,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        "slack-only": subprocess.Popen([*cli, "serve"], env={**slack_only, "PORT": str(ports["slack-only"])}, cwd=tmp,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        "bolt": subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / "slack_throughput.py"), "--bare-server",
                                  str(ports["bolt"]), f"http://127.0.0.1:{api_port}/api/"], env=env, cwd=tmp,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        "echo": subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / "teams_throughput.py"), "--echo-server",
                                  str(ports["echo"])], env=env, cwd=tmp,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    }
    try:
        ready = await wait_ready(f"http://127.0.0.1:{ports['boardbot']}/healthz", procs["boardbot"])
        await wait_ready(f"http://127.0.0.1:{ports['slack-only']}/healthz", procs["slack-only"])
        await wait_ready(f"http://127.0.0.1:{ports['bolt']}/slack/events", procs["bolt"], ok_below=500)
        await wait_ready(f"http://127.0.0.1:{ports['echo']}/api/messages", procs["echo"], ok_below=500)
        await asyncio.sleep(2)  # the first calendar tick and the outbox settle
        idle = {k: rss_mb(p.pid) for k, p in procs.items()}
        qs = new_questions(n_questions, seed=13)
        half = len(qs) // 2
        errors = await slack_questions(f"http://127.0.0.1:{ports['boardbot']}/slack/events", qs[:half])
        errors += await teams_questions(f"http://127.0.0.1:{ports['boardbot']}/api/messages", qs[half:], service_url)
        errors += await slack_questions(f"http://127.0.0.1:{ports['slack-only']}/slack/events", qs)
        await slack_questions(f"http://127.0.0.1:{ports['bolt']}/slack/events", qs[:half])
        await teams_questions(f"http://127.0.0.1:{ports['echo']}/api/messages", qs[half:], service_url)
        after = {k: rss_mb(p.pid) for k, p in procs.items()}
    finally:
        for p in procs.values():
            p.terminate()
        for p in procs.values():
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        await api.cleanup()
        await conn_runner.cleanup()
    print(f"\nboardbot serve, four bundled areas, Slack and Teams on (load average now {load_now()}):")
    print(f"  start to /healthz 200 (index built, calendar planned): {ready:.2f} s")
    print(f"  {'process':34} {'RSS idle MB':>12} {'after questions MB':>19}")
    labels = {"boardbot": "boardbot serve (Slack + Teams)", "slack-only": "boardbot serve (Slack only)",
              "bolt": "bare Bolt (verify + ack)", "echo": "botbuilder echo bot"}
    for k, label in labels.items():
        print(f"  {label:34} {idle[k]:12.1f} {after[k]:19.1f}")
    print(f"  ({len(qs)} never-asked-before questions: Slack + Teams got half as slash commands, half as Teams "
          f"messages, the baselines their half each, Slack only all of them as slash commands; boardbot errors: {errors})")
    print(f"  boardbot (Slack + Teams) idle / (bare Bolt + echo bot idle): "
          f"{idle['boardbot'] / (idle['bolt'] + idle['echo']):.2f} x; boardbot (Slack only) idle / bare Bolt idle: "
          f"{idle['slack-only'] / idle['bolt']:.2f} x")
    return {"ready": ready, "idle": idle["boardbot"], "idle_slack": idle["slack-only"], "after": after["boardbot"],
            "errors": errors}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--questions", type=int, default=600)
    p.add_argument("--skip-ask", action="store_true")
    p.add_argument("--skip-serve", action="store_true")
    args = p.parse_args()
    print(f"machine: {machine()}")
    checks = []
    with tempfile.TemporaryDirectory(prefix="boardbot-startup-") as d:
        tmp = Path(d)
        if not args.skip_ask:
            ask = bench_ask(args.rounds, tmp)
            checks.append((f"ask warm {ask['warm']:.2f} s", ask["warm"] <= 0.5, "<= 0.5 s"))
        if not args.skip_serve:
            mem = asyncio.run(bench_memory(args.questions, tmp))
            checks.append((f"serve RSS idle, Slack only {mem['idle_slack']:.0f} MB", mem["idle_slack"] <= 100, "<= 100 MB"))
            checks.append((f"serve RSS idle, Slack + Teams {mem['idle']:.0f} MB", mem["idle"] <= 100, "<= 100 MB"))
            checks.append((f"errors {mem['errors']}", mem["errors"] == 0, "0"))
    print()
    for text, ok, goal in checks:
        print(f"{'ok  ' if ok else 'MISS'} {text} (goal {goal})")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
