"""How well boardbot understands the questions people type.

    python benchmarks/understanding.py                 # in process, the whole corpus
    python benchmarks/understanding.py --failures      # ... and list what went wrong
    python benchmarks/understanding.py --cli           # every single question through `boardbot ask --json`
    python benchmarks/understanding.py --only test     # one split
    python benchmarks/understanding.py --set heldout   # the held-out set (never tuned on)
    python benchmarks/understanding.py --set dev       # the development set (tuned on)
    python benchmarks/understanding.py --set probe     # the probe set (in other words again)
    python benchmarks/understanding.py --set unseen    # the unseen set (written last, never tuned on)

The corpus (benchmarks/understanding_corpus.yaml) holds natural questions over ten kinds
(who leads, who chairs, membership, meetings, reports, mutual challenge, information
sharing, the protocol itself, other facts, and traps the protocol is silent on) in all
four bundled areas, with follow-ups and places boardbot has no protocol for. Each item
carries its expected answer as checks on the JSON that ``boardbot ask --json`` prints:
the lead boards (or none), words the text must hold, the clause, "says the protocol
doesn't say", yes/no first, "no protocol for <place>".

The corpus is split into a dev part (tuned on) and a test part (only measured); the
figures are printed for both so over-fitting shows. In process, each question goes
through the same core and the same JSON rendering as ``boardbot ask --json``, with a
conversation of its own (follow-ups are asked in the conversation of the questions
before them). ``--cli`` runs each single question as a real process instead (follow-ups
are skipped there: one process is one question).

Printed: accuracy per kind, per area, overall, dev against test (the answer's checks;
separately whether the reported ``kind`` agrees), traps answered with a board, latency
per question (p50/p99) and ``boardbot ask`` from process start to answer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

CORPUS = Path(__file__).with_name("understanding_corpus.yaml")
# Further sets, each one split of its own: dev is tuned on, heldout is only ever measured.
SETS = {"corpus": CORPUS, "dev": Path(__file__).with_name("understanding_dev.yaml"),
        "heldout": Path(__file__).with_name("understanding_heldout.yaml"),
        # written after the held-out set, in other words again, and measured before any change it prompted
        "probe": Path(__file__).with_name("understanding_probe.yaml"),
        # written last, in wording kept apart from all the others: measured once, never tuned on
        "unseen": Path(__file__).with_name("understanding_unseen.yaml"),
        # a sixth, written after all five, apart from them all in wording and cases
        "latest": Path(__file__).with_name("understanding_latest.yaml"),
        # a seventh, written blind (before any answer was seen), the kinds other than leads given more room
        "blind": Path(__file__).with_name("understanding_blind.yaml")}
AREAS = {"cb": "central-bedfordshire", "sf": "suffolk", "bk": "buckinghamshire", "ln": "lancashire"}
SPLITS = ("dev", "test", "fresh", "heldout", "probe", "unseen", "latest", "blind")  # fresh: written after the matcher, to estimate how it generalises
KINDS = ("lead", "chair", "membership", "meeting", "report", "challenge", "sharing", "protocol", "other", "none")

# How an answer says the protocol is silent (or has not been entered yet). Deliberately broad:
# the check is that it is *said*, not how.
SILENT = re.compile(
    r"doesn[\u2019']?t (?:say|state|name|give|list|set out|mention|record)"
    r"|does not (?:say|state|name|give|list|set out|mention|record)"
    r"|names? no\b|not named|no one is named|nobody is named|states? no\b|gives? no\b|sets? out no\b"
    r"|not stated|not given|isn[\u2019']?t (?:stated|named|given)|is silent|says nothing"
    r"|no (?:\w+ ){0,4}(?:is |are )?(?:named|stated|given|set out)"
    r"|hasn[\u2019']?t been entered|not been entered|not (?:yet )?transcribed"
    r"|no protocol for",
    re.I,
)
YES_NO = re.compile(r"^\W*(yes|no)\b", re.I)


@dataclass
class Item:
    n: int
    split: str
    area: str
    kind: str
    q: str
    raw: dict[str, Any]
    before: list[str] = field(default_factory=list)

    @property
    def trap(self) -> bool:
        return self.kind == "none"


def load(only: str | None = None, which: str = "corpus") -> list[Item]:
    data = yaml.safe_load(SETS[which].read_text())
    out = []
    for n, raw in enumerate(data["items"], 1):
        if which != "corpus":
            raw.setdefault("s", which)
        if raw["k"] not in KINDS or raw["s"] not in SPLITS or raw["a"] not in AREAS:
            raise SystemExit(f"corpus item {n} is malformed: {raw}")
        if only and raw["s"] != only:
            continue
        out.append(Item(n, raw["s"], AREAS[raw["a"]], raw["k"], raw["q"], raw, list(raw.get("before", []))))
    return out


def check(item: Item, data: dict[str, Any]) -> list[str]:
    """What is wrong with the answer (empty: right). The reported kind is checked apart."""
    text = str(data.get("text") or "")
    low = text.lower()
    problems: list[str] = []
    raw = item.raw
    leads = {b.get("key") or b.get("short_name", "").lower() for b in (data.get("leads") or []) if isinstance(b, dict)}
    if item.trap:
        if leads:
            problems.append(f"trap answered with lead board(s) {sorted(leads)}")
        if not SILENT.search(text):
            problems.append("does not say the protocol is silent")
    if "leads" in raw and leads != set(raw["leads"]):
        problems.append(f"leads {sorted(leads)} != expected {sorted(raw['leads'])}")
    for w in raw.get("has", []):
        if str(w).lower() not in low:
            problems.append(f"missing {w!r}")
    for alts in raw.get("any", []):
        if not any(str(a).lower() in low for a in alts):
            problems.append(f"missing any of {alts}")
    for w in raw.get("not", []):
        if str(w).lower() in low:
            problems.append(f"must not say {w!r}")
    if raw.get("silent") and not SILENT.search(text):
        problems.append("does not say the protocol is silent")
    if "yn" in raw:
        m = YES_NO.match(text)
        want = "yes" if raw["yn"] else "no"
        if not m or m.group(1).lower() != want:
            problems.append(f"does not begin with {want!r}")
    if raw.get("np"):
        if not re.search(rf"no protocol for (?:the )?{re.escape(raw['np'])}", text, re.I):
            problems.append(f"does not say there is no protocol for {raw['np']}")
    if raw.get("clause"):
        clauses = [str((s or {}).get("clause", "")) for s in (data.get("sources") or [])]
        src = data.get("source") or {}
        clauses.append(str(src.get("clause", "")) if isinstance(src, dict) else "")
        if not any(raw["clause"].lower() in c.lower() for c in clauses) and raw["clause"].lower() not in low:
            problems.append(f"does not cite {raw['clause']!r}")
    return problems


def kind_agrees(item: Item, data: dict[str, Any]) -> bool | None:
    """None where the kind is not checked (traps and places with no protocol)."""
    if item.trap or item.raw.get("np"):
        return None
    return data.get("kind") == item.kind


# --------------------------------------------------------------------------- running


class InProcess:
    """The core behind `boardbot ask --json`, without the process start."""

    def __init__(self) -> None:
        from bot.knowledge import Knowledge
        from bot.services import Services
        from storage.protocol.loader import bundled_protocol_paths, load_protocol_file

        protocols = [load_protocol_file(p).protocol for p in bundled_protocol_paths()]
        self.services = Services(knowledge=Knowledge(protocols))
        self.latencies: list[float] = []

    def _actor(self, area: str, who: str | None):
        from bot.identity import roles_for
        from bot.messages import Actor

        roles: frozenset[str] = frozenset()
        if who:
            roles = roles_for(self.services.knowledge.area(area), who)
        name = who or "you"
        return Actor.holding("console", "console", f"console:{name}", name, area=area, roles=roles - {"admin"},
                             admin="admin" in roles)

    async def ask(self, item: Item) -> dict[str, Any]:
        from bot.messages import Request
        from bot.platforms.console.terminal import as_json
        from bot.router import handle

        actor = self._actor(item.area, item.raw.get("as"))
        conversation = f"bench:{uuid.uuid4().hex}"
        extra = {"conversation": conversation} if "conversation" in Request.__dataclass_fields__ else {}
        for q in item.before:
            await handle(Request(text=q, actor=actor, area=item.area, platform="console", **extra), self.services)
        t0 = time.perf_counter()
        reply = await handle(Request(text=item.q, actor=actor, area=item.area, platform="console", **extra), self.services)
        self.latencies.append(time.perf_counter() - t0)
        return json.loads(as_json(reply))


class ThroughCli:
    """Each question as a real `boardbot ask --json` process."""

    def __init__(self, db_dir: str) -> None:
        self.env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_dir}/bench.db"}
        self.latencies: list[float] = []
        subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--area", "suffolk", "help"], env=self.env,
                       capture_output=True, check=False)  # migrate + import once, outside the timing

    async def ask(self, item: Item) -> dict[str, Any]:
        cmd = [sys.executable, "-m", "bot.cli", "ask", "--json", "--area", item.area]
        if item.raw.get("as"):
            cmd += ["--as", item.raw["as"]]
        t0 = time.perf_counter()
        out = await asyncio.to_thread(subprocess.run, [*cmd, item.q], env=self.env, capture_output=True, text=True, check=False)
        self.latencies.append(time.perf_counter() - t0)
        try:
            return json.loads(out.stdout)
        except json.JSONDecodeError:
            return {"text": out.stdout + out.stderr}


def process_start_to_answer(samples: int = 7) -> list[float]:
    questions = ["who leads on CSE?", "is the DPH on the LSCB?", "what happens if our written request gets no answer?",
                 "who leads on domestic abuse in Kent?", "how often does the practice and performance group meet"]
    out = []
    with tempfile.TemporaryDirectory() as d:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{d}/start.db"}
        subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--area", "buckinghamshire", "help"], env=env,
                       capture_output=True, check=False)
        for i in range(samples):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--json", "--area", "central-bedfordshire",
                            questions[i % len(questions)]], env=env, capture_output=True, check=False)
            out.append(time.perf_counter() - t0)
    return out


# --------------------------------------------------------------------------- report


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def table(title: str, rows: dict[str, dict[str, list[bool]]], order: list[str], splits: tuple[str, ...]) -> None:
    print(f"\n{title}")
    print(f"  {'':22} " + " ".join(f"{s:>12}" for s in splits))
    for key in order:
        cells = []
        for split in splits:
            r = rows[key][split]
            cells.append(f"{sum(r)}/{len(r)} {100 * sum(r) / len(r):3.0f}%" if r else "-")
        print(f"  {key:22} " + " ".join(f"{c:>12}" for c in cells))


async def run(args: argparse.Namespace) -> int:
    items = load(args.only, args.set)
    splits = (*[s for s in SPLITS if any(i.split == s for i in items)], "all")
    if args.cli:
        tmp = tempfile.TemporaryDirectory()
        runner: Any = ThroughCli(tmp.name)
        skipped = [i for i in items if i.before]
        items = [i for i in items if not i.before]
        if skipped:
            print(f"(--cli: {len(skipped)} follow-ups skipped: one process answers one question)")
    else:
        runner = InProcess()
    by_kind: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    by_area: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    by_tag: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    overall: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    kinds: dict[str, list[bool]] = defaultdict(list)
    failures: list[tuple[Item, list[str], dict[str, Any]]] = []
    trap_boards = Counter()
    for item in items:
        data = await runner.ask(item)
        problems = check(item, data)
        ok = not problems
        agrees = kind_agrees(item, data)
        for split in (item.split, "all"):
            by_kind[item.kind][split].append(ok)
            by_area[item.area][split].append(ok)
            overall["answer right"][split].append(ok)
            if agrees is not None:
                overall["kind agrees"][split].append(agrees)
                overall["answer and kind right"][split].append(ok and agrees)
            else:
                overall["answer and kind right"][split].append(ok)
            for tag in item.raw.get("tags", []):
                by_tag[tag][split].append(ok)
        if agrees is not None:
            kinds[item.kind].append(agrees)
        if item.trap and data.get("leads"):
            trap_boards[item.split] += 1
        if problems:
            failures.append((item, problems, data))

    print(f"machine: {platform.node()} | {platform.processor() or platform.machine()} | {os.cpu_count()} cores | "
          f"Python {platform.python_version()} | {platform.platform()}")
    print(f"{SETS[args.set].name}: {len(items)} questions (" + ", ".join(
          f"{sum(i.split == s for i in items)} {s}" for s in splits if s != "all") + "); "
          f"{'through boardbot ask --json' if args.cli else 'in process'}")
    table("Accuracy per kind (answer right)", by_kind, [k for k in KINDS if k in by_kind], splits)
    table("Accuracy per area", by_area, sorted(by_area), splits)
    table("By what the question exercises", by_tag, sorted(by_tag), splits)
    table("Overall", overall, ["answer right", "kind agrees", "answer and kind right"], splits)
    print("\nReported kind agrees, per kind: " + ", ".join(
        f"{k} {sum(v)}/{len(v)}" for k, v in sorted(kinds.items())))
    print("Traps answered with a lead board: " + ", ".join(f"{s} {trap_boards[s]}" for s in splits if s != "all"))
    lat = [x * 1000 for x in runner.latencies]
    if lat:
        print(f"\nLatency per question ({'process' if args.cli else 'in process, core to JSON'}): "
              f"p50 {statistics.median(lat):.2f} ms, p99 {pct(lat, 99):.2f} ms, max {max(lat):.2f} ms")
    if not args.no_start:
        starts = process_start_to_answer()
        print(f"boardbot ask, process start to answer (warm database): median {statistics.median(starts):.2f} s, "
              f"max {max(starts):.2f} s over {len(starts)} runs")
    if args.failures:
        print(f"\nFailures ({len(failures)}):")
        for item, problems, data in failures:
            if args.failures_split and item.split != args.failures_split:
                continue
            first = str(data.get("text") or "").splitlines()[:2]
            print(f"- [{item.split} {item.kind} {item.area}] {' -> '.join([*item.before, item.q])}")
            print(f"    {'; '.join(problems)} | kind={data.get('kind')} | " + " / ".join(first)[:220])
    if args.json:
        rows = [{"n": i.n, "split": i.split, "kind": i.kind, "area": i.area, "q": i.q, "problems": p} for i, p, _ in failures]
        await asyncio.to_thread(Path(args.json).write_text, json.dumps(rows, indent=1))
    return 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cli", action="store_true", help="run every single question as a `boardbot ask --json` process")
    ap.add_argument("--set", choices=list(SETS), default="corpus",
                    help="which question set: the corpus (default), dev (tuned on) or heldout (only measured)")
    ap.add_argument("--only", choices=list(SPLITS), help="one split only")
    ap.add_argument("--failures", action="store_true", help="list the failing questions and why")
    ap.add_argument("--failures-split", choices=list(SPLITS), help="list failures of one split only")
    ap.add_argument("--no-start", action="store_true", help="skip the process start-to-answer timing")
    ap.add_argument("--json", metavar="FILE", help="write the failures as JSON")
    sys.exit(asyncio.run(run(ap.parse_args())))


if __name__ == "__main__":
    main()
