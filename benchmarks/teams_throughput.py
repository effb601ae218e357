"""Teams message throughput and latency: ``boardbot serve`` beside botbuilder's echo bot, same run.

    python benchmarks/teams_throughput.py [--mix repeated|new|both] [--requests 800] [--concurrency 16]
                                          [--rounds 2] [--postgres URL] [--profile DIR]

Starts, as separate processes on 127.0.0.1:

- ``boardbot serve`` (the real CLI) on a fresh SQLite database (and, with ``--postgres``, a
  fresh PostgreSQL database too), Teams in local mode (``BOARDBOT_TEAMS_UNAUTHENTICATED=1``),
  the tenant linked to Buckinghamshire: each 1:1 message is de-duplicated, its conversation
  reference stored, the asker resolved, the question answered and the Adaptive Card posted
  back to the Bot Connector before the HTTP answer;
- botbuilder's echo bot as its sample is written (``BotFrameworkAdapter``, which keeps one
  connector client per service URL, and an ``ActivityHandler`` that sends back the text);

and, in this process, a stand-in Bot Connector (both bots post their reply to it) and the
load: ``--concurrency`` workers posting Teams 1:1 message activities over keep-alive
connections, fifty different people. Rounds alternate between the servers after a warm-up;
the servers are pinned to one CPU and the load to the others (where there are two or more).

Two mixes: ``repeated`` (``who leads on CSE?`` every time) and ``new`` (every message a
question not asked before in the run). Prints messages/s, p50/p99, errors (non-200, or no
reply reaching the connector), RSS, server CPU per message, and the ratios to the echo bot.

Goals (issue 14): >= 0.8 x the echo bot on the same mix; p99 <= 150 ms on SQLite at 16
concurrent; zero errors.

``--profile DIR`` also samples each boardbot server through its measured rounds with py-spy
(``pip install py-spy``), one raw file per server and mix (``py-spy record --gil -f raw``:
where the time holding the interpreter goes, one line per stack with its sample count), e.g.
``sort -t' ' -k2 -n DIR/*.txt | tail`` for the busiest stacks.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import (  # noqa: E402
    Result,
    ServerDied,
    alternating,
    drive,
    free_port,
    load_now,
    machine,
    new_questions,
    pct,
    print_table,
    rss_mb,
    wait_until_up,
)

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
BOT_ID = "28:6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
QUESTION = "who leads on CSE?"


# --- the echo bot (run as a child process) --------------------------------------------------------


def run_echo(port: int) -> None:
    """botbuilder's echo bot sample: BotFrameworkAdapter (connector clients kept per service URL)."""
    from aiohttp import web
    from botbuilder.core import (
        ActivityHandler,
        BotFrameworkAdapter,
        BotFrameworkAdapterSettings,
        MessageFactory,
        TurnContext,
    )
    from botbuilder.schema import Activity

    adapter = BotFrameworkAdapter(BotFrameworkAdapterSettings("", ""))

    class EchoBot(ActivityHandler):
        async def on_message_activity(self, turn_context: TurnContext) -> None:
            await turn_context.send_activity(MessageFactory.text(f"Echo: {turn_context.activity.text}"))

    bot = EchoBot()

    async def messages(request: web.Request) -> web.Response:
        activity = Activity().deserialize(await request.json())
        response = await adapter.process_activity(activity, request.headers.get("Authorization", ""), bot.on_turn)
        if response:
            return web.json_response(data=response.body, status=response.status)
        return web.Response(status=201)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


# --- the stand-in Bot Connector -------------------------------------------------------------------


class Connector:
    """Answers what both bots call to reply; counts the replies per conversation."""

    def __init__(self) -> None:
        self.replies: dict[str, int] = {}
        self.ids = itertools.count(1)

    async def activity(self, request):
        from aiohttp import web

        await request.read()
        cid = request.match_info["cid"]
        self.replies[cid] = self.replies.get(cid, 0) + 1
        return web.json_response({"id": f"1:{next(self.ids)}"}, status=201)

    async def start(self, port: int):
        from aiohttp import web

        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_post("/v3/conversations/{cid}/activities", self.activity)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self.activity)
        app.router.add_put("/v3/conversations/{cid}/activities/{aid}", self.activity)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        return runner


