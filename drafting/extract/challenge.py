"""The mutual-challenge route: its steps, who may raise a challenge, response windows.

Steps are found as "Stage/Step/Level N" blocks, as the numbered clauses or list items of a
section about challenge, escalation or disputes, or as any run of list items in which
chairs request information, agenda items and meetings; a paragraph right after such a run
saying what happens when the concern "cannot be resolved" is its last step. A sentence
"If this does not reach a resolution, a further meeting …" inside a step is a further step.
"""

from __future__ import annotations

import re

from drafting.extract.common import cite, sentences
from drafting.model import Block, Document, clean

_SECTION = re.compile(r"challeng|escalat|dispute|resolution|resolving|disagree|conflict", re.I)
_STAGE = re.compile(r"^\s*(?:stage|step|level|tier|rung)\s*(\d+|one|two|three|four|five|six)\b\s*[:.\-–)]?\s*", re.I)
_WINDOW = re.compile(r"within\s+(\d+|one|two|three|four|five|six|seven|ten|fourteen|fifteen|twenty|twenty-one|twenty-eight|thirty)\s+"
                     r"(working\s+|calendar\s+|business\s+|clear\s+)?(days?|weeks?|months?)", re.I)
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10, "fourteen": 14,
          "fifteen": 15, "twenty": 20, "twenty-one": 21, "twenty-eight": 28, "thirty": 30}
_FURTHER = re.compile(r"^(?:if (?:this|that|the (?:resolution )?meeting) (?:does not|fails|cannot)|failing (?:this|that)|where (?:this|that) (?:does not|fails))", re.I)
_TITLES = {"written_request": "Written request", "agenda_item": "Item on the other board's agenda",
           "chairs_meeting": "Meeting of the chairs", "resolution_meeting": "Resolution meeting"}


def rung_kind(text: str, position: int, total: int) -> str | None:
    low = text.lower()
    if re.search(r"resolution meeting|mediat|arbitrat", low) or (
            re.search(r"chief executive|director|senior officers?|head of service", low) and re.search(r"meet|escalat|refer", low)):
        return "resolution_meeting"
    if re.search(r"cannot be resolved|can ?not be resolved|remains? unresolved|not (?:been )?resolved", low) and position == total - 1 and position > 0:
        return "resolution_meeting"
    if "agenda" in low:
        return "agenda_item"
    if re.search(r"meet(?:ing)?s? (?:between|of|with) (?:the |both |all |one or more of the )?(?:relevant |respective |other |board |partnership )*(?:chairs?|co-chairs)"
                 r"|chairs? (?:will |should |may )?meet|chairs'? meeting|meeting with (?:the )?(?:respective |other )?(?:\w+ )?chairs?|discuss(?:ion)? between (?:the )?chairs", low):
        return "chairs_meeting"
    if re.search(r"writ|letter|e-?mail|formal request|request for information|request (?:of|to) (?:another|the other)", low):
        return "written_request"
    if re.search(r"\binformal|\bdiscuss|conversation|telephone|\bcontacts?\b|\braises? (?:the|a|their) (?:concern|issue)", low):
        return "written_request"  # an informal first approach: the ladder's first, written-request rung
    if position == 0 and re.search(r"\b(?:seeks?|try|tries|attempts?) to (?:resolve|settle)\b", low):
        return "written_request"  # "Step 1: the business managers seek to resolve the concern"
    if re.search(r"\bmeet", low):
        return "chairs_meeting"
    return None


def window(text: str) -> dict | None:
    m = _WINDOW.search(text)
    if not m:
        return None
    n = int(m.group(1)) if m.group(1).isdigit() else _WORDS[m.group(1).lower()]
    unit = m.group(3).lower().rstrip("s")
    working = bool(m.group(2) and m.group(2).strip().lower() in ("working", "business"))
    days = n * (5 if unit == "week" and working else 7 if unit == "week" else 20 if unit == "month" and working else 30 if unit == "month" else 1)
    if unit == "week":
        working = True
        days = n * 5
    return {"working_days": days if working else None, "days": None if working else days, "text": clean(m.group(0))}


