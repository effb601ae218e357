"""The reporting calendar: which report goes from which board to whom, how and when.

Tables come in two shapes: a matrix (receiving boards across the top, reports down the
side grouped under the reporting board, cells like "Present: Autumn") and one row per
report ("Report | From | To | When"). Sentences name the rest: "The LSCB will present its
annual report to the HWB", "Receive the SSAB Annual Report" under a board's own heading.
A season is taken as printed, or from the month printed.
"""

from __future__ import annotations

import re

from drafting.extract.board_index import BoardIndex
from drafting.extract.common import cite, season_of, sentences, slug_key
from drafting.model import Block, Document, clean

_ACTIONS = [("present", r"\bpresent"), ("consult", r"\bconsult"), ("inform", r"\binform|\bshare|\bcopy|\bnote\b|\bfor information"),
            ("submit", r"\bsubmit|\bsend|\bprovide|\bpublish"), ("receive", r"\breceive|\bexamine|\bconsider"),
            ("respond", r"\brespon")]
_REPORT_WORD = re.compile(r"\b(?:annual report|report|plan|strategy|assessment|jsna|statement|review|update|intentions|business plan)s?\b", re.I)


def _action(text: str) -> str | None:
    low = text.lower()
    for name, rx in _ACTIONS:
        if re.search(rx, low):
            return name
    return None


def _every(text: str) -> int:
    m = re.search(r"every\s+(\d+|two|three|four|five)\s+years", text, re.I)
    if not m:
        return 1
    w = {"two": 2, "three": 3, "four": 4, "five": 5}
    return int(m.group(1)) if m.group(1).isdigit() else w[m.group(1).lower()]


def _recipients(text: str, index: BoardIndex) -> tuple[list[str], list[str]]:
    keys = index.keys_in(text)
    others = [o for o in index.others_in(text)]
    if not keys and not others:
        t = clean(re.sub(r"\*", "", text))
        if t and len(t) < 80:
            others = [t]
    return keys, others


def _matrix(doc: Document, b: Block, index: BoardIndex, key: str, taken: set[str]) -> list[dict]:
    header = [c.text for c in b.rows[0]]
    cols = [(i, h) for i, h in enumerate(header) if i > 0 and h]
    if sum(1 for _, h in cols if index.keys_in(h) or index.others_in(h) or re.fullmatch(r"[A-Z][A-Za-z&]{1,8}", h)) < 2:
        return []
    out = []
    from_board: str | None = None
    from_label: str | None = None
    for r, row in enumerate(b.rows[1:], start=1):
        first = row[0].text
        rest = [c.text for c in row[1:]]
        if first and not any(rest):
            ks = index.keys_in(first)
            from_board, from_label = (ks[0] if ks else None), first
            continue
        if not first:
            continue
        src = cite(doc, b, row=r, key=key).source()
        src["clause"] = f"{cite(doc, b, key=key).clause} ({from_label + ', ' if from_label else ''}{first})"
        row_board = from_board
        if row_board is None:
            ks = index.keys_in(first)
            row_board = ks[0] if len(ks) == 1 else None
        for i, h in cols:
            cell = row[i].text if i < len(row) else ""
            if not cell or re.fullmatch(r"n/?a|-|–|none", cell.strip(), re.I):
                continue
            action = _action(cell) or "inform"
            season, _month = season_of(cell)
            target = re.sub(r"^(?:present|inform|consult|submit|receive|share)\w*\s*", "", cell, flags=re.I)
            target = re.split(r":", target)[0].strip()
            target = re.sub(r"\(every[^)]*\)|\*", "", target).strip()
            to_keys, to_others = _recipients(h, index)
            if target and not season_of(target)[0] and len(target) > 2:
                if index.keys_in(target):
                    to_keys, to_others = index.keys_in(target), []
                else:
                    target = re.sub(r"^the\s+", "", target, flags=re.I)
                    to_keys, to_others = [], [clean(p) for p in re.split(r"\s+and\s+(?=[A-Z])", target) if p.strip()]
            report = first if not from_label or from_label.lower() in first.lower() or not from_board else \
                (f"{index.by_key(from_board).short_name} {first}" if re.match(r"annual report$", first, re.I) else first)
            d = {"key": "", "report": report}
            if row_board:
                d["from_board"] = row_board
            elif from_label:
                d["by"] = from_label
            else:
                continue
            if to_keys:
                d["to_boards"] = to_keys
            if to_others:
                d["to_others"] = to_others
            if not to_keys and not to_others:
                continue
            d["action"] = action
            if season:
                d["season"] = season
            ev = _every(cell)
            if ev > 1:
                d["every_years"] = ev
            d["source"] = src
            d["key"] = slug_key(f"{(row_board or 'x')}_{first}_to_{(to_keys or to_others)[0]}", taken)
            if row_board in to_keys:
                continue
            out.append(d)
    return out


