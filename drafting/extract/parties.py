"""Which bodies the document makes parties: those named in its title or opening "between …
and …", in a list introduced as the protocol's parties, or in its signatures; and, where it
states none of these, the bodies its opening section names together, or those with a
numbered section of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafting.extract.common import sentences
from drafting.extract.names import Mention, find_names, kind_of, normal_words
from drafting.model import Block, Document, clean

_PARTY_CUE = re.compile(
    r"relates to|part(?:y|ies) to|signator|specifically,? (?:these|they) are|this protocol (?:is )?(?:between|covers|applies to)"
    r"|(?:boards|partnerships|bodies) (?:covered|concerned|involved)(?: by this \w+)? are|the (?:boards|partnerships|bodies) are\s*:?\s*$|agreed (?:by|between)|the following (?:boards|partnerships|bodies)"
    r"|parties|partners to this|this (?:protocol|agreement|document) (?:sets out|outlines|describes) (?:the )?(?:relationship|working)",
    re.I)


LINK_CUE = re.compile(r"\blinks?\b|link into|also describes|relationship to|such as|for example|other (?:local )?(?:boards|groups|partnerships|strategic|bodies)"
                       r"|sub-?groups?|represented|membership|consists of|members? (?:of|from)|attend|invited|report(?:s|ing)? to|accountable", re.I)


_CUT = re.compile(r"\(\s*includ|\bincluding (?:the )?relationship|\bwith links|\bauthor|\bversion\b|\bdate[sd]?\b|\bin relation to\b|\(hereafter|\bwhich\b|\bwho\b", re.I)


_SIGN_CUE = re.compile(r"^(?:signed|signatures?|signatories|signed on behalf|agreed by|endorsed by)\b|undersigned|"
                       r"^this (?:protocol|agreement) (?:is|was|has been) (?:agreed|signed|endorsed)", re.I)


_ROLE = re.compile(r"^(?:independent\s+)?(?:co-?\s?chairs?|vice[- ]chairs?|chair(?:man|person)?|joint chairs?)\b", re.I)


@dataclass
class Candidate:
    mention: Mention
    block: Block
    evidence: str
    quote: str


def _front(doc: Document) -> list[Block]:
    """The title block: what comes before the first section (a numbered or second heading, a list, long prose)."""
    out: list[Block] = []
    for b in doc.blocks[:25]:
        if b.kind == "heading" and b.number:
            break
        if b.kind == "paragraph" and len(b.text) > 250 and out:
            break
        if b.kind == "item" and out:
            break
        if b.kind == "heading" and any(x.kind == "heading" for x in out):
            names = find_names(b.text)
            covered = sum(m.end - m.start for m in names)
            if not names or covered < 0.6 * len(b.text.rstrip(" ;,.")):
                break
        out.append(b)
    return out


NOT_PARTY = re.compile(r"\bnot (?:a |one of the )?(?:part(?:y|ies)|signator\w*|covered|members?\b)|\bnot (?:bound|a member) by|\bnot (?:itself )?a member|\bare not parties|\bhave their own arrangements|\boutside (?:the scope of )?this (?:protocol|agreement)", re.I)


_PARTY_HEADING = re.compile(r"^(?:the )?(?:parties|signatories|partners to this|who (?:this|the) (?:protocol|agreement|memorandum|framework) (?:covers|applies to|is between)"
                            r"|who (?:is|are) covered|who (?:it|this) (?:covers|applies to)|(?:boards|partnerships) (?:covered|involved|concerned)|scope)\b", re.I)


def not_parties(doc: Document) -> list[str]:
    """Names that a sentence of the document says are not parties to it."""
    out: list[str] = []
    for b in doc.blocks:
        if b.kind in ("paragraph", "item"):
            for s in sentences(b.text):
                if NOT_PARTY.search(s):
                    out.extend(m.name for m in find_names(s) if m.name not in out)
    return out


def is_excluded(name: str, excluded: list[str]) -> bool:
    """Whether ``name`` is one the document says is not a party: the same body, or a fuller
    form of it ("the Safeguarding Children Partnership" excludes "Kelby Safeguarding Children
    Partnership"), never a shorter, different body ("Kelby Children's Partnership")."""
    w, k = normal_words(name), kind_of(name)
    for x in excluded:
        xw, xk = normal_words(x), kind_of(x)
        if len(xw) < 2 or (xk != k and "other" not in (xk, k)):
            continue
        core = xw - {"board", "partnership", "trust", "group", "panel", "committee"}
        if core and xw <= w:
            return True
    return False


def party_candidates(doc: Document) -> list[Candidate]:
    """Names the document makes parties, each with the evidence (title, between, list, signature)."""
    found: list[Candidate] = []
    front = [b for b in _front(doc) if b.kind != "table"]
    # 1. the title block(s): "Joint protocol between A, B and C"
    text = ""
    for b in front:
        if text:
            ends_name = re.search(r"\b(?:board|partnership|trust|panel|group|committee|team|and;?)\s*$", text, re.I)
            text += "; " if ends_name and not text.rstrip().endswith("and") else " "
        text += b.text
    between = re.search(r"\bbetween\b:?", text, re.I)
    if front:
        if between:
            seg = text[between.end():]
            cut = _CUT.search(seg)
            seg = seg[: cut.start()] if cut else seg
            quote = clean(text[: between.end() + len(seg)])
        else:
            head = next((b for b in front if len(b.text) > 12 and not re.match(r"appendix|annex|draft|version", b.text, re.I)), front[0])
            seg = head.text
            cut = _CUT.search(seg)
            seg = seg[: cut.start()] if cut else seg
            cut2 = re.search(r"\b(?:determined by|under|in accordance with|as required by)\b", seg, re.I)
            seg = seg[: cut2.start()] if cut2 else seg
            quote = seg
        for m in find_names(seg):
            if not between and kind_of(m.name) == "other":
                continue  # "Thornbury Joint Partnership Protocol": the document's own name, not a board
            found.append(Candidate(m, front[0], "title", quote))
        if not between:
            # a line under the title that is nothing but the boards' names ("A | B | C and D")
            for b in front:
                if b is head or b.kind == "heading" and b is front[0]:
                    continue
                ms = [m for m in find_names(b.text) if kind_of(m.name) != "other"]
                covered = sum(m.end - m.start for m in ms)
                if len(ms) >= 2 and covered >= 0.6 * len(re.sub(r"[\s|•·,;]+|\band\b", "", b.text)) * 0.9:
                    found.extend(Candidate(m, b, "title", b.text) for m in ms)
    # 2. opening sentences: "This protocol outlines the relationship between the CTJCG (…), the LSCB …"
    # (the title block's own paragraphs too: "(a) This protocol is agreed by …" may open the document)
    body = [b for b in doc.blocks if b is not (front[0] if front else None)]
    for b in body[:30]:
        if b.kind not in ("paragraph", "item"):
            continue
        for s in sentences(b.text):
            if NOT_PARTY.search(s) or LINK_CUE.search(s[:60]):
                continue
            m = re.search(r"(?:protocol|relationship|agreement|arrangements?|working|document|memorandum|partnership)\b[^.]{0,80}?\b(?:between|agreed by|made by|signed by|entered into by|adopted by|endorsed by)\b", s, re.I)
            if not m:
                m2 = re.search(r"\b(?:this|the) (?:protocol|agreement|memorandum)\b[^.]{0,40}?\b(?:define|set|describe|explain)s? how\b", s, re.I)
                if not m2:
                    continue
                seg = s[m2.end():]
                w = re.search(r"\bwork together|\bwill\b|\bshould\b|\bcan\b", seg)
                seg = seg[: w.start()] if w else seg
            else:
                seg = s[m.end():]
            cut = _CUT.search(seg)
            seg = seg[: cut.start()] if cut else seg
            for mm in find_names(seg):
                found.append(Candidate(mm, b, "between", s))
            for a in re.finditer(r"\b(?:the\s+)?([A-Z][A-Z&]{1,8})\b", seg):
                if re.search(r"[A-Z][a-z]+\s$", seg[: a.start(1)]):
                    continue  # "(Ashworth HWB)": one council's board, a place and an abbreviation together
                found.append(Candidate(Mention(0, 0, "", a.group(1)), b, "between-abbr", s))
    # 3a. a section headed "Parties", "Who this protocol covers" (its sentences, list and table)
    for b in doc.blocks:
        h = b.heading
        if not h or not _PARTY_HEADING.match(h.text):
            continue
        if b.kind == "table":
            header = " ".join(c.text for c in b.rows[0]).lower()
            if re.search(r"\blinks?\b|not part|for information", header):
                continue
            abbr_col = next((i for i, c in enumerate(b.rows[0]) if re.search(r"abbreviat|short name|acronym", c.text, re.I)), None)
            for row in b.rows[1:]:
                abbr = row[abbr_col].text.strip() if abbr_col is not None and abbr_col < len(row) else ""
                for c in row:
                    for mm in find_names(c.text):
                        if abbr and not mm.abbr and re.fullmatch(r"[A-Z][A-Za-z&]{1,9}", abbr):
                            mm = Mention(mm.start, mm.end, mm.name, abbr)
                        found.append(Candidate(mm, b, "list", " | ".join(x.text for x in row if x.text)))
            continue
        if b.kind not in ("paragraph", "item"):
            continue
        for s in sentences(b.text):
            if NOT_PARTY.search(s) or re.search(r"\balso\b|\brelate to\b|\blinks?\b|\bother\b", s, re.I):
                continue
            for mm in find_names(s):
                found.append(Candidate(mm, b, "list", s))
    # 3. a list introduced as the protocol's parties
    for i, b in enumerate(doc.blocks):
        if b.kind != "paragraph" or not b.text.rstrip().endswith((":", ";", "-")):
            continue
        if not _PARTY_CUE.search(b.text) or LINK_CUE.search(b.text):
            continue
        j = i + 1
        # list items, or paragraphs lettered "a) … b) …" as Word documents often type them
        while j < len(doc.blocks) and (doc.blocks[j].kind == "item" or (
                doc.blocks[j].kind == "paragraph" and doc.blocks[j].number and not doc.blocks[j].number[0].isdigit()
                and not doc.blocks[j].number[0].isupper())):
            for m in find_names(doc.blocks[j].text):
                found.append(Candidate(m, doc.blocks[j], "list", doc.blocks[j].text))
            j += 1
    # 4. signatures
    found.extend(_signature_candidates(doc))
    return found


def signature_blocks(doc: Document) -> list[Block]:
    """Blocks that are signatures: after a 'signed'/'agreed by' cue near the end, or 'Chair, <board>' lines."""
    out: list[Block] = []
    n = len(doc.blocks)
    cue_at = None
    for i, b in enumerate(doc.blocks):
        if i >= n * 0.5 and b.kind != "table" and _SIGN_CUE.search(b.text) and len(b.text) < 200:
            cue_at = i
            break
    for i, b in enumerate(doc.blocks):
        if b.kind == "table":
            cells = " ".join(c.text for r in b.rows for c in r)
            if re.search(r"\bsign(?:ed|ature)\b", cells, re.I) or (cue_at is not None and i > cue_at and re.search(r"\bchair", cells, re.I)):
                out.append(b)
            continue
        short = len(b.text) < 160
        if short and _ROLE.match(b.text) and find_names(b.text):
            out.append(b)
        elif cue_at is not None and cue_at < i <= cue_at + 20 and short:
            out.append(b)
    return out


def _signature_candidates(doc: Document) -> list[Candidate]:
    out = []
    for b in signature_blocks(doc):
        if b.kind == "table":
            for _r, row in enumerate(b.rows):
                for c in row:
                    for m in find_names(c.text):
                        out.append(Candidate(m, b, "signature", " | ".join(x.text for x in row if x.text)))
        else:
            for m in find_names(b.text):
                out.append(Candidate(m, b, "signature", b.text))
    return out


def opening_fallback(doc: Document, excluded: list[str]) -> list[Candidate]:
    """Boards the opening section names together, where nothing says who is party.

    A terms of reference or a framework often opens "The group is where the A, the B and
    the C coordinate their work": the bodies its first section names (two or more of a
    known kind, not said to be outside it) are the ones it is about.
    """
    out: list[Candidate] = []
    headings = 0
    for b in doc.blocks[:40]:
        if b.kind == "heading":
            headings += 1
            if out and headings > 2:
                break
            continue
        if b.kind not in ("paragraph", "item"):
            continue
        for s in sentences(b.text):
            if NOT_PARTY.search(s) or LINK_CUE.search(s):
                continue
            ms = [m for m in find_names(s) if kind_of(m.name) != "other" and not is_excluded(m.name, excluded)]
            out.extend(Candidate(m, b, "opening", s) for m in ms)
        if len({normal_words(c.mention.name) for c in out}) >= 2 and b.kind == "paragraph":
            break
    return out if len({normal_words(c.mention.name) for c in out}) >= 2 else []


def heading_fallback(doc: Document) -> list[Candidate]:
    out = []
    for b in doc.blocks:
        if b.kind == "heading":
            ms = find_names(b.text)
            if len(ms) == 1 and ms[0].start < 5 and kind_of(ms[0].name) != "other":
                out.append(Candidate(ms[0], b, "heading", b.text))
    return out
