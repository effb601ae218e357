"""Information-sharing arrangements: who shares which papers with whom, and when."""

from __future__ import annotations

import re

from drafting.extract.board_index import BoardIndex
from drafting.extract.common import cite, sentences, slug_key
from drafting.model import Document, clean

_ITEMS = [("agendas", r"agendas?"), ("minutes", r"minutes"), ("annual_reports", r"annual reports?"),
          ("annual_plans", r"(?:annual|business|work) plans?"), ("strategies", r"strateg(?:y|ies)|plans?\b"),
          ("inspection_reports", r"inspection reports?"), ("information", r"information|data|intelligence|updates?|risks?|good practice|learning")]
_VERB = re.compile(r"\b(?:will share|to share|shares|share (?:their|its|each|the|information|all|relevant|a)|(?:be|are|is|been) shared|sharing of|share\b(?= [a-z]+ (?:and|with))|receive[sd]? (?:a )?cop(?:y|ies)|circulate[sd]?|exchange[sd]?|provided? (?:with )?(?:information|updates|copies|a copy)|sent to|send (?:a )?cop(?:y|ies))\b", re.I)


def extract_sharing(doc: Document, index: BoardIndex, key: str = "protocol") -> list[dict]:
    out: list[dict] = []
    taken: set[str] = set()
    for b in doc.blocks:
        if b.kind not in ("paragraph", "item"):
            continue
        in_section = bool(b.heading and re.search(r"information|sharing|communicat", b.heading.text, re.I))
        for s in sentences(b.text):
            if not _VERB.search(s) or s.rstrip().endswith(":"):
                continue
            low = s.lower()
            items = [name for name, rx in _ITEMS if re.search(rx, low)]
            if not items:
                continue
            if items == ["information"] and not in_section and not re.search(r"share (?:information|data)|information (?:will|should) be shared|sharing (?:of )?information", low):
                continue
            if re.search(r"annual report", low) and re.search(r"\bpresent|\bsubmit", low) and "minutes" not in low:
                continue  # a reporting duty, drafted with the reports
            vm = _VERB.search(s)
            subj = s[: vm.start()]
            frm = index.keys_in(subj)
            to = []
            m = re.search(r"\b(?:with|to (?=the\b|each\b|all\b|other\b|[A-Z]))\s*(.+?)(?:[.;]|\s+(?:and note|to (?:ensure|enable|inform|support)|in order|so that|for information|during|after|at)\b|$)", s[vm.end():])
            if m:
                to = [clean(x) for x in re.split(r",\s*|\s+and\s+(?=the\b)", m.group(1)) if clean(x)][:6]
            if re.search(r"each other'?s|one another|between them", low):
                to = to or ["each other"]
            rule = {"key": slug_key("_".join(items[:2]) + ("_" + frm[0] if frm else ""), taken), "text": clean(s), "items": items}
            if frm:
                rule["from_boards"] = frm
            if to:
                rule["to"] = to
            when = re.search(r"\b(?:after (?:each|every) meeting|annually|quarterly|monthly|regularly|as soon as [^,.;]+|within [^,.;]+)", s, re.I)
            if when:
                rule["when"] = clean(when.group(0))
            rule["source"] = cite(doc, b, s, key=key).source()
            out.append(rule)
    return out