def activity(n: int, text: str, service_url: str, run: str) -> dict:
    person = n % 50
    return {
        "text": text, "textFormat": "plain", "type": "message",
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
        "id": f"{run}{n}", "channelId": "msteams", "serviceUrl": service_url,
        "from": {"id": f"29:bench-person-{person}", "name": f"Person {person}",
                 "aadObjectId": f"3f2a8c61-5b7d-4e9a-9c1f-{person:012d}"},
        "conversation": {"conversationType": "personal", "tenantId": TENANT, "id": f"a:bench-{run}-{person}"},
        "recipient": {"id": BOT_ID, "name": "boardbot"},
        "channelData": {"tenant": {"id": TENANT}}, "locale": "en-GB",
    }


async def load(name: str, url: str, connector: Connector, service_url: str, total: int, concurrency: int,
               questions: Iterator[str]) -> Result:
    run = uuid.uuid4().hex[:8]

    def request(n: int):
        body = activity(n, next(questions), service_url, run)
        cid = body["conversation"]["id"]
        before = connector.replies.get(cid, 0)

        def check(status: int, text: str) -> str:  # answered: the reply reached the stand-in connector
            replies = connector.replies.get(cid, 0)
            return "" if status in (200, 201) and replies > before else f"{status}: {text[:200]} (replies {replies})"

        return json.dumps(body).encode(), {"Content-Type": "application/json"}, check

    return await drive(name, url, total, concurrency, request)


ECHO = "botbuilder echo bot"


