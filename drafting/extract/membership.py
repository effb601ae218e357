"""Common membership: which posts sit on which boards, from matrices and sentences.

A membership matrix has boards down one side and posts along the other (either way
round), cells saying "Attends", "Member", "Chairs", a tick, or listing the posts; a
sentence says "the Director of Public Health sits on the HWB and attends the LSCB".
"""

from __future__ import annotations

import re

from drafting.extract.board_index import BoardIndex
from drafting.extract.common import cite, sentences, slug_key
from drafting.model import Document, clean

_CAP = [("chairs", r"\bchairs?\b|\bchair\b"), ("participant_observer", r"participant observer|observer"),
        ("invited", r"\binvited\b"), ("attends", r"\battends?\b|attendance"),
        ("member", r"\bmember|\byes\b|^\s*[xX✓✔√•]\s*$|\bsits? on\b|\bsit on\b|\bvoting\b")]
_SIT = re.compile(r"\b(?:sits?|will sit|is|are|will be|becomes?)\s+(?:also\s+)?(?:on|a (?:full |voting )?member of|members of|an? 'participant observer' of|a participant observer of)\b"
                  r"|\battends\b|\bwill attend\b|\b(?:is|are) (?:also )?(?:a )?members? of", re.I)


def _capacity(cell: str) -> str | None:
    for name, rx in _CAP:
        if re.search(rx, cell, re.I):
            return name
    return None


def _post_key(title: str, taken: dict[str, str], used: set[str]) -> str:
    norm = re.sub(r"[^a-z0-9]+", " ", title.lower()).strip()
    if norm not in taken:
        abbr = re.search(r"\(([A-Z]{2,6})\)", title)
        if abbr and abbr.group(1)[0] != title.strip()[0].upper():
            abbr = None
        taken[norm] = slug_key(abbr.group(1) if abbr else re.sub(r"\(.*?\)", "", title), used, 40)
    return taken[norm]


def extract_roles(doc: Document, index: BoardIndex, key: str = "protocol") -> list[dict]:
    roles: dict[str, dict] = {}
    norm_key: dict[str, str] = {}
    used: set[str] = set()

    def seat(title: str, board: str, capacity: str, src: dict) -> None:
        title = clean(re.sub(r"^(?:the|a|an)\s+", "", title.strip(" ,;:.-"), flags=re.I))
        if not title or len(title) > 100 or index.keys_in(title) == [board]:
            return
        k = _post_key(title, norm_key, used)
        r = roles.setdefault(k, {"key": k, "title": title, "seats": []})
        if not any(s["board"] == board for s in r["seats"]):
            r["seats"].append({"board": board, "capacity": capacity, "source": src})

    for b in doc.blocks:
        if b.kind != "table" or len(b.rows) < 2:
            continue
        header = [c.text for c in b.rows[0]]
        first_col = [r[0].text for r in b.rows]
        row_boards = [index.keys_in(x) for x in first_col]
        col_boards = [index.keys_in(x) for x in header]
        body = " ".join(c.text for r in b.rows for c in r).lower()
        if re.search(r"\bsignature|\bsigned\b", body):
            continue
        if sum(1 for k in row_boards if len(k) == 1) >= 2 and not re.search(r"present|inform|consult|\blead\b", body):
            for r, row in enumerate(b.rows):
                if len(row_boards[r]) != 1:
                    continue
                board = row_boards[r][0]
                src = cite(doc, b, row=r, key=key).source()
                for i, c in enumerate(row[1:], start=1):
                    if not c.text:
                        continue
                    post = header[i] if r > 0 and i < len(header) and header[i] and not index.keys_in(header[i]) else None
                    cap = _capacity(c.text)
                    if post and cap:
                        seat(post, board, cap, src)
                    elif not post:
                        for part in re.split(r",\s*|\s+and\s+(?=Lead|Director|Chief|Executive|Assistant|Head|Cabinet)", c.text):
                            m = re.match(r"(.+?)\s*\((.+?)\)\s*$", part)
                            cap2 = _capacity(m.group(2)) if m else None
                            seat(m.group(1) if m else part, board, cap2 or "member", src)
        elif sum(1 for k in col_boards if len(k) == 1) >= 2 and not re.search(r"present|inform|consult|\blead\b", body):
            for r, row in enumerate(b.rows[1:], start=1):
                post = row[0].text
                if not post or index.keys_in(post):
                    continue
                src = cite(doc, b, row=r, key=key).source()
                for i, c in enumerate(row[1:], start=1):
                    cap = _capacity(c.text) if c.text else None
                    if cap and i < len(col_boards) and len(col_boards[i]) == 1:
                        seat(post, col_boards[i][0], cap, src)
    for b in doc.blocks:
        if b.kind not in ("paragraph", "item"):
            continue
        for s in sentences(b.text):
            m = _SIT.search(s)
            if not m or re.search(r"\binvited\b", s[: m.end() + 20], re.I):
                continue
            subj = s[: m.start()]
            if index.keys_in(subj) and not re.search(r"\b(?:chair|director|member|officer|lead|executive|head|manager|commissioner|councillor)\b", subj, re.I):
                continue
            rest = s[m.start():]
            boards = index.keys_in(rest)
            if not boards or len(subj) > 140 or len(subj) < 3:
                continue
            src = cite(doc, b, s, key=key).source()
            posts = [p for p in re.split(r"\s+and\s+the\s+|\s+and\s+(?=(?:Director|Assistant|Executive|Chief|Lead|Head|Cabinet)\b)", subj) if p.strip()]
            for p in posts:
                p = re.sub(r"^(?:the|in addition,? the)\s+", "", p.strip(" ,;:-"), flags=re.I)
                p = re.sub(r"\s+(?:will|also|both|who)$", "", p)
                if not re.search(r"[A-Z]", p) or re.search(r"\bboards?\b|\bpartnership", p, re.I) and not re.search(r"chair", p, re.I):
                    continue
                segments = re.split(r"\band\s+(?=attends|is a|a 'participant|a participant)|;", rest)
                for seg in segments:
                    cap = "participant_observer" if re.search(r"observer", seg, re.I) else "attends" if re.search(r"\battend", seg, re.I) else "member"
                    for bk in index.keys_in(seg):
                        seat(p, bk, cap, src)
    return [r for r in roles.values() if r["seats"]]