def _rows(doc: Document, b: Block, index: BoardIndex, key: str, taken: set[str]) -> list[dict]:
    header = [c.text.lower() for c in b.rows[0]]
    rep = next((i for i, h in enumerate(header) if re.search(r"report|document|item|what", h)), None)
    to = next((i for i, h in enumerate(header) if re.search(r"\bto\b|receiv|recipient|audience|presented to|who to", h)), None)
    frm = next((i for i, h in enumerate(header) if i not in (rep, to) and re.search(r"\bfrom\b|\bby\b|owner|produced|prepared|responsible|board|partnership|author|\blead\b|\bsource\b", h)), None)
    when = next((i for i, h in enumerate(header) if re.search(r"when|season|month|timing|date|frequency|timescale", h)), None)
    how = next((i for i, h in enumerate(header) if re.search(r"action|how|purpose|for", h) and i not in (rep, to, frm, when)), None)
    if rep is None or to is None:
        return []
    out = []
    for r, row in enumerate(b.rows[1:], start=1):
        def cell(i: int | None, row=row) -> str:
            return row[i].text if i is not None and i < len(row) else ""
        name = cell(rep)
        if not name:
            continue
        to_keys, to_others = _recipients(cell(to), index)
        if not to_keys and not to_others:
            continue
        fk = index.keys_in(cell(frm)) if frm is not None else index.keys_in(name)
        d: dict = {"key": "", "report": name}
        if fk:
            d["from_board"] = fk[0]
        elif cell(frm):
            d["by"] = cell(frm)
        else:
            continue
        if to_keys:
            d["to_boards"] = to_keys
        if to_others:
            d["to_others"] = to_others
        d["action"] = _action(cell(how) or cell(to) or name) or "present"
        season, _ = season_of(cell(when) or "")
        if season:
            d["season"] = season
        ev = _every(cell(when) + " " + name)
        if ev > 1:
            d["every_years"] = ev
        if cell(when):
            d["text"] = f"When: {cell(when)}"
        d["source"] = cite(doc, b, row=r, key=key).source()
        d["key"] = slug_key(f"{d.get('from_board', 'x')}_{name}_to_{(to_keys or to_others)[0]}", taken)
        out.append(d)
    return out


_REPORTS_TO = re.compile(r"(?P<subj>^.{0,80}?)\breports?\s+(?:(?:annually|yearly|regularly|formally|each year|every year|quarterly|twice a year)\s+)?to\s+(?P<to>.+?)(?:\s+(?:on|about|regarding)\s+(?P<on>[^.;]+))?(?:[.;]|$)", re.I)


_LABEL_REPORT = re.compile(r"^(?P<rep>[^:]{3,60}?)\s*:\s*(?P<frm>[^:]+?)\s+(?:to|→|->)\s+(?P<to>[^()]+?)\s*(?:\((?P<when>[^)]+)\))?\.?$")