def attendees(text: str) -> list[str]:
    m = re.search(r"(?:held|meeting|meet)\s+(?:between|with|involving|of)\s+(.+?)(?:\s+as a minimum|\s+to\s+(?:consider|agree|discuss|resolve)|\s+in order|[.;(]|$)", text, re.I)
    if not m:
        m = re.search(r"(?:attended by|involving|referred to|escalated to)\s+(.+?)(?:\s+as a minimum|[.;(]|$)", text, re.I)
    if not m:
        return []
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+(?=the\b|[A-Z])", m.group(1))
    return [clean(p.strip(" ,.")) for p in parts if 2 < len(p.strip()) < 100]


_STEP_COL = re.compile(r"^\s*(?:stage|step|level|tier|rung|no\.?|#)\s*$", re.I)
_ACTION_COL = re.compile(r"action|what happens|description|process|activity|detail|who|how", re.I)
_TIME_COL = re.compile(r"time|when|response|deadline|days|window|by when", re.I)


def _table_steps(doc: Document) -> tuple[list[tuple[Block, str, int]], Block | None]:
    """An escalation table: one row per stage ("Stage | What happens | Timescale")."""
    for b in doc.blocks:
        if b.kind != "table" or len(b.rows) < 3:
            continue
        header = [c.text for c in b.rows[0]]
        step_col = next((i for i, h in enumerate(header) if _STEP_COL.match(h)), None)
        cue = bool(b.heading and _SECTION.search(b.heading.text))
        if step_col is None and not cue:
            continue
        action_col = next((i for i, h in enumerate(header) if i != step_col and _ACTION_COL.search(h)), None)
        if action_col is None:
            action_col = next((i for i in range(len(header)) if i != step_col), None)
        time_col = next((i for i, h in enumerate(header) if i not in (step_col, action_col) and _TIME_COL.search(h)), None)
        if action_col is None:
            continue
        rows = []
        for r, row in enumerate(b.rows[1:], start=1):
            text = row[action_col].text if action_col < len(row) else ""
            if not text:
                continue
            if time_col is not None and time_col < len(row) and row[time_col].text:
                t = row[time_col].text
                text = clean(f"{text.rstrip('.')} ({'within ' if re.match(r'^[0-9]', t) else ''}{t}).")
            rows.append((b, text, r))
        kinds = [rung_kind(t, k, len(rows)) for k, (_b, t, _r) in enumerate(rows)]
        if sum(1 for k in kinds if k) >= 2 and len({k for k in kinds if k}) >= 2:
            return rows, b.heading
    return [], None


_ORDINAL = re.compile(r"(?:^|(?<=[.;]\s))(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth(?:ly)?|then|next|finally|lastly)\b,?\s*", re.I)


def _ordinal_steps(doc: Document) -> tuple[list[tuple[Block, str]], Block | None]:
    """One paragraph of a challenge section walking through the steps: "First, … Second, … Finally, …"."""
    for b in doc.blocks:
        if b.kind != "paragraph" or not (b.heading and _SECTION.search(b.heading.text)):
            continue
        marks = list(_ORDINAL.finditer(b.text))
        if len(marks) < 2 or not re.match(r"first", marks[0].group(0), re.I):
            # "… should first write to the other chair. If the matter is not resolved, … If it remains unresolved, …"
            sents = sentences(b.text)
            if len(sents) >= 2 and sum(1 for x in sents[1:] if re.match(r"(?:if|where|failing|should)\b", x, re.I)) >= 1:
                parts = [(b, x) for x in sents if rung_kind(x, 0, 2)]
                kinds = {rung_kind(t, k, len(parts)) for k, (_b, t) in enumerate(parts)}
                if len(parts) >= 2 and len(kinds) >= 2:
                    return parts, b.heading
            continue
        parts = []
        for n, m in enumerate(marks):
            end = marks[n + 1].start() if n + 1 < len(marks) else len(b.text)
            parts.append((b, clean(b.text[m.start():end])))
        kinds = [rung_kind(t, k, len(parts)) for k, (_b, t) in enumerate(parts)]
        if sum(1 for k in kinds if k) >= 2:
            return parts, b.heading
    return [], None


_CONNECTOR = re.compile(r"^(?:in the first instance|first(?:ly)?|initially|if (?:this|that|the|it)|where (?:this|that|the)|should (?:this|that|the)|failing (?:this|that)|as a (?:last|final) resort|finally|lastly|ultimately)\b", re.I)


