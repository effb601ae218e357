"""Themes and their leads from running text: "the HSCP leads on:" and a list, a theme as a
heading with "Lead: …" under it, "Neglect: lead board – the SCP", and lead sentences.
"""

from __future__ import annotations

import re

from drafting.extract.board_index import BoardIndex
from drafting.extract.common import cite, sentences
from drafting.extract.theme_leads import (
    LABEL_LEAD,
    NO_LEAD,
    SUPPORT_CUT,
    leads_from,
    parse_lead_sentence,
)
from drafting.extract.theme_names import aliases, including, split_themes
from drafting.model import Document, clean


def from_prose(doc: Document, index: BoardIndex, key: str) -> list[dict]:
    out: list[dict] = []
    for b in doc.blocks:
        if b.kind not in ("paragraph", "item"):
            continue
        sents = sentences(b.text)
        # "Within this protocol the HSCP leads on:" followed by a list of themes
        if sents and sents[-1].rstrip().endswith(":") and re.search(r"\blead", sents[-1], re.I):
            intro = sents[-1]
            subj = re.split(r"\b(?:will |shall |is |are |also )*(?:lead|leads|take the lead|is responsible|are responsible|has (?:the )?lead)", intro, flags=re.I)[0]
            leads = index.keys_in(subj) or (index.keys_in(b.heading.text) if b.heading and (
                re.search(r"\b(?:it|the (?:board|partnership|group|panel))\b", subj, re.I) or not subj.strip()) else [])
            leads = leads if len(leads) <= 3 else []
            j = b.index + 1
            while leads and j < len(doc.blocks) and doc.blocks[j].kind == "item":
                item = doc.blocks[j]
                for name in split_themes(item.text):
                    out.append({"key": "", "name": name, "aliases": aliases(name) + including(item.text), "leads": leads, "lead_role": clean(f"{intro} {item.text}"),
                                "source": cite(doc, item, key=key).source()})
                j += 1
        # a theme as a heading of its own, then "Lead: SAB and SCP jointly." / "No lead board has been agreed …"
        hl = re.match(r"^\s*(?:the\s+)?lead(?:s|\s+(?:board|partnership|body|agency))?\s*[:\-–—]\s*(?P<lead>[^.;]+)", b.text, re.I)
        nl = re.match(r"^\s*(?:there is )?no (?:single |one |agreed |overall )?(?:lead|board|partnership)\b", b.text, re.I)
        h = b.heading
        if (hl or nl) and h is not None and not index.keys_in(h.text) and len(h.text) < 90 and doc.blocks[b.index - 1] is h:
            name = h.text.strip(" *:")
            if nl or NO_LEAD.search(hl.group("lead")):
                out.append({"key": "", "name": name, "aliases": aliases(name), "no_lead": clean(b.text), "source": cite(doc, b, key=key).source()})
                continue
            keys, note = leads_from(SUPPORT_CUT.sub("", hl.group("lead")), index)
            if keys:
                out.append({"key": "", "name": name, "aliases": aliases(name), "leads": keys, "lead_role": clean(b.text),
                            "source": cite(doc, b, key=key).source()})
                continue
        # "School readiness. Lead: CYPP. Support: HWB." / "Neglect: lead board – the SCP"
        lab = LABEL_LEAD.match(b.text)
        if lab and b.kind in ("item", "paragraph") and not index.keys_in(lab.group("theme")):
            lead_text = SUPPORT_CUT.sub("", lab.group("lead"))
            name = lab.group("theme").strip(" *")
            if NO_LEAD.search(lead_text):
                out.append({"key": "", "name": name, "aliases": aliases(name), "no_lead": clean(b.text), "source": cite(doc, b, key=key).source()})
                continue
            keys, note = leads_from(lead_text, index)
            if keys:
                t = {"key": "", "name": name, "aliases": aliases(name), "leads": keys, "lead_role": clean(b.text),
                     "source": cite(doc, b, key=key).source()}
                if note:
                    t["notes"] = [{"text": note, "source": cite(doc, b, key=key).source()}]
                out.append(t)
                continue
        # "Youth justice — the CPB takes the lead." / "Hoarding: the ASP and CSP jointly."
        dash = re.match(r"^(?P<theme>[^—–:\-]{3,90}?)\s*(?:—|–|:|\s-\s)\s*(?P<rest>.+)$", b.text)
        if b.kind == "item" and dash and not index.keys_in(dash.group("theme")) and not (
                re.search(r"\b(?:reports?|plan|strategy|assessment|minutes)\b", dash.group("theme"), re.I)
                and re.search(r"\s(?:to|→|->)\s", dash.group("rest"))):  # "Annual report: SAB to HWB" is a report
            rest = dash.group("rest")
            if NO_LEAD.search(rest) or re.match(r"\s*no (?:one|single)\b", rest, re.I):
                name = dash.group("theme").strip(" *")
                out.append({"key": "", "name": name, "aliases": aliases(name), "no_lead": clean(rest), "source": cite(doc, b, key=key).source()})
                continue
            keys = index.keys_in(re.split(r"\bwith\b|\bsupported by\b|\bcontribut", rest)[0])
            if keys and (re.search(r"\blead|\bled\b|jointly|responsib|accountab", rest, re.I) or len(rest) < 40):
                for name in [dash.group("theme").strip(" *")]:  # a theme written as a label stays whole
                    out.append({"key": "", "name": name, "aliases": aliases(name), "leads": keys, "lead_role": clean(b.text),
                                "source": cite(doc, b, key=key).source()})
                continue
        for s in sents:
            if not re.search(r"\blead|\bled\b|\bleads\b|responsib|accountab|\boversee|\b(?:sits?|rests?|lies) with\b", s, re.I):
                continue
            found = parse_lead_sentence(s, index)
            for names, leads, no_lead, note in found:
                for name in names:
                    t = {"key": "", "name": name, "aliases": aliases(name) + including(s)}
                    if no_lead:
                        t["no_lead"] = clean(s)
                    else:
                        t["leads"] = leads
                        t["lead_role"] = clean(s)
                        if note:
                            t["notes"] = [{"text": note, "source": cite(doc, b, s, key=key).source()}]
                    t["source"] = cite(doc, b, s, key=key).source()
                    out.append(t)
    return out
