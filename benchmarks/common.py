"""What the benchmarks share: the machine line, ports, /proc readings, synthetic areas.

Every benchmark prints :func:`machine` first (cores, CPU model, load average at the start)
and compares against a baseline measured in the same run, in alternating rounds: on a
small shared machine absolute figures move with whatever else runs, ratios much less.
"""

from __future__ import annotations

import functools
import os
import platform
import random
import socket
import sqlite3
import statistics
import subprocess
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def machine() -> str:
    """nproc, CPU model, Python, kernel, SQLite and the load average now."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "unknown"
    return (f"{platform.machine()}, nproc {len(os.sched_getaffinity(0))} ({os.cpu_count()} cores, {cpu}), "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}, "
            f"SQLite {sqlite3.sqlite_version}, load average {load}")


def load_now() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(xs: Iterable[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    return xs[min(len(xs) - 1, int(p / 100 * len(xs)))]


def median(xs: Iterable[float]) -> float:
    xs = list(xs)
    return statistics.median(xs) if xs else float("nan")


def span(xs: Iterable[float], fmt: str = "{:.2f}") -> str:
    """``min–max`` of a few rounds, or the one value."""
    xs = sorted(xs)
    if not xs:
        return "-"
    if len(xs) == 1 or fmt.format(xs[0]) == fmt.format(xs[-1]):
        return fmt.format(xs[0])
    return f"{fmt.format(xs[0])}–{fmt.format(xs[-1])}"


# --- questions nobody asked before ------------------------------------------------------------------

_TEMPLATES = (
    "who leads on {}?", "who is the lead for {}", "which board is responsible for {}?", "who takes the lead on {}",
    "lead for {}", "who leads on {} please?", "which board leads on {}", "who is responsible for {}?",
    "who's the lead on {}?", "who should I talk to about {}?", "{} - who leads?", "who owns {}?",
)


def new_questions(n: int, seed: int = 3) -> list[str]:
    """``n`` different lead questions over the bundled protocols' theme names and aliases
    (shuffled; different texts, so no answer cache can have seen them before in a run)."""
    from storage.protocol.loader import bundled_protocol_paths, load_protocol_file

    phrases: list[str] = []
    for path in bundled_protocol_paths():
        for t in load_protocol_file(path).protocol.themes:
            phrases.extend((t.name, *t.aliases))
    phrases = list(dict.fromkeys(phrases))
    out = [tpl.format(p) for p in phrases for tpl in _TEMPLATES]
    variants = ("", " thanks", " (asking for a colleague)", " today", " again")
    rng = random.Random(seed)
    rng.shuffle(out)
    if n > len(out):
        out = [q + v for v in variants for q in out]
    return out[:n]


# --- synthetic areas --------------------------------------------------------------------------------


def synthetic_protocols(areas: int, *, local_themes: int = 10, seed: int = 7) -> list[Any]:
    """``areas`` protocols, copies of the four bundled ones in turn, each renamed (slug
    ``synthetic-N``) and given ``local_themes`` themes of its own, so the shared vocabulary
    grows with the areas as a national deployment's would."""
    from storage.protocol.loader import bundled_protocol_paths, load_protocol_file

    bundled = [load_protocol_file(p).protocol for p in bundled_protocol_paths()]
    rng = random.Random(seed)
    words = ("county lines", "youth violence", "exploitation", "transitions", "neglect", "housing", "knife crime",
             "online harm", "carers", "loneliness", "self harm", "hoarding", "scams", "radicalisation")
    out = []
    for i in range(areas):
        base = bundled[i % len(bundled)]
        template = base.themes[0]
        extra = [
            template.model_copy(update={
                "key": f"local_{i}_{j}", "name": f"{rng.choice(words).title()} in district {i} ({j})",
                "aliases": [f"district {i} priority {j}"],
            })
            for j in range(local_themes)
        ]
        out.append(base.model_copy(update={
            "area": base.area.model_copy(update={"slug": f"synthetic-{i}", "name": f"Synthetic {i}", "aliases": []}),
            "themes": [*base.themes, *extra],
        }))
    return out


async def import_synthetic(url: str, protocols: list[Any]) -> None:
    """Store ``protocols`` as current revisions (bulk: one transaction), the way an import leaves them."""
    import hashlib
    import json

    from storage.protocol.loader import LoadedProtocol
    from storage.revisions import import_protocol
    from storage.store import Store

    store = await Store.open(url)
    try:
        async with store.session() as s:
            for p in protocols:
                text = json.dumps(p.model_dump(mode="json"))
                await import_protocol(s, LoadedProtocol(p, text, hashlib.sha256(text.encode()).hexdigest(),
                                                        f"{p.area.slug}.yaml"), origin="import", imported_by="bench")
            await s.commit()
    finally:
        await store.close()


# --- driving a server under test ---------------------------------------------------------------------