def _labelled(doc: Document, index: BoardIndex, key: str, taken: set[str]) -> list[dict]:
    """List lines "Annual report: SAB to HWB (October)" / "Strategic assessment: CSP → SAB, SCP"."""
    out = []
    for b in doc.blocks:
        if b.kind not in ("item", "paragraph") or len(b.text) > 200:
            continue
        m = _LABEL_REPORT.match(b.text)
        if not m or not _REPORT_WORD.search(m.group("rep")):
            continue
        frm, to = index.keys_in(m.group("frm")), index.keys_in(m.group("to"))
        if len(frm) != 1 or not to:
            continue
        to = [k for k in to if k != frm[0]]
        rep = clean(m.group("rep"))
        name = rep if index.keys_in(rep) else f"{index.by_key(frm[0]).short_name} {rep[0].lower() + rep[1:]}"
        d = {"key": slug_key(f"{frm[0]}_{rep}_to_{to[0]}", taken), "report": name, "from_board": frm[0], "to_boards": to,
             "action": "present", "text": clean(b.text), "source": cite(doc, b, key=key).source()}
        season, _ = season_of(m.group("when") or "")
        if season:
            d["season"] = season
        out.append(d)
    return out


def _reports_to(doc: Document, index: BoardIndex, key: str, taken: set[str]) -> list[dict]:
    """"The CSP reports annually to the HWB on its partnership plan": a report from the subject board."""
    out = []
    for b in doc.blocks:
        if b.kind not in ("paragraph", "item"):
            continue
        for s in sentences(b.text):
            m = _REPORTS_TO.search(s)
            if not m:
                continue
            subj = re.sub(r"\s+(?:will|shall|also|should|must|formally|annually)(?=\s|$)", "", m.group("subj").rstrip())
            found = index.find(subj)
            frm = list(dict.fromkeys(k for k, _, _ in found))
            if len(frm) != 1 or found[-1][2] < len(subj.rstrip(" '’s")) - 2 or \
                    re.search(r"\b(?:chair|officer|manager|member|director|sub-?group)s?\b", subj, re.I):
                continue  # the board must be the verb's subject ("The CSP reports to …"), not "presents its report to"
            target = re.split(r"\s+(?:each|every|in|by|during|at|for|so that|to ensure|within|annually)\b", m.group("to"))[0]
            to = [k for k in index.keys_in(target) if k != frm[0]]
            if not to:
                continue
            short = index.by_key(frm[0]).short_name
            on = re.sub(r"^(?:its|their|the)\s+", "", clean(m.group("on") or ""), flags=re.I)
            report = f"{short} report on {on}" if on else f"{short} report"
            d = {"key": slug_key(f"{frm[0]}_{report}_to_{to[0]}", taken), "report": report, "from_board": frm[0], "to_boards": to,
                 "action": "present", "text": clean(s), "source": cite(doc, b, s, key=key).source()}
            season, _ = season_of(s)
            if season:
                d["season"] = season
            out.append(d)
    return out


_REPORT_NOUN = r"(?i:annual reports?|reports?|plans?|strateg(?:y|ies)|assessments?|exception reports?)"
# a board's own document after "its"/"their", with the words that name it: "its Joint Local Health and
# Wellbeing Strategy", "its three-year strategic plan" (never across a preposition: "its work with the plan")
_OWN_DOC = re.compile(r"\b((?i:its|their)\s+)((?:(?!(?i:with|to|for|on|by|at|in|from|of|into|across|and\s+(?:its|their|the))\b)"
                      r"[A-Za-z0-9][\w'’-]*\s+){0,6}?)(" + _REPORT_NOUN + r")\b")
_CLAUSE = re.compile(r",?\s+and\s+(?=(?:the\s+)?(?:[A-Z][\w'’-]*\s+){1,6}(?:will|shall|should|must|also|is\s+to|are\s+to|"
                     r"presents|shares|submits|sends|provides|reports)\b)")

_FINITE = re.compile(r"\b(?:will|shall|should|must|is|are|presents|shares|submits|sends|provides|reports)\b", re.I)


def _clauses(sentence: str) -> list[str]:
    """"The SSCP will present its report to the SSAB, and the SCSP will share its strategy with the
    SSCP": two duties, each with its own subject, read one at a time."""
    out, start = [], 0
    for m in _CLAUSE.finditer(sentence):
        # only after a clause of its own: "The SSAB and the SSCP will present …" is one subject
        if _FINITE.search(sentence, start, m.start()):
            out.append(sentence[start:m.start()])
            start = m.end()
    out.append(sentence[start:])
    return [c for c in out if c.strip()]


