"""Instructions per slash command, counted rather than timed: boardbot's Slack handler beside bare Bolt's.

    python benchmarks/slack_instructions.py [--requests 500] [--warmup 1000]

The throughput benchmark (``slack_throughput.py``) times whole servers, and on a shared machine
its CPU per request moves by a fifth from one minute to the next, boardbot's more than bare
Bolt's: too much to see a change of a few per cent. This one counts the machine instructions
(valgrind's callgrind, which counts the same total for the same work whatever else the machine
is doing) that each side spends on one signed slash command carrying a never-asked-before
question, inside one process, without the HTTP server around it:

- **boardbot**: ``SlackPlatform.handle_events`` (size, signature, form, shapes, the command
  listener, understanding and answering the question, Block Kit, the ack's JSON, the aiohttp
  response), on a fresh SQLite database with the Slack workspace linked to Buckinghamshire;
- **bare Bolt**: what ``AsyncApp.web_app()`` runs for a request: ``to_bolt_request``,
  ``async_dispatch`` (Bolt's signature check, middleware, listener matching, a ``/board``
  listener that only acks) and ``to_aiohttp_response``.

Each side runs twice under callgrind, once with the warm-up alone and once with ``--requests``
more, and the difference is divided by ``--requests``, so start-up and warm-up cancel out. The
requests are aiohttp requests made in the process (``aiohttp.test_utils.make_mocked_request``)
with the body a client would send; the stand-in Slack Web API answers ``auth.test`` on
loopback. The ratio is larger than the servers' CPU ratio: aiohttp's HTTP parsing and
writing, which both servers pay alike, are left out. Needs ``valgrind`` (Debian's package).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import free_port, machine, new_questions  # noqa: E402
from benchmarks.slack_throughput import SECRET, TEAM, TOKEN, signed, start_fake_api  # noqa: E402

BOARDBOT, BARE = "boardbot", "bare Bolt"


def _mocked(app, body: bytes, headers: dict[str, str]):
    """An aiohttp request for ``app`` carrying ``body``, as the server would hand it to a handler."""
    from aiohttp import StreamReader
    from aiohttp.base_protocol import BaseProtocol
    from aiohttp.test_utils import make_mocked_request
    from multidict import CIMultiDict

    loop = asyncio.get_running_loop()
    payload = StreamReader(BaseProtocol(loop), 2**16, loop=loop)
    payload.feed_data(body)
    payload.feed_eof()
    return make_mocked_request("POST", "/slack/events", headers=CIMultiDict({**headers, "Content-Length": str(len(body))}),
                               payload=payload, app=app)


async def _boardbot(api_url: str, tmp: Path):
    """boardbot's handler for POST /slack/events, as ``serve`` builds it."""
    os.environ.update({"DATABASE_URL": f"sqlite:///{tmp / 'boardbot.db'}", "SLACK_SIGNING_SECRET": SECRET,
                       "SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": api_url, "XDG_DATA_HOME": str(tmp)})
    for var in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "MicrosoftAppId", "MicrosoftAppPassword", "BOARDBOT_AREA"):
        os.environ.pop(var, None)
    subprocess.run([sys.executable, "-m", "bot.cli", "admin", "link-workspace", "--area", "buckinghamshire",
                    "--platform", "slack", "--workspace", TEAM], cwd=tmp, check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    from bot.bootstrap import open_services
    from bot.config import from_env
    from bot.platforms.slack.app import SLACK
    from bot.web import build_app

    settings = from_env()
    services = await open_services(settings)
    app = build_app(services, settings, background=False)
    return app, app[SLACK].handle_events


async def _bare(api_url: str, tmp: Path):
    """What bare Bolt's ``web_app()`` runs for a request, around a ``/board`` listener that acks."""
    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    bolt = AsyncApp(signing_secret=SECRET, client=AsyncWebClient(token=TOKEN, base_url=api_url))

    @bolt.command("/board")
    async def board(ack) -> None:
        await ack()

    async def handler(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    return web.Application(), handler


async def child(side: str, warmup: int, requests: int, prepared: int) -> None:
    """Handle ``warmup + requests`` signed slash commands, each a new question; exit at once.
    ``prepared`` requests are made first whatever ``requests`` is, so both runs of a side make
    (and sign) as many and only the handling differs."""
    api_port = free_port()
    runner = await start_fake_api(api_port)
    api_url = f"http://127.0.0.1:{api_port}/api/"
    tmp = Path(tempfile.mkdtemp(prefix="boardbot-instructions-"))
    app, handler = await (_boardbot if side == BOARDBOT else _bare)(api_url, tmp)
    made = [_mocked(app, *signed(i, q)) for i, q in enumerate(new_questions(prepared))]
    for request in made[:warmup + requests]:
        response = await handler(request)
        if response.status != 200 or side == BOARDBOT and b'"blocks"' not in response.body:
            raise SystemExit(f"{side} answered {response.status}: {response.text}")  # not an answer: no figure
    await runner.cleanup()
    sys.stdout.flush()
    os._exit(0)  # no teardown counted: both runs of a side would pay it alike, and it is not a request's


def counted(side: str, warmup: int, requests: int, prepared: int) -> int:
    """Instructions callgrind counts for one child run."""
    with tempfile.TemporaryDirectory() as out:
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/callgrind.out", sys.executable, __file__,
               "--child", side, str(warmup), str(requests), str(prepared)]
        env = {**os.environ, "PYTHONHASHSEED": "0"}  # the same hashes, so the same dict probes, every run
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=out)
        found = re.search(r"Collected : (\d+)", done.stderr)
        if done.returncode != 0 or not found:
            raise SystemExit(f"{side} under callgrind failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return int(found.group(1))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--requests", type=int, default=500, help="requests counted per side")
    p.add_argument("--warmup", type=int, default=1000, help="requests before counting (caches, imports)")
    p.add_argument("--child", nargs=4, metavar=("SIDE", "WARMUP", "REQUESTS", "PREPARED"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        side, warmup, requests, prepared = args.child
        asyncio.run(child(side, int(warmup), int(requests), int(prepared)))
        return 0
    if shutil.which("valgrind") is None:
        print("slack_instructions.py counts with valgrind, which is not installed (apt-get install valgrind)",
              file=sys.stderr)
        return 2
    print(f"machine: {machine()}")
    runs = [(side, n) for side in (BOARDBOT, BARE) for n in (0, args.requests)]
    # callgrind's counts do not depend on what else runs, so the four runs share the cores
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        prepared = args.warmup + args.requests
        totals = dict(zip(runs, pool.map(lambda r: counted(r[0], args.warmup, r[1], prepared), runs), strict=True))
    per = {side: (totals[(side, args.requests)] - totals[(side, 0)]) / args.requests for side in (BOARDBOT, BARE)}
    print(f"\nInstructions per signed slash command with a never-asked-before question, in process "
          f"({args.requests} counted after {args.warmup} warm-up, callgrind)")
    print(f"{'handler':12} {'instructions':>14}")
    for side in (BOARDBOT, BARE):
        print(f"{side:12} {per[side]:14,.0f}")
    print(f"boardbot / bare Bolt: {per[BOARDBOT] / per[BARE]:.2f} x (HTTP parsing and writing, the same for both "
          "servers, left out)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
