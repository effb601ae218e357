"""CPU per never-asked-before question inside boardbot, without HTTP: what boardbot adds to a platform SDK's own cost.

    python benchmarks/core_cpu.py [--questions 1000] [--rounds 5]

The throughput benchmarks (``slack_throughput.py``, ``teams_throughput.py``) measure whole
servers, where the load generator and whatever else runs share the cores. This one measures,
in one process on a fresh SQLite database with the four bundled areas, the CPU time
(``time.process_time``) per question of:

- **normalising** the words (``bot.language.normalise.tokens``): the least any reading of a
  question costs, the baseline the others are given as a ratio of;
- **understanding** it (``bot.language.understand.understand``: area, names, kind, theme);
- **answering** it (``bot.router.handle``: understanding, the answer, the review note; a
  conversation per person, as on Slack);
- **rendering** the answer as Slack Block Kit (``bot.platforms.slack.blocks.message``), a
  Teams Adaptive Card (``bot.platforms.teams.cards.reply_card``) and terminal text.

Each round takes questions never asked before in the run (lead questions in a dozen
phrasings over every theme name and alias of the bundled protocols, as the throughput
benchmarks send), so no answer kept for the same words helps (a theme asked of in other words
before is answered from what its meaning got then, as in a server; ``--by-words`` turns that
off, to show what working out every answer costs); the figure is the fastest round's (the
least disturbed by other work on the machine), with the median beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import load_now, machine, new_questions  # noqa: E402


def per_item(rounds: Sequence[Sequence[Any]], fn: Callable[[Any], Any]) -> tuple[float, float]:
    """(fastest, median) CPU milliseconds per item of ``fn`` over each round's items."""
    times = []
    for items in rounds:
        t0 = time.process_time()
        for item in items:
            fn(item)
        times.append((time.process_time() - t0) / len(items) * 1000)
    return min(times), statistics.median(times)


async def per_item_async(rounds: Sequence[Sequence[Any]], fn: Callable[[Any], Any]) -> tuple[list[Any], float, float]:
    """Like :func:`per_item` for a coroutine function; also returns every result, in order."""
    out, times = [], []
    for items in rounds:
        t0 = time.process_time()
        for item in items:
            out.append(await fn(item))
        times.append((time.process_time() - t0) / len(items) * 1000)
    return out, min(times), statistics.median(times)


async def run(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="boardbot-core-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'boardbot.db'}"
    from bot.bootstrap import open_services
    from bot.config import from_env
    from bot.language.normalise import tokens
    from bot.language.understand import understand
    from bot.messages import Actor, Request
    from bot.platforms.console.terminal import render
    from bot.platforms.slack.blocks import message
    from bot.platforms.teams.cards import reply_card
    from bot.router import handle

    if args.by_words:
        from bot.commands import questions

        questions.lead_meaning = lambda ctx, u: None  # every answer worked out, as if never asked in other words
    services = await open_services(from_env())
    knowledge = services.knowledge
    area = "buckinghamshire"
    n, warm = args.questions, 200
    pool = new_questions(warm + 3 * args.rounds * n)
    warmup, rest = pool[:warm], pool[warm:]
    chunks = [rest[i * n:(i + 1) * n] for i in range(3 * args.rounds)]
    reading, understanding, answering = chunks[:args.rounds], chunks[args.rounds:2 * args.rounds], chunks[2 * args.rounds:]
    actor = Actor(platform="slack", workspace="T0BENCH", user_id="U0BENCH", display_name="bench")

    def request(i_q: tuple[int, str]) -> Request:
        i, q = i_q
        return Request(text=q, actor=actor, area=area, platform="slack", channel="C0BENCH", request_id=f"bench:{i}:{q}",
                       conversation=f"slack:T0BENCH:C0BENCH:U{i % 50}")

    for i, q in enumerate(warmup):  # imports, indexes, caches of the protocol itself
        message(await handle(request((i, q)), services))
        understand(q, knowledge, area_slug=area)

    figures = {"normalising the words (baseline)": per_item(reading, tokens)}
    figures["understanding"] = per_item(understanding, lambda q: understand(q, knowledge, area_slug=area))
    numbered = [[(i * n + j, q) for j, q in enumerate(chunk)] for i, chunk in enumerate(answering)]
    replies, fastest, median = await per_item_async(numbered, lambda iq: handle(request(iq), services))
    figures["answering (understanding, answer, review note)"] = (fastest, median)
    by_round = [replies[i * n:(i + 1) * n] for i in range(args.rounds)]
    figures["rendering for Slack (Block Kit)"] = per_item(by_round, message)
    figures["rendering for Teams (Adaptive Card)"] = per_item(by_round, lambda r: reply_card(r, area=area))
    figures["rendering for the terminal"] = per_item(by_round, render)
    await services.close()

    base = figures["normalising the words (baseline)"][0]
    print(f"{machine()}\n\nCPU per never-asked-before question, in process ({args.rounds} rounds of {n}, "
          f"fastest round and median); load average now {load_now()}")
    print(f"{'step':48} {'ms (fastest)':>12} {'ms (median)':>12} {'x baseline':>11}")
    for name, (fast, med) in figures.items():
        print(f"{name:48} {fast:12.3f} {med:12.3f} {fast / base:11.1f}")
    slack = figures["answering (understanding, answer, review note)"][0] + figures["rendering for Slack (Block Kit)"][0]
    print(f"\na new question answered for Slack costs {slack:.3f} ms of CPU here, before any HTTP "
          "(benchmarks/slack_throughput.py prints bare Bolt's CPU for verify + ack on the same machine)")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--questions", type=int, default=1000, help="questions per round")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--by-words", action="store_true", help="work out every answer (no answer by meaning)")
    asyncio.run(run(p.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
