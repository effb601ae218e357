"""Draft protocol documents and score each draft against its answer key, field by field.

    python benchmarks/drafting.py              the five seed documents (Central Bedfordshire's
                                               000 + 003 behind one area), our own corpus and the development set
    python benchmarks/drafting.py --seeds      only the seeds
    python benchmarks/drafting.py --corpus     only benchmarks/drafting_corpus/
    python benchmarks/drafting.py --dev        only benchmarks/drafting_dev/: protocols of other
                                               areas the drafter is developed against
    python benchmarks/drafting.py --heldout    only benchmarks/drafting_heldout/: protocols of other
                                               areas written before the drafter was scored on
                                               them and never used to tune it
    python benchmarks/drafting.py --fresh      only benchmarks/drafting_fresh/: a second held-out
                                               set of other areas, written later and by another hand
    python benchmarks/drafting.py --formats    the seeds re-rendered as Word and PDF from the
                                               drafter's own reading of them (needs fpdf2, a
                                               test extra): the same words in other formats
    python benchmarks/drafting.py -v           also list what was missed and what was extra

The answer keys are protocol files: for the seeds, the bundled files in
storage/protocol/data/; for the corpus, the development and the held-out sets, ``<name>.key.yaml``
beside each document. Each
document is drafted exactly as ``boardbot protocol draft SOURCE --out FILE.yaml`` does,
and the written file is loaded back before scoring.

Matching rules (decided here, applied the same to every document):

- boards: only boards party to the protocol (``party: true``) are scored. A drafted board
  matches a key board of the same kind whose short name equals its short name or one of its
  aliases (case and punctuation ignored), or whose full name is a fuzzy match
  (rapidfuzz token_set_ratio >= 85). Matching is one to one, best first. A drafted board
  matching a key board with ``party: false``, or nothing at all, is a false positive, and
  is also counted apart as "bodies drafted as parties that are not".
- chairs: each named chair is (board, person); an unnamed chair is (board, title). A
  drafted chair matches a key chair on the same (matched) board whose name is a fuzzy match
  (>= 85), or, both unnamed, whose title is (>= 80). Co-chairs are each a chair.
- themes: a drafted theme matches a key theme when its name or any alias is a fuzzy match
  (token_set_ratio >= 80, or partial_ratio >= 90 for names of 4+ letters) for the key
  theme's name or any alias; one to one, best score first.
- leads: one item per theme: (theme, the set of lead boards) or (theme, "no single lead").
  A drafted item is right when its theme matched and the lead sets are equal after mapping
  drafted boards to key boards.
- ladder steps: the rungs' kinds, compared as multisets (a written request, an agenda item,
  a chairs' meeting, a resolution meeting ...). A protocol that names no steps has none.
- meetings: a drafted meeting matches a key meeting of the same cadence whose boards
  overlap (Jaccard >= 0.5 on matched boards) or whose title is a fuzzy match (>= 70).
- reports: every (report, from board, recipient) triple; recipients are matched boards or,
  for bodies that are not parties, their names (fuzzy >= 80). A triple matches when the
  from board and recipient are equal and the report names are a fuzzy match (>= 70).
- review: one item, the rule (and the next review date where the key gives one); a key
  whose rule is "unspecified" is matched by a draft that marks the review not transcribed.

Weighted F1: boards 3, leads 2, themes 2, ladder 2, chairs 1, meetings 1, reports 1,
review 1, over the fields where the key or the draft has anything.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage.protocol.loader import load_protocol_file  # noqa: E402

SEEDS = Path("/work/shared/seeds") if Path("/work/shared/seeds").is_dir() else ROOT.parent / "shared" / "seeds"
DATA = ROOT / "storage" / "protocol" / "data"
CORPUS = Path(__file__).resolve().parent / "drafting_corpus"
HELDOUT = Path(__file__).resolve().parent / "drafting_heldout"
FRESH = Path(__file__).resolve().parent / "drafting_fresh"
DEV = Path(__file__).resolve().parent / "drafting_dev"
SEED_AREAS = {
    "central-bedfordshire": ["000_6088000c00995659.txt", "003_68feb11e5b6c7078.txt"],
    "suffolk": ["001_f2c88493c02e4f93.txt"],
    "buckinghamshire": ["002_3d7253e4d784d0af.txt"],
    "lancashire": ["004_71b0744a30f3eaf0.txt"],
}
WEIGHTS = {"boards": 3, "chairs": 1, "themes": 2, "leads": 2, "ladder": 2, "meetings": 1, "reports": 1, "review": 1}


def norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (s or "").lower().replace("&", " and ")).strip()


def chairs_of(board) -> list:
    """Every chair of a board once: format 2 lists them all in ``chairs`` (``chair`` is its first)."""
    out = [board.chair] if getattr(board, "chair", None) is not None else []
    for f in ("chairs", "co_chairs"):
        out.extend(c for c in getattr(board, f, None) or [] if c not in out)
    return out


class Score:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0
        self.missed: list[str] = []
        self.extra: list[str] = []

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    @property
    def empty(self) -> bool:
        return self.tp + self.fp + self.fn == 0


def one_to_one(drafted, keyed, score_fn, threshold):
    pairs = []
    for i, d in enumerate(drafted):
        for j, k in enumerate(keyed):
            s = score_fn(d, k)
            if s >= threshold:
                pairs.append((s, i, j))
    pairs.sort(reverse=True)
    used_d, used_k, out = set(), set(), {}
    for _s, i, j in pairs:
        if i in used_d or j in used_k:
            continue
        used_d.add(i)
        used_k.add(j)
        out[i] = j
    return out


def score(draft, key) -> tuple[dict[str, Score], int]:
    s = {f: Score() for f in WEIGHTS}
    key_party = [b for b in key.boards if b.party]
    key_all = list(key.boards)

    def board_match(d, k) -> float:
        if d.kind != k.kind and not (d.kind == "other" or k.kind == "other"):
            return 0
        dn = {norm(d.short_name), *map(norm, d.aliases)}
        kn = {norm(k.short_name), *map(norm, k.aliases)}
        if norm(d.short_name) in kn or norm(k.short_name) in dn:
            return 100 + (d.kind == k.kind)
        return fuzz.token_set_ratio(norm(d.name), norm(k.name)) if d.kind == k.kind else 0

    m = one_to_one(draft.boards, key_all, board_match, 85)
    bmap = {draft.boards[i].key: key_all[j].key for i, j in m.items()}
    not_parties = 0
    tp = 0
    for i, b in enumerate(draft.boards):
        k = key_all[m[i]] if i in m else None
        if k is not None and k.party:
            tp += 1
        else:
            not_parties += 1
            s["boards"].extra.append(b.name)
    s["boards"].add(tp, len(draft.boards) - tp, len(key_party) - tp)
    matched_keys = {key_all[j].key for j in m.values()}
    s["boards"].missed += [b.name for b in key_party if b.key not in matched_keys]

    # chairs
    def chair_items(p, mapping=None):
        items = []
        for b in p.boards:
            if not b.party:
                continue
            bk = mapping.get(b.key) if mapping is not None else b.key
            for c in chairs_of(b):
                items.append((bk, c.name, c.title))
        return items

    dc, kc = chair_items(draft, bmap), chair_items(key)
    cm = one_to_one(dc, kc, lambda d, k: 0 if d[0] != k[0] else (
        fuzz.token_set_ratio(norm(d[1]), norm(k[1])) if d[1] and k[1] else
        fuzz.token_set_ratio(norm(d[2]), norm(k[2])) if not d[1] and not k[1] else 0), 80)
    s["chairs"].add(len(cm), len(dc) - len(cm), len(kc) - len(cm))
    s["chairs"].missed += [f"{k[0]}: {k[1] or k[2]}" for j, k in enumerate(kc) if j not in cm.values()]
    s["chairs"].extra += [f"{d[0]}: {d[1] or d[2]}" for i, d in enumerate(dc) if i not in cm]

    # themes and leads
    def names(t):
        return [t.name, *t.aliases]

    def theme_match(d, k):
        best = 0
        for a in names(d):
            for b in names(k):
                na, nb = norm(re.sub(r"\(.*?\)", "", a)) or norm(a), norm(re.sub(r"\(.*?\)", "", b)) or norm(b)
                sc = fuzz.token_set_ratio(na, nb)
                if min(len(na), len(nb)) >= 4 and fuzz.partial_ratio(na, nb) >= 90 and min(len(na), len(nb)) / max(len(na), len(nb)) > 0.4:
                    sc = max(sc, 90)
                best = max(best, sc)
        return best

    tm = one_to_one(draft.themes, key.themes, theme_match, 80)
    s["themes"].add(len(tm), len(draft.themes) - len(tm), len(key.themes) - len(tm))
    s["themes"].missed += [t.name for j, t in enumerate(key.themes) if j not in tm.values()]
    s["themes"].extra += [t.name for i, t in enumerate(draft.themes) if i not in tm]
    right = 0
    for i, j in tm.items():
        d, k = draft.themes[i], key.themes[j]
        dl = frozenset(bmap.get(x, "?" + x) for x in d.leads) or "none"
        kl = frozenset(k.leads) or "none"
        if dl == kl:
            right += 1
        else:
            s["leads"].extra.append(f"{d.name}: {sorted(dl) if dl != 'none' else 'no lead'} (key: {sorted(kl) if kl != 'none' else 'no lead'})")
    s["leads"].add(right, len(draft.themes) - right, len(key.themes) - right)

    # ladder
    def kinds(p):
        if p.challenge is None or not p.challenge.named:
            return []
        return [r.kind for r in p.challenge.ladder]

    dk, kk = kinds(draft), kinds(key)
    common = sum(min(dk.count(x), kk.count(x)) for x in set(dk) | set(kk))
    s["ladder"].add(common, len(dk) - common, len(kk) - common)

    # meetings
    def meet_match(d, k):
        if d.cadence != k.cadence:
            return 0
        db = {bmap.get(x) for x in d.boards} - {None}
        kb = set(k.boards)
        jac = len(db & kb) / len(db | kb) if db | kb else 0
        return max(100 if jac >= 0.5 else 0, fuzz.token_set_ratio(norm(d.title), norm(k.title)))

    mm = one_to_one(draft.meetings, key.meetings, meet_match, 70)
    s["meetings"].add(len(mm), len(draft.meetings) - len(mm), len(key.meetings) - len(mm))
    s["meetings"].missed += [m_.title for j, m_ in enumerate(key.meetings) if j not in mm.values()]
    s["meetings"].extra += [m_.title for i, m_ in enumerate(draft.meetings) if i not in mm]

    # reports
    key_names = {b.key: b for b in key.boards}

    def triples(p, mapping=None):
        out = []
        for r in p.reports:
            frm = (mapping.get(r.from_board, "?") if mapping is not None else r.from_board) if r.from_board else norm(r.by or "")
            for t in r.to_boards:
                out.append((r.report, frm, ("board", mapping.get(t, "?" + t) if mapping is not None else t)))
            for o in r.to_others:
                out.append((r.report, frm, ("other", norm(o))))
        return out

    def recipient_eq(a, b):
        if a == b:
            return True
        # a body the key lists as a non-party board may be drafted as a named recipient
        for x, y in ((a, b), (b, a)):
            if x[0] == "board" and y[0] == "other" and x[1] in key_names:
                kb = key_names[x[1]]
                if any(fuzz.token_set_ratio(norm(n), y[1]) >= 85 for n in [kb.name, kb.short_name, *kb.aliases]):
                    return True
        return a[0] == b[0] == "other" and fuzz.token_set_ratio(a[1], b[1]) >= 80

    def from_eq(d, k):
        if d == k:
            return True
        if k in key_names and not key_names[k].party:  # a non-party body drafted by name
            kb = key_names[k]
            return any(fuzz.token_set_ratio(norm(n), d) >= 85 for n in [kb.name, kb.short_name, *kb.aliases])
        return False

    dt_, kt = triples(draft, bmap), triples(key)
    rm = one_to_one(dt_, kt, lambda d, k: fuzz.token_set_ratio(norm(d[0]), norm(k[0])) if from_eq(d[1], k[1]) and recipient_eq(d[2], k[2]) else 0, 70)
    s["reports"].add(len(rm), len(dt_) - len(rm), len(kt) - len(rm))
    s["reports"].missed += [f"{k[0]} ({k[1]} → {k[2][1]})" for j, k in enumerate(kt) if j not in rm.values()][:15]
    s["reports"].extra += [f"{d[0]} ({d[1]} → {d[2][1]})" for i, d in enumerate(dt_) if i not in rm][:15]

    # review
    kr, dr = key.protocol.review, draft.protocol.review
    if kr is None and dr is None:
        pass
    elif kr is not None and kr.rule == "unspecified" and dr is None:
        s["review"].add(1, 0, 0)
    elif kr is None:
        s["review"].add(0, 1, 0)
    elif dr is None:
        s["review"].add(0, 0, 1)
        s["review"].missed.append(kr.rule)
    else:
        ok = dr.rule == kr.rule and (kr.next_due is None or dr.next_due == kr.next_due)
        s["review"].add(int(ok), int(not ok), int(not ok))
        if not ok:
            s["review"].extra.append(f"{dr.rule} {dr.next_due or ''} (key: {kr.rule} {kr.next_due or ''})")
    return s, not_parties


def weighted_f1(scores: dict[str, Score]) -> float:
    used = [(WEIGHTS[f], sc.f1) for f, sc in scores.items() if not sc.empty]
    return sum(w * f for w, f in used) / sum(w for w, _ in used) if used else 0.0


def draft_file(sources: list[Path], out: Path) -> tuple[object, float]:
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "bot.cli", "protocol", "draft", *map(str, sources), "--out", str(out), "--force"],
                       capture_output=True, text=True, cwd=ROOT)
    took = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"drafting {sources} failed:\n{r.stderr}")
    return load_protocol_file(out).protocol, took


def rerender(src: Path, fmt: str, folder: Path) -> Path:
    """The seed ``src`` written as .docx (python-docx) or .pdf (fpdf2), block by block."""
    from drafting.readers import read

    doc = read(src)
    out = folder / f"{src.stem}.{fmt}"
    if fmt == "docx":
        import docx

        d = docx.Document()
        for b in doc.blocks:
            label = (b.number + (". " if b.kind == "item" else " ")) if b.number else ""
            if b.kind == "heading":
                d.add_heading(label + b.text, min(b.level, 4))
            elif b.kind == "table":
                t = d.add_table(rows=len(b.rows), cols=max(len(r) for r in b.rows))
                for i, r in enumerate(b.rows):
                    for j, c in enumerate(r):
                        t.cell(i, j).text = c.text
            else:
                d.add_paragraph(label + b.text, style="List Bullet" if b.kind == "item" and not b.number else None)
        d.save(str(out))
        return out
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    fonts = Path("/usr/share/fonts/truetype/dejavu")
    pdf.add_font("body", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("body", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    for b in doc.blocks:
        label = (b.number + (". " if b.kind == "item" else " ")) if b.number else ("• " if b.kind == "item" else "")
        if b.kind == "heading":
            pdf.set_font("body", "B", 13)
            pdf.multi_cell(0, 7, label + b.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif b.kind == "table":
            pdf.set_font("body", "", 7)
            width = max(len(r) for r in b.rows)
            with pdf.table(col_widths=tuple([1] * width)) as t:
                for r in b.rows:
                    row = t.row()
                    for j in range(width):
                        row.cell(r[j].text[:600] if j < len(r) else "")
            pdf.ln(2)
        else:
            pdf.set_font("body", "", 10)
            pdf.multi_cell(0, 5, label + b.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    pdf.output(str(out))
    return out


def cases(which: str, folder: Path | None = None):
    if which == "formats":
        for fmt in ("docx", "pdf"):
            for slug, files in SEED_AREAS.items():
                yield f"{fmt} {slug}", [rerender(SEEDS / f, fmt, folder) for f in files], DATA / f"{slug}.yaml"
        return
    if which in ("all", "seeds"):
        for slug, files in SEED_AREAS.items():
            yield f"seed {slug}", [SEEDS / f for f in files], DATA / f"{slug}.yaml"
    for group, folder_, label in (("corpus", CORPUS, "own"), ("dev", DEV, "dev"), ("heldout", HELDOUT, "held-out"), ("fresh", FRESH, "fresh")):
        if which != group and not (which == "all" and group in ("corpus", "dev")):
            continue
        for key in sorted(folder_.glob("*.key.yaml")):
            stem = key.name[: -len(".key.yaml")]
            docs = [p for p in folder_.glob(stem + ".*") if not p.name.endswith(".key.yaml")]
            if docs:
                yield f"{label} {stem}", docs[:1], key


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", action="store_true")
    ap.add_argument("--corpus", action="store_true")
    ap.add_argument("--dev", action="store_true")
    ap.add_argument("--heldout", action="store_true")
    ap.add_argument("--fresh", action="store_true")
    ap.add_argument("--formats", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    which = "seeds" if a.seeds else "corpus" if a.corpus else "heldout" if a.heldout else "fresh" if a.fresh else "dev" if a.dev else "formats" if a.formats else "all"
    totals: dict[str, dict[str, Score]] = {}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, sources, keyfile in cases(which, Path(tmp)):
            key = load_protocol_file(keyfile).protocol
            draft, took = draft_file(sources, Path(tmp) / (name.replace(" ", "_") + ".yaml"))
            sc, not_parties = score(draft, key)
            group = name.split()[0]
            agg = totals.setdefault(group, {f: Score() for f in WEIGHTS})
            for f, x in sc.items():
                agg[f].add(x.tp, x.fp, x.fn)
            rows.append((name, sc, not_parties, took))
            if a.verbose:
                print(f"\n== {name} ({', '.join(p.name for p in sources)})")
                for f, x in sc.items():
                    if x.missed or x.extra:
                        print(f"  {f}: missed {x.missed[:12]}\n  {' ' * len(f)}  extra  {x.extra[:12]}")
    print(f"{'document':34} " + " ".join(f"{f:>9}" for f in WEIGHTS) + "   wF1  non-party  secs")
    for name, sc, np_, took in rows:
        print(f"{name:34} " + " ".join(f"{x.f1:9.2f}" if not x.empty else f"{'-':>9}" for x in sc.values())
              + f"  {weighted_f1(sc):5.2f}  {np_:9d}  {took:4.1f}")
    print("\n(per-field F1 above; below, precision / recall over all documents of a group, pooled)")
    for group, agg in totals.items():
        label = {"seed": "seeds", "own": "own corpus", "held-out": "held-out", "fresh": "fresh held-out", "dev": "development set", "docx": "seeds as Word", "pdf": "seeds as PDF"}[group]
        print(f"{label:34} " + " ".join(f"{x.p:4.2f}/{x.r:4.2f}" if not x.empty else f"{'-':>9}" for x in agg.values())
              + f"  {weighted_f1(agg):5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