def start_servers(databases: dict[str, str], tmp: Path) -> tuple[dict[str, subprocess.Popen], dict[str, str]]:
    env = {**os.environ, "HOST": "127.0.0.1", "BOARDBOT_TEAMS_UNAUTHENTICATED": "1", "PYTHONPATH": str(ROOT),
           "XDG_DATA_HOME": str(tmp)}
    for var in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "MicrosoftAppId",
                "MicrosoftAppPassword", "BOARDBOT_AREA"):
        env.pop(var, None)
    cli = [sys.executable, "-m", "bot.cli"]
    procs, bases = {}, {}
    for label, url in databases.items():
        db_env = {**env, "DATABASE_URL": url}
        subprocess.run([*cli, "admin", "link-workspace", "--area", "buckinghamshire", "--platform", "teams",
                        "--workspace", TENANT], env=db_env, cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        with open(tmp / f"boardbot-{label}.log", "w") as log:
            procs[f"boardbot serve ({label})"] = subprocess.Popen([*cli, "serve"], env={**db_env, "PORT": str(port)},
                                                                  cwd=tmp, stdout=log, stderr=subprocess.STDOUT)
        bases[f"boardbot serve ({label})"] = f"http://127.0.0.1:{port}"
    port = free_port()
    with open(tmp / "echo.log", "w") as log:
        procs[ECHO] = subprocess.Popen([sys.executable, __file__, "--echo-server", str(port)], env=env, cwd=tmp,
                                       stdout=log, stderr=subprocess.STDOUT)
    bases[ECHO] = f"http://127.0.0.1:{port}"
    return procs, bases


async def bench(args, procs, bases, connector_port: int) -> dict[str, tuple[dict[str, Result], dict[str, float]]]:
    connector = Connector()
    runner = await connector.start(connector_port)
    service_url = f"http://127.0.0.1:{connector_port}/"
    mixes = ["repeated", "new"] if args.mix == "both" else [args.mix]
    boardbots = [n for n in procs if n != ECHO]
    fresh = iter(new_questions(len(boardbots) * (args.warmup + args.rounds * args.requests) + 10, seed=5))
    out = {}
    try:
        for name in boardbots:
            await wait_until_up(f"{bases[name]}/healthz", procs[name], name, ok_status=300)
        await wait_until_up(f"{bases[ECHO]}/api/messages", procs[ECHO], ECHO)
        for mix in mixes:
            def questions(name: str) -> Iterator[str]:
                if mix == "repeated":
                    return itertools.repeat(QUESTION)
                return fresh if name != ECHO else itertools.cycle(new_questions(200, seed=9))

            warmed: set[str] = set()
            spies: list[subprocess.Popen] = []

            async def run(name: str, n: int) -> Result:
                if args.profile and not spies and len(warmed) == len(procs):  # the first measured round
                    spies.extend(profile(args.profile, f"{b} {mix}", procs[b].pid) for b in boardbots)
                warmed.add(name)
                return await load(name, f"{bases[name]}/api/messages", connector, service_url, n, args.concurrency,
                                  questions(name))

            totals = await alternating(procs, rounds=args.rounds, warmup=args.warmup, requests=args.requests, run=run)
            for spy in spies:
                spy.send_signal(signal.SIGINT)  # py-spy writes its file as it stops
                spy.wait(60)
            out[mix] = (totals, {name: rss_mb(p.pid) for name, p in procs.items()})
        return out
    finally:
        await runner.cleanup()


def profile(directory: str, label: str, pid: int) -> subprocess.Popen:
    """py-spy sampling ``pid`` until it is sent SIGINT, into ``directory/label.txt``."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    Path(directory).mkdir(parents=True, exist_ok=True)
    out = Path(directory) / (re.sub(r"[^A-Za-z0-9.-]+", "-", label).strip("-") + ".txt")
    proc = subprocess.Popen([spy, "record", "--gil", "--nonblocking", "-r", "200", "-f", "raw", "-o", str(out),
                             "-p", str(pid)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # attached before the first measured request
    return proc


def report(args, mix: str, totals: dict[str, Result], rss: dict[str, float]) -> int:
    what = "one question repeated (who leads on CSE?)" if mix == "repeated" else "a never-asked-before question each message"
    print(f"\nTeams 1:1 messages on loopback, {what}: {args.concurrency} concurrent, {args.rounds} x {args.requests} "
          f"per server after {args.warmup} warm-up; load average now {load_now()}")
    print_table(totals, rss, "msg")
    echo = totals[ECHO]
    status = 0
    for name, r in totals.items():
        if name == ECHO:
            continue
        ratio = r.rps / echo.rps if echo.rps else 0.0
        cpu = (r.cpu / r.requests) / (echo.cpu / echo.requests) if echo.cpu else float("nan")
        p99 = pct(r.latencies, 99) * 1000
        checks = [(f"{name}: throughput {ratio:.2f} x the echo bot (CPU per message {cpu:.2f} x)", ratio >= 0.8, ">= 0.8"),
                  (f"{name}: errors {r.errors}", r.errors == 0, "0")]
        if "SQLite" in name and args.concurrency == 16:
            checks.append((f"{name}: p99 {p99:.0f} ms at 16 concurrent", p99 <= 150, "<= 150 ms"))
        for text, ok, goal in checks:
            print(f"{'ok  ' if ok else 'MISS'} {text} (goal {goal})")
            status |= 0 if ok else 1
    return status


async def postgres_db(base: str) -> str | None:
    try:
        import asyncpg

        conn = await asyncpg.connect(base, timeout=3)
    except Exception as exc:
        print(f"PostgreSQL skipped: {exc}")
        return None
    name = f"boardbot_bench_{uuid.uuid4().hex[:8]}"
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    from urllib.parse import urlparse

    return urlparse(base)._replace(path=f"/{name}").geturl()


async def drop_postgres(base: str, url: str) -> None:
    from urllib.parse import urlparse

    import asyncpg

    conn = await asyncpg.connect(base)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{urlparse(url).path.lstrip("/")}" WITH (FORCE)')
    finally:
        await conn.close()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--requests", type=int, default=800, help="messages per server per round")
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--mix", choices=("repeated", "new", "both"), default="both")
    p.add_argument("--postgres", nargs="?", const="postgresql://postgres@127.0.0.1:5432/test", default=None,
                   help="also run boardbot on a fresh PostgreSQL database (default server if no URL)")
    p.add_argument("--profile", metavar="DIR", help="sample each boardbot server with py-spy into DIR")
    p.add_argument("--echo-server", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.echo_server:
        run_echo(args.echo_server)
        return 0
    print(f"machine: {machine()}")
    tmp = Path(tempfile.mkdtemp(prefix="boardbot-teams-bench-"))
    databases = {"SQLite": f"sqlite:///{tmp / 'boardbot.db'}"}
    pg = asyncio.run(postgres_db(args.postgres)) if args.postgres else None
    if pg:
        databases["PostgreSQL"] = pg
    procs, bases = start_servers(databases, tmp)
    try:
        results = asyncio.run(bench(args, procs, bases, free_port()))
    except ServerDied as exc:
        print(f"benchmark stopped: {exc}", file=sys.stderr)
        for log in sorted(tmp.glob("*.log")):
            print(f"--- {log.name} (last lines)\n" + log.read_text()[-3000:], file=sys.stderr)
        return 2
    finally:
        for proc in procs.values():
            proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        if pg:
            asyncio.run(drop_postgres(args.postgres, pg))
    status = 0
    for mix, (totals, rss) in results.items():
        status |= report(args, mix, totals, rss)
    return status


if __name__ == "__main__":
    sys.exit(main())