def _paragraph_steps(doc: Document) -> tuple[list[tuple[Block, str]], Block | None]:
    """A challenge section written as paragraphs, one step each: "In the first instance, …",
    "If that does not resolve it, …", "Should the matter remain unresolved, …", "As a last resort …"."""
    blocks = doc.blocks
    i = 0
    while i < len(blocks):
        h = blocks[i].heading
        if blocks[i].kind != "paragraph" or not (h and _SECTION.search(h.text)):
            i += 1
            continue
        j = i
        while j < len(blocks) and blocks[j].kind == "paragraph" and blocks[j].heading is h:
            j += 1
        paras = blocks[i:j]
        i = j
        steps = [(b, b.text) for n, b in enumerate(paras) if rung_kind(b.text, n, len(paras))]
        later = [b for b, _t in steps[1:] if _CONNECTOR.match(b.text)]
        kinds = {rung_kind(t, n, len(steps)) for n, (_b, t) in enumerate(steps)}
        if len(steps) >= 3 and len(later) >= 2 and len(kinds) >= 2:
            return steps, h
    return [], None


_INLINE_STAGE = re.compile(r"(?:^|(?<=[\s→>;.]))(?:stage|step|level|tier)\s*(?:\d+|one|two|three|four|five|six)\b", re.I)


def _inline_steps(doc: Document) -> tuple[list[tuple[Block, str]], Block | None]:
    """Stages written in one paragraph or cell: "Stage 1 – informal discussion → Stage 2 – letter …"."""
    for b in doc.blocks:
        if b.kind not in ("paragraph", "item"):
            continue
        marks = list(_INLINE_STAGE.finditer(b.text))
        if len(marks) < 2:
            continue
        parts = []
        for n, m in enumerate(marks):
            end = marks[n + 1].start() if n + 1 < len(marks) else len(b.text)
            parts.append((b, clean(b.text[m.start():end]).rstrip(" →>-–;,")))
        kinds = [rung_kind(t, k, len(parts)) for k, (_b, t) in enumerate(parts)]
        if sum(1 for k in kinds if k) >= 2:
            return parts, b.heading
    return [], None


def _steps(doc: Document) -> tuple[list[tuple[Block, str]], Block | None]:
    blocks = doc.blocks
    # 1. Stage/Step N
    staged = [(i, b) for i, b in enumerate(blocks) if b.kind != "table" and _STAGE.match(b.text)]
    if len(staged) >= 2:
        out = []
        for n, (i, b) in enumerate(staged):
            text = b.text
            if b.kind == "heading" or len(_STAGE.sub("", text)) < 40:
                j = i + 1
                stop = staged[n + 1][0] if n + 1 < len(staged) else len(blocks)
                extra = []
                while j < stop and blocks[j].kind in ("paragraph", "item") and len(extra) < 4:
                    extra.append(blocks[j].text)
                    j += 1
                text = clean(text + ". " + " ".join(extra)) if extra else text
            out.append((b, text))
        lead = staged[0][1].heading
        return out, lead
    # 2./3. runs of items or numbered clauses with challenge words
    best: tuple[float, list[tuple[Block, str]], Block | None] = (0.0, [], None)
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind not in ("item", "paragraph") or (b.kind == "paragraph" and not b.number):
            i += 1
            continue
        run = [b]
        j = i + 1
        while j < len(blocks) and blocks[j].kind == b.kind and blocks[j].level == b.level and \
                (b.kind == "item" or (blocks[j].number and blocks[j].number.split(".")[0] == (b.number or "").split(".")[0])):
            run.append(blocks[j])
            j += 1
        kinds = [rung_kind(x.text, k, len(run)) for k, x in enumerate(run)]
        chairs = sum(1 for x in run if re.search(r"\bchairs?\b|\bboards?\b|partnership", x.text, re.I))
        hits = sum(1 for k in kinds if k)
        heading = b.heading
        lead_in = blocks[i - 1] if i > 0 else None
        cue = bool(heading and _SECTION.search(heading.text)) or bool(lead_in and lead_in.kind == "paragraph" and _SECTION.search(lead_in.text)) \
            or bool(lead_in and re.search(r"\broutes?\b|outside (?:of )?the above|following (?:steps|stages|routes|process)", lead_in.text, re.I))
        distinct = len({k for k in kinds if k})
        score = hits + distinct + (2 if cue else 0) + (1 if chairs >= 2 else 0)
        if hits >= 2 and distinct >= 2 and (cue or chairs >= 2) and score > best[0]:
            steps = [(x, x.text) for x in run if rung_kind(x.text, run.index(x), len(run))]
            # a "cannot be resolved" paragraph right after the run is its last step
            if j < len(blocks) and blocks[j].kind == "paragraph" and re.search(r"cannot be resolved|not (?:been )?resolved|unresolved|escalat", blocks[j].text, re.I):
                steps.append((blocks[j], blocks[j].text))
            best = (score, steps, heading)
        i = j
    return best[1], best[2]