def _prose(doc: Document, index: BoardIndex, key: str, taken: set[str]) -> list[dict]:
    out = []
    for _bi, b in enumerate(doc.blocks):
        if b.kind not in ("paragraph", "item"):
            continue
        heading_keys = index.keys_in(b.heading.text) if b.heading else []
        prev_subject: list[str] = []
        for s in (c for x in sentences(b.text) for c in _clauses(x)):
            if not re.search(r"annual report|\breports?\b|\bplans?\b|\bstrateg(?:y|ies)\b|\bassessments?\b", s, re.I):
                prev_subject = index.keys_in(s[:80]) or prev_subject
                continue
            verb = re.search(r"\b(?:will |shall |should |must |to |formally |also )*(present|submit|send|provide|share|report|receive|examine|consider|consult)(?:s|ed|ted)?\b", s, re.I)
            if not verb:
                prev_subject = index.keys_in(s[:80]) or prev_subject
                continue
            v = verb.group(1).lower()
            if re.search(r"\b(?:be|is|are|been)\s+$", s[: verb.start()] + " ") and not re.match(r"\s*to\b", verb.group(0), re.I):
                continue  # passive: drafted by _passive
            subj = s[: verb.start()]
            rest = s[verb.end():]
            rep = re.search(r"((?i:its|their|the|an|a|each)\s+)?((?:[A-Z]{2,6}|[A-Z][a-z]+(?:\s[A-Z][a-z&]+){0,3})['’]?s?\s+)?((?i:annual reports?|reports?|plans?|strateg(?:y|ies)|assessments?|exception reports?))\b", rest)
            own = _OWN_DOC.search(rest)
            if own and (not rep or own.start() <= rep.start()):
                rep = own  # "its three-year strategic plan": the board's own document, named as written
            if not rep:
                continue
            if v in ("receive", "examine", "consider"):
                to_keys = index.keys_in(subj) or (heading_keys if not subj.strip() else [])
                from_keys = index.keys_in(rest[: rep.end() + 40]) or index.keys_in(rest)
                from_keys = [k for k in from_keys if k not in to_keys]
                to_others: list[str] = []
                action = "receive"
            else:
                if not index.keys_in(subj) and re.search(r"\b(?:the |all |board )?chairs\b", subj, re.I) and re.search(r"\btheir\b", rest[: rep.end()], re.I):
                    subj = " ".join(e.short_name for e in index.boards)
                if not index.keys_in(subj) and re.search(r"\b(?:both|all|the|each of the)\s+(?:two |three |four |five |six )?(?:boards|partnerships)\b", subj, re.I):
                    subj = " ".join(e.short_name for e in index.boards)  # "Both boards will share their annual reports …"
                from_keys = index.keys_in(subj) or (prev_subject if re.match(r"\s*(?:each|this|the)\s+(?:annual )?report", subj + rep.group(0), re.I) else [])
                tail = rest[rep.end():]
                # the recipient follows "to"/"with" and is named ("to the HWB", "with each other"), never a verb ("to enable")
                tm = re.search(r"\b(?:to|with)\s+((?:the|each|all|both|one|other|its|their|[A-Z])\b.+|[A-Z].+)$", tail)
                if not tm and v == "share":
                    # "The SSAB will share with the SSCP its strategic plan": the recipient before the document
                    tm = re.match(r"\s*with\s+((?:the|each|all|both|other|[A-Z])\b.+?)\s*,?\s*$", rest[: rep.start()])
                if not tm and v == "consult":
                    # "The HWB will consult the SAB and the CSP on its strategy": the object is who is consulted
                    tm = re.match(r"\s*(.+?)\s+(?:on|about|over)\s*$", rest[: rep.start()])
                if not tm:
                    continue
                target = tm.group(1)
                if re.match(r"\s*each other|\s*one another|\s*each (?:board|partnership)|\s*(?:all )?(?:the )?other (?:\w+ )?(?:boards|partnerships)|\s*(?:all )?the (?:\w+ )?(?:boards|partnerships)\b|\s*both (?:the )?(?:\w+ )?(?:boards|partnerships)\b", target, re.I):
                    to_keys = [e.key for e in index.boards]
                    to_others = []
                else:
                    to_keys, to_others = index.keys_in(target), [o for o in index.others_in(target)]
                    parts = [clean(p) for p in re.split(r",\s*|\s+and\s+(?=the\b|[A-Z])", re.split(r"\s+(?:which|to ensure|in order|so that|for (?!the)|within|as)\b", target)[0]) if p.strip()]
                    posts = [p for p in parts if re.match(r"(?:the\s+)?(?:local\s+)?(?:chair|chief executive|leader|director|lead member|cabinet|police and crime|council|mayor|monitoring officer)", p, re.I)]
                    if posts:
                        to_others = [re.sub(r"^the\s+", "", p, flags=re.I) for p in parts]
                        to_keys = []
                    if not to_keys and not to_others:
                        parts = [clean(p) for p in re.split(r",\s*|\s+and\s+", re.split(r"\s+(?:which|to ensure|in order|so that|for|by|within|as)\b", target)[0]) if p.strip()]
                        to_others = [p for p in parts if 2 < len(p) < 80]
                action = {"present": "present", "report": "present", "take": "present", "share": "inform",
                          "consult": "consult", "consulted": "consult"}.get(v, "submit")
            if not from_keys or not (to_keys or to_others):
                prev_subject = index.keys_in(s[:80]) or prev_subject
                continue
            season, _ = season_of(s)
            for fk in from_keys:
                tk = [k for k in to_keys if k != fk]
                if not tk and not to_others:
                    continue
                name_bits = rep.group(3)
                owner = (rep.group(2) or "").strip()
                if name_bits.lower().startswith("annual report") and (not owner or index.keys_in(owner) == [fk]):
                    report = f"{index.by_key(fk).short_name} Annual Report"
                elif (rep.group(1) or "").strip().lower() in ("its", "their"):
                    report = f"{index.by_key(fk).short_name} {owner} {name_bits}" if owner and rep.re is _OWN_DOC else \
                        f"{index.by_key(fk).short_name} {name_bits[0].upper() + name_bits[1:]}"
                else:
                    report = clean((owner + " " + name_bits).strip())
                    report = report[0].upper() + report[1:]
                d: dict = {"key": "", "report": report, "from_board": fk}
                if tk:
                    d["to_boards"] = tk
                if to_others:
                    d["to_others"] = to_others
                d["action"] = action
                if season:
                    d["season"] = season
                d["text"] = clean(s)
                d["source"] = cite(doc, b, s, key=key).source()
                d["key"] = slug_key(f"{fk}_{report}_to_{(tk or to_others)[0]}", taken)
                out.append(d)
            prev_subject = index.keys_in(s[:80]) or prev_subject
    return out