@dataclass
class Result:
    """What one load run against one server measured."""

    name: str
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    requests: int = 0
    errors: int = 0
    first_error: str = ""
    cpu: float = 0.0  # server CPU seconds spent on these requests

    def add(self, other: Result) -> None:
        self.latencies += other.latencies
        self.seconds += other.seconds
        self.requests += other.requests
        self.errors += other.errors
        self.cpu += other.cpu
        self.first_error = self.first_error or other.first_error

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        """The ``p``th percentile latency, in milliseconds."""
        return pct(self.latencies, p) * 1000 if self.latencies else float("nan")


def pin(procs: Mapping[str, subprocess.Popen]) -> str:
    """Servers on one CPU and the load (this process) on the others, where there are two or more:
    the servers then never compete with the load for a core, nor move between cores. Says what
    was done, for the report."""
    cpus = _cpus()
    if len(cpus) < 2:
        return "not pinned (one CPU)"
    server, load = cpus[-1], set(cpus[:-1])
    for proc in procs.values():
        for tid in _threads(proc.pid):  # every thread the server has started so far (later ones inherit)
            os.sched_setaffinity(tid, {server})
    for tid in _threads(os.getpid()):
        os.sched_setaffinity(tid, load)
    return f"servers pinned to CPU {server}, load to CPU {', '.join(map(str, sorted(load)))}"


@functools.cache
def _cpus() -> list[int]:
    """The CPUs this process could use when first asked (pinning the load narrows its own set)."""
    return sorted(os.sched_getaffinity(0))


def _threads(pid: int) -> list[int]:
    try:
        return [int(t) for t in os.listdir(f"/proc/{pid}/task")]
    except FileNotFoundError:
        return [pid]


async def alternating(procs: Mapping[str, subprocess.Popen], *, rounds: int, warmup: int, requests: int,
                      run: Callable[[str, int], Awaitable[Result]]) -> dict[str, Result]:
    """Each server warmed up, then measured in alternating rounds (so a change in the machine's
    load falls on every server alike): ``run(name, n)`` sends ``n`` requests to server ``name``;
    each round's server CPU seconds (from /proc) are added to its total. The servers are pinned
    to one CPU and the load to the others first (:func:`pin`)."""
    print(pin(procs))
    totals = {name: Result(name) for name in procs}
    for name in procs:  # imports, caches, connections
        await run(name, warmup)
    for _ in range(rounds):
        for name, proc in procs.items():
            before = cpu_seconds(proc.pid)
            r = await run(name, requests)
            r.cpu = cpu_seconds(proc.pid) - before
            totals[name].add(r)
    return totals


def print_table(totals: Mapping[str, Result], rss: Mapping[str, float], unit: str = "req") -> None:
    """One line per server: throughput, latency, errors, memory and CPU per request (or message)."""
    print(f"{'server':28} {unit + '/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7} {'RSS MB':>7} "
          f"{'CPU ms/' + unit:>10}")
    for name, r in totals.items():
        print(f"{name:28} {r.rps:8.0f} {r.pct(50):8.1f} {r.pct(99):8.1f} {max(r.latencies, default=0) * 1000:8.1f} "
              f"{r.errors:7d} {rss[name]:7.1f} {r.cpu / r.requests * 1000 if r.requests else 0:10.3f}")
        if r.first_error:
            print(f"  first error: {r.first_error}")


# One request: its body and headers, and a check of the answer (status, body) -> an error, or "" if it is good.
Request = tuple[bytes, dict[str, str], Callable[[int, str], str]]


async def drive(name: str, url: str, total: int, concurrency: int, request: Callable[[int], Request]) -> Result:
    """POST ``total`` requests (``request(n)`` builds the n-th) to ``url`` from ``concurrency``
    workers over keep-alive connections, timing each and checking each answer."""
    import asyncio
    import time

    import aiohttp

    result = Result(name)
    counter = iter(range(total))

    async def worker(session: aiohttp.ClientSession) -> None:
        for n in counter:
            body, headers, check = request(n)
            t0 = time.perf_counter()
            try:
                async with session.post(url, data=body, headers=headers) as resp:
                    problem = check(resp.status, await resp.text())
            except aiohttp.ClientError as exc:
                problem = repr(exc)
            result.latencies.append(time.perf_counter() - t0)
            result.requests += 1
            result.errors += bool(problem)
            result.first_error = result.first_error or problem

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        result.seconds = time.perf_counter() - t0
    return result


class ServerDied(RuntimeError):
    """A server under test exited or never answered (its log says why)."""


async def wait_until_up(url: str, proc: subprocess.Popen, what: str, *, ok_status: int = 500,
                        within: float = 60.0) -> None:
    """Poll ``url`` until the server answers below ``ok_status``; stop if it exits first."""
    import asyncio
    import time

    import aiohttp

    deadline = time.monotonic() + within
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise ServerDied(f"{what} exited with {proc.returncode}")
            try:
                async with session.get(url) as resp:
                    if resp.status < ok_status:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise ServerDied(f"{what} did not come up within {within:.0f}s")