def extract_challenge(doc: Document, key: str = "protocol") -> dict | None:
    steps, heading = _steps(doc)
    row_of: dict[str, int] = {}
    if not steps:
        steps, heading = _ordinal_steps(doc)
    if not steps:
        steps, heading = _inline_steps(doc)
    if not steps:
        steps, heading = _paragraph_steps(doc)
    if not steps:
        table_steps, heading = _table_steps(doc)
        steps = [(b, text) for b, text, _r in table_steps]
        row_of = {text: r for _b, text, r in table_steps}
    rungs = []
    pieces: list[tuple[Block, str, bool]] = []  # (block, text, a further step found inside another)
    for b, text in steps:
        sents = sentences(text)
        cur: list[str] = []
        further = False
        for s in sents:
            if _FURTHER.match(s) and cur:
                pieces.append((b, " ".join(cur), further))
                cur, further = [s], True
            else:
                cur.append(s)
        if cur:
            pieces.append((b, " ".join(cur), further))
    used: set[str] = set()
    for n, (b, text, further) in enumerate(pieces):
        kind = rung_kind(text, n, len(pieces)) or ("resolution_meeting" if n == len(pieces) - 1 else "chairs_meeting")
        if further or _FURTHER.match(text) and b.kind != "paragraph":
            kind = "resolution_meeting"
        k = kind
        m = 2
        while k in used:
            k = f"{kind}_{m}"
            m += 1
        used.add(k)
        stage = _STAGE.match(text)
        title = _TITLES[kind] if k == kind else f"Further {_TITLES[kind].lower()}"
        if stage:
            rest = _STAGE.sub("", text)
            head = re.split(r"[.:;–—]\s", rest, maxsplit=1)[0]
            if 3 < len(head) <= 60 and b.kind == "heading":
                title = head
            text = clean(text)
        rung = {"key": k, "kind": kind, "title": title, "text": clean(text)}
        if kind in ("resolution_meeting", "chairs_meeting"):
            att = attendees(text)
            if att:
                rung["attendees"] = att
        if kind == "resolution_meeting":
            rung["notify_directors"] = True
        w = window(text)
        if w:
            rung["_window"] = w
        if b.kind == "table":
            r = next((row_of[t] for t in row_of if t.startswith(text[:40]) or text.startswith(t[:40])), None)
            rung["source"] = cite(doc, b, row=r, key=key).source() if r is not None else cite(doc, b, text, key=key).source()
        else:
            rung["source"] = cite(doc, b, text if b.kind != "heading" else None, key=key).source()
        if b.kind == "heading":
            rung["source"]["quote"] = clean(text)[:400]
        rungs.append(rung)
    statement = None
    who = None
    for rx in (r"mutual challenge|challenge (?:each other|one another)|constructive challenge to each other",
               r"constructive challenge|\bchallenge\b.{0,40}\b(?:between|across) the (?:boards|partnerships)"):
        for b in doc.blocks:
            if statement is not None or b.kind not in ("paragraph", "item"):
                continue
            for s in sentences(b.text):
                if re.search(rx, s, re.I):
                    statement = {"text": clean(s), "source": cite(doc, b, s, key=key).source()}
                    break
    for b in doc.blocks:
        if who is not None or b.kind not in ("paragraph", "item"):
            continue
        for s in sentences(b.text):
            if re.search(r"through (?:their|its) (?:co-)?chairs?|at their direction|any (?:of the )?(?:co-)?chairs?|(?:co-)?chairs?,? (?:or|and) (?:their )?(?:delegat|deputy|deputies|nominated|vice)|who may (?:raise|make) a challenge|may raise a (?:formal )?challenge", s, re.I) \
                    and re.search(r"challeng|request|concern", s, re.I):
                who = {"text": clean(s), "source": cite(doc, b, s, key=key).source()}
                break
    if not rungs and statement is None:
        return None
    out: dict = {"named": bool(rungs)}
    if who:
        out["who_may_raise"] = who
    if statement:
        out["statement"] = statement
    if rungs:
        out["ladder"] = rungs
    return out