_PASSIVE = re.compile(r"(?P<rep>[^.;]{0,80}?\b(?:annual|yearly) reports?|[^.;]{0,80}?\b(?:report|plan|strategy|assessment))\s+(?:will|shall|should|must|is|are)\s+(?:be\s+)?(?:formally\s+)?"
                      r"(?P<verb>presented|submitted|shared|sent|provided|reported|taken|circulated)\s+(?:to|with|at (?:the |a )?(?=[^.;]*\bmeeting))\s*(?P<to>[^.;]+)", re.I)


_GOES = re.compile(r"(?P<rep>[^.;]{0,80}?\b(?:annual|yearly) reports?|[^.;]{0,80}?\b(?:report|assessment|plan|strategy))\s+(?:will\s+|should\s+|must\s+)?"
                   r"(?P<verb>goes|go|comes|come|is taken|is brought|are taken|are brought)\s+(?:to)\s+(?P<to>[^.;]+)", re.I)


def _passive(doc: Document, index: BoardIndex, key: str, taken: set[str]) -> list[dict]:
    """Reports in the passive: "The HSCP yearly report will be presented to the SHB each November",
    or with a verb of motion: "The SAB's annual report goes to the HWB in October"."""
    out = []
    prev: list[str] = []
    for b_ in doc.blocks:
        if b_.kind not in ("paragraph", "item"):
            continue
        for s in sentences(b_.text):
            m = _PASSIVE.search(s) or _GOES.search(s)
            before = prev
            prev = index.keys_in(s[:100]) or prev
            if not m:
                continue
            frm = index.keys_in(m.group("rep"))
            if not frm and re.match(r"\s*(?:each|every) (?:of the )?(?:\w+ )?(?:partnership|board)s?['’]?s?\b", m.group("rep"), re.I):
                frm = [e.key for e in index.boards]  # "Each partnership's annual report is presented to the HWB"
            if not frm and re.match(r"\s*(?:each|every|this|these|the|their|its)\s+(?:annual |yearly )?reports?\b", m.group("rep"), re.I):
                frm = before
            if not frm:
                continue
            target = re.split(r"\s+(?:each|every|in|by|during|at|for|so that|to ensure|within)\b", m.group("to"))[0]
            parts = [re.sub(r"^the\s+", "", clean(x), flags=re.I) for x in re.split(r",\s*|\s+and\s+(?=the\b|[A-Z])", target) if clean(x)]
            posts = any(re.match(r"(?:local\s+)?(?:chair|chief executive|leader|director|lead member|cabinet|police and crime|council|mayor)", p, re.I) for p in parts)
            to_keys = [] if posts else index.keys_in(target)
            to_others = parts if posts or not to_keys else []
            if not to_keys and not to_others:
                continue
            for fk in frm:
                tk = [k for k in to_keys if k != fk]
                if not tk and not to_others:
                    continue
                name = re.sub(r"^(?:the|each|an?|their|its)\s+", "", clean(m.group("rep")), flags=re.I)
                name = re.sub(r"^(?:of the )?(?:\w+ )?(?:partnership|board)s?['’]?s?\s+", "", name, flags=re.I) if re.match(r"\s*(?:each|every)\b", m.group("rep"), re.I) else name
                if not index.keys_in(name):
                    name = f"{index.by_key(fk).short_name} {name}"
                name = name[0].upper() + name[1:]
                d: dict = {"key": slug_key(f"{fk}_{name}_to_{(tk or to_others)[0]}", taken), "report": name, "from_board": fk}
                if tk:
                    d["to_boards"] = tk
                if to_others:
                    d["to_others"] = to_others
                verb = m.group("verb").lower().split()[-1]
                d["action"] = {"presented": "present", "reported": "present", "taken": "present", "shared": "inform",
                               "circulated": "inform", "goes": "present", "go": "present", "comes": "present",
                               "come": "present", "brought": "present"}.get(verb, "submit")
                season, _ = season_of(s)
                if season:
                    d["season"] = season
                d["text"] = clean(s)
                d["source"] = cite(doc, b_, s, key=key).source()
                out.append(d)
    return out


def extract_reports(doc: Document, index: BoardIndex, key: str = "protocol") -> list[dict]:
    taken: set[str] = set()
    out: list[dict] = []
    for b in doc.blocks:
        if b.kind != "table" or len(b.rows) < 2:
            continue
        header = " ".join(c.text for c in b.rows[0]).lower()
        body = " ".join(c.text for r in b.rows[1:] for c in r).lower()
        if re.search(r"\blead\b", header) and not re.search(r"report", header):
            continue
        if re.search(r"report|document", header) and re.search(r"\bto\b|receiv|recipient|audience", header):
            out.extend(_rows(doc, b, index, key, taken))
        elif re.search(r"present|inform|consult|submit|receive", body) and _REPORT_WORD.search(body):
            out.extend(_matrix(doc, b, index, key, taken))
    seen = {(d.get("from_board"), d["report"].lower(), tuple(d.get("to_boards", []))) for d in out}
    for d in _passive(doc, index, key, taken) + _prose(doc, index, key, taken) + _reports_to(doc, index, key, taken) + _labelled(doc, index, key, taken):
        sig = (d.get("from_board"), d["report"].lower(), tuple(d.get("to_boards", [])))
        if sig not in seen:
            seen.add(sig)
            out.append(d)
    return out
