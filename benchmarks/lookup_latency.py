"""Lookup latency, in process, and start-up to first answer.

    python benchmarks/lookup_latency.py

Prints p50/p99/max per lookup on the bundled protocols and on a synthetic 1,000 areas x
50 themes (goal: p99 under 1 ms), the time to build the index, and the wall time of
``boardbot ask`` from process start to answer on a warm and a cold database (goal: under 1 s).
"""

from __future__ import annotations

import asyncio
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.knowledge import Knowledge  # noqa: E402
from bot.messages import Actor, Request  # noqa: E402
from bot.router import handle  # noqa: E402
from bot.services import Services  # noqa: E402
from storage.protocol.loader import bundled_protocol_paths, load_protocol_file  # noqa: E402
from storage.protocol.schema import Protocol  # noqa: E402

QUESTIONS = [
    "who leads on CSE?", "which board is responsible for modern slavery?", "lead for FGM",
    "who leads on domestic violence?", "who is responsible for child sexual exploitaton?",
    "who takes the lead on prevent", "hate crimes", "who leads on anti-social behavior",
    "who leads on safeguarding", "board BSCB", "who chairs the adults board?", "who sits on the HWB?",
    "which boards does the Director of Children's Services sit on?", "protocol", "boards",
    "who leads on domestic violence in Buckinghamshire?", "who leads on looked after children?",
]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def report(label: str, samples: list[float]) -> None:
    ms = [s * 1000 for s in samples]
    print(f"{label:58} n={len(ms):6}  p50={statistics.median(ms):.3f} ms  p99={pct(ms, 99):.3f} ms  max={max(ms):.3f} ms")


async def time_lookups(services: Services, questions: list[tuple[str, str]], rounds: int, *, cached: bool = False) -> list[float]:
    """Per-lookup wall time. Uncached (the default) empties the router's answer cache before
    each question, outside the timing, so what is measured is the matching and the answer."""
    from bot import router

    actor = Actor("bench", "bench", "bench")
    out = []
    for _ in range(rounds):
        for area, q in questions:
            if not cached:
                router._CACHE.clear()
            t0 = time.perf_counter()
            await handle(Request(text=q, actor=actor, area=area), services)
            out.append(time.perf_counter() - t0)
    return out


def synthetic(protocols: list[Protocol], areas: int, themes: int) -> list[Protocol]:
    """``areas`` copies of the Buckinghamshire protocol, each with ``themes`` themes drawn
    from the seeds' vocabulary plus area-specific ones."""
    base = next(p for p in protocols if p.area.slug == "buckinghamshire")
    pool = [t for p in protocols for t in p.themes]
    seen, unique = set(), []
    for t in pool:
        if t.key not in seen:
            seen.add(t.key)
            unique.append(t)
    rng = random.Random(7)
    out = []
    for i in range(areas):
        chosen = rng.sample(unique, min(len(unique), themes // 2))
        extra = [
            t.model_copy(update={"key": f"local_{j}", "name": f"Local priority {j} of district {i}",
                                 "aliases": [f"district {i} priority {j}"]})
            for j, t in enumerate(rng.sample(unique, themes - len(chosen)))
        ]
        leads_ok = [t.model_copy(update={"leads": ["bscb"], "no_lead": None, "supporting": []}) for t in chosen + extra]
        out.append(base.model_copy(update={
            "area": base.area.model_copy(update={"slug": f"area-{i}", "name": f"Area {i}", "aliases": []}),
            "themes": leads_ok,
        }))
    return out


def cli_time(env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--area", "buckinghamshire", "who leads on CSE?"],
                   check=True, capture_output=True, env=env)
    return time.perf_counter() - t0


async def main() -> None:
    print(f"machine: {platform.node()} | {platform.processor() or platform.machine()} | {os.cpu_count()} cores | "
          f"Python {platform.python_version()} | {platform.platform()}")
    protocols = [load_protocol_file(p).protocol for p in bundled_protocol_paths()]
    t0 = time.perf_counter()
    knowledge = Knowledge(protocols)
    print(f"index build, bundled protocols (4 areas): {1000 * (time.perf_counter() - t0):.1f} ms")
    services = Services(knowledge=knowledge)
    qs = [(a, q) for a in knowledge.areas for q in QUESTIONS]
    await time_lookups(services, qs, 1)  # warm caches
    report("lookup, bundled data (all intents, 4 areas)", await time_lookups(services, qs, 30))
    report("lookup, bundled data, repeated question (answer cache)", await time_lookups(services, qs, 30, cached=True))

    big = synthetic(protocols, 1000, 50)
    t0 = time.perf_counter()
    big_knowledge = Knowledge(big)
    print(f"index build, synthetic 1,000 areas x 50 themes: {time.perf_counter() - t0:.2f} s")
    big_services = Services(knowledge=big_knowledge)
    rng = random.Random(11)
    sample = []
    for _ in range(3000):
        area = big[rng.randrange(len(big))]
        t = rng.choice(area.themes)
        phrase = rng.choice([t.name, *t.aliases]) if t.aliases else t.name
        sample.append((area.area.slug, rng.choice(["who leads on {}?", "lead for {}", "which board is responsible for {}"]).format(phrase)))
    await time_lookups(big_services, sample[:200], 1)
    report("lead lookup, synthetic 1,000 areas x 50 themes", await time_lookups(big_services, sample, 1))

    with tempfile.TemporaryDirectory() as d:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{d}/bench.db"}
        cold = cli_time(env)
        warm = [cli_time(env) for _ in range(5)]
    print(f"boardbot ask, process start to answer: cold (new database) {cold:.2f} s; warm median {statistics.median(warm):.2f} s")


if __name__ == "__main__":
    asyncio.run(main())
