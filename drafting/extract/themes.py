"""Themes and who leads on them: from "Theme | Lead | …" tables and from lead sentences.

A lead cell or sentence may name one board, several (a joint lead), none ("no single
lead", "to be agreed"), or describe a change ("transferred from the CSP to the HWB in
2023"): the current lead is drafted and the change is kept as a note. A lead printed as an
abbreviation the document never defines (a misprint) is read from the row's own text
("The BSCB is the lead …") rather than guessed.
"""

from __future__ import annotations

import re

from drafting.extract.boards import BoardIndex
from drafting.extract.common import cite, sentences, slug_key
from drafting.model import Document, clean

_THEME_COL = re.compile(r"\b(theme|issue|priorit|area|topic|subject|agenda|work ?stream|matter)", re.I)
_LEAD_COL = re.compile(r"\blead|accountab|responsib|\bowner|who leads", re.I)
_NO_LEAD = re.compile(r"\bno (?:single |one |overall |named |agreed )?(?:lead|board|partnership|body)\b(?! (?:has|is) been)|^\s*(?:none|n/?a|-|–|tbc|tba)\s*$"
                      r"|to be (?:agreed|confirmed|decided|determined)|not (?:yet )?(?:agreed|assigned|decided)|\bshared (?:across|between|by)|no lead", re.I)
_FUTURE = re.compile(r"\bwill (?:transfer|move|pass|change|take over|become)\b|\bfrom (?:\d{1,2} )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* (?:20\d\d)\b.*\b(?:will|to)\b", re.I)
_CHANGE = re.compile(r"(?:transferr?ed|moved|passed|handed(?: over)?|changed)\s+(?:from\s+(?P<old>.+?)\s+)?to\s+(?P<new>[^.;,]+)", re.I)
_TRIM_THEME = re.compile(r"^(?:the|all|any|a|an|matters? (?:relating|related) to|issues? (?:relating|related) to|work on|work around|understanding need,? and performance in relation to|understanding need(?:,| and)? (?:and )?performance (?:in relation to|on)|the strategic development and overview of (?:the )?(?:[A-Z]\w+ )?(?:multi-agency )?response to)\s+", re.I)
_TAIL = re.compile(r"\s+(?:issues|matters|work|agenda)$", re.I)

_LEAD_VERB = re.compile(
    r"(?P<subj>^.{0,160}?)\b(?:will |shall |should |is to |to )?(?:take|takes|taking|have|has|hold|holds|retain|retains|assume|assumes|provide|provides)?\s*"
    r"(?:the |a )?(?:strategic |overall |statutory |lead |joint )*lead(?: responsibility| role| partnership| board| body| agency)?\s+"
    r"(?:on|for|in relation to|in respect of|regarding)\s+(?P<theme>[^.;:]+)", re.I)
_LEADS_VERB = re.compile(r"(?P<subj>^.{0,160}?)\b(?:will |shall |jointly |together )*(?:co-)?leads?\s+(?:on|for|(?:the |a )?(?:partnership |multi-agency |joint )?(?:response|work) (?:to|on))\s+(?P<theme>[^.;:]+)", re.I)
_IS_LEAD = re.compile(r"(?P<subj>^.{0,160}?)\b(?:is|are|will be|acts? as|will act as)\s+(?:the |a |joint )?(?:statutory |strategic |overall |joint |co-)*(?:lead|leads|lead partnership|lead board|lead body|lead agency)\b(?:\s+(?:partnership|board|body|agency))?\s*(?:(?:for|on|in relation to|in respect of)\s+(?P<theme>[^.;:]+))?", re.I)
_LED_BY = re.compile(r"(?P<theme>^.{3,120}?)\s+(?:is|are|will be)\s+(?:jointly\s+|currently\s+)?(?:led|owned|overseen)\s+(?:jointly\s+)?by\s+(?P<subj>[^.;]+)", re.I)
_RESTS = re.compile(r"\b(?:lead (?:responsibility )?|(?:lead |strategic |overall )?(?:responsibility|accountability|leadership) )(?:for|on)\s+(?P<theme>.+?)\s+(?:rests|lies|sits|will rest|will sit|is held|will be held|belongs)\s+(?:with|by)\s+(?P<subj>[^.;]+)", re.I)
_OVERSEES = re.compile(r"(?P<subj>^.{0,160}?)\b(?:will |shall |also )*(?:oversees?|takes? (?:the )?lead responsibility for|has (?:the )?lead responsibility for)\s+(?:the\s+)?(?:work (?:on|around)\s+|response to\s+|partnership response to\s+)?(?P<theme>[^.;:]+)", re.I)
_SITS = re.compile(r"(?P<theme>^.{3,120}?)\s+(?:sits?|rests?|lies|lie|will sit|will rest)\s+with\s+(?P<subj>[^.;]+)", re.I)
_SHARE = re.compile(r"(?P<subj>^.{0,160}?)\b(?:will |shall |jointly )*(?:share|hold jointly|jointly hold|co-lead)\s+(?:the\s+)?(?:leadership|lead|responsibility|lead responsibility)\s+(?:of|on|for)\s+(?P<theme>[^.;:]+)", re.I)
_NO_LEAD_SENT = re.compile(r"\b(?:there is |has |with )?no (?:single |one |overall |named )?(?:lead|board|partnership|body)(?: (?:board|partnership))?\s+(?:leads? |is responsible |takes the lead )?(?:on|for)\s+(?P<theme>[^.;:]+)"
                           r"|(?P<theme2>^.{3,80}?)\s+has no (?:single |one |overall )?lead", re.I)


def split_themes(phrase: str) -> list[str]:
    phrase = clean(re.sub(r"\(.*?\)", lambda m: m.group(0) if re.fullmatch(r"\([A-Z]{2,6}\)", m.group(0)) else "", phrase))
    extra = []
    inc = re.search(r",?\s+including\s+([^,;]+)$", phrase)
    if inc:
        extra = [inc.group(1)]
        phrase = phrase[: inc.start()]
    phrase = re.split(r"\s+(?:and has|and is|and will|which|through|by means of|so that|in order to|ensuring that|with a|with the|across|within|as well as|including|—|–|-\s)\s*", phrase)[0]
    phrase = _TRIM_THEME.sub("", phrase.strip())
    phrase = re.sub(r"^(?:ensuring|ensure|understanding|overseeing|promoting|delivering|improving|co-?ordinating|tackling|addressing|reducing)\s+(?:the\s+)?"
                    r"(?:effectiveness of (?:services|arrangements|work)(?: (?:that|which|to) (?:ensure|promote|protect)s?)?\s+(?:the\s+)?)?", "", phrase, flags=re.I)
    if "," in phrase or ";" in phrase:
        parts = re.split(r",\s*(?:and\s+|or\s+)?|;\s*|\s+and\s+(?=[^,]+$)", phrase)
    else:
        bits = re.split(r"\s+and\s+", phrase)
        parts = bits if len(bits) == 2 and all(len(x.split()) <= 3 and " of " not in f" {x} " for x in bits) and len(bits[1].split()) > 1 else [phrase]
    _ = extra  # what follows "including" is an alias of the theme, not a theme of its own (see including())
    out = []
    for p in parts:
        p = _TAIL.sub("", _TRIM_THEME.sub("", p.strip(" .,:;")))
        if 2 <= len(p) <= 80 and len(p.split()) <= 9 and re.search(r"[a-z]{3}", p, re.I):
            out.append(p[0].upper() + p[1:])
    return out


def including(phrase: str) -> list[str]:
    """'child criminal exploitation, including county lines' -> ['County lines'] (aliases)."""
    m = re.search(r",?\s+including\s+([^,;.]+)", phrase)
    if not m:
        return []
    out = []
    for x in re.split(r"\s+and\s+|,\s*", m.group(1)):
        x = x.strip(" .")
        if 2 < len(x) < 60:
            out.append(x[0].upper() + x[1:])
    return out


def _aliases(name: str) -> list[str]:
    out = []
    for m in re.finditer(r"\(([A-Z][A-Za-z]{1,7})\)", name):
        out.append(m.group(1))
    base = re.sub(r"\s*\(.*?\)", "", name).strip()
    if base != name and base:
        out.append(base)
    return list(dict.fromkeys(a for a in out if a.lower() != name.lower()))


def _leads_from(text: str, index: BoardIndex) -> tuple[list[str], str | None]:
    """(current lead keys, note on a change) from a lead cell or clause."""
    import datetime as dt

    from drafting.extract.common import find_date, parse_partial

    dated = re.search(r"(?P<now>.*?)\(?\s*\b(?:from|with effect from|as of|until)\s+(?P<date>[^:;,)]{3,30}?)\s*[:,]\s*(?P<new>[^);]+)\)?", text, re.I)
    if dated and find_date(dated.group("date")) and index.keys_in(dated.group("new")):
        when = parse_partial(find_date(dated.group("date"))[0])
        old = index.keys_in(dated.group("now"))
        if when > dt.date.today() and old:
            return old, clean(text)
        return index.keys_in(dated.group("new")), clean(text)
    m = _CHANGE.search(text)
    if m:
        new = index.keys_in(m.group("new"))
        old = index.keys_in(m.group("old") or "")
        if _FUTURE.search(text) and old:
            return old, clean(text)
        if new:
            return new, clean(text)
    fut = re.search(r"(?P<now>.+?)\s*[\(,;]\s*(?:moving|transferring|passing|to move|to transfer|will move|will transfer)\s+to\s+(?P<new>[^)]+)", text, re.I)
    if fut and index.keys_in(fut.group("now")):
        return index.keys_in(fut.group("now")), clean(text)
    prev = re.search(r"\b(?:previously|formerly|until)\b", text, re.I)
    now = re.search(r"\b(?:now|currently|from)\b\s+(?:the\s+)?(?P<rest>.+)", text, re.I)
    if prev and now and index.keys_in(now.group("rest")):
        return index.keys_in(now.group("rest")), clean(text)
    return index.keys_in(text), None


def from_tables(doc: Document, index: BoardIndex, key: str) -> list[dict]:
    themes: list[dict] = []
    for b in doc.blocks:
        if b.kind != "table" or len(b.rows) < 2:
            continue
        header = [c.text for c in b.rows[0]]
        tcol = next((i for i, h in enumerate(header) if _THEME_COL.search(h) and not _LEAD_COL.search(h)), None)
        lcol = next((i for i, h in enumerate(header) if _LEAD_COL.search(h)), None)
        if tcol is None or lcol is None or tcol == lcol:
            continue
        info_cols = [i for i in range(len(header)) if i not in (tcol, lcol)]
        for r, row in enumerate(b.rows[1:], start=1):
            name = row[tcol].text if tcol < len(row) else ""
            lead = row[lcol].text if lcol < len(row) else ""
            # "the Panel (with the Partnership Board)", "TCSP, supported by TSAB": a supporting board does not lead
            lead = re.sub(r"\s*\((?:with|supported by|assisted by|working with|alongside|support from)\b[^)]*\)", "", lead, flags=re.I)
            lead = _SUPPORT_CUT.sub("", lead) if not re.search(r"\bjointly with\b", lead, re.I) else lead
            info = " ".join(row[i].text for i in info_cols if i < len(row))
            if not name or len(name) > 120:
                continue
            src = cite(doc, b, row=r, key=key).source()
            theme: dict = {"key": "", "name": name, "aliases": _aliases(name)}
            if _NO_LEAD.search(lead) or (not lead and re.search(r"no (?:single )?lead", info, re.I)):
                theme["no_lead"] = clean(f"{lead}. {info}" if lead and info else (lead or info)) or "No lead is named."
            else:
                leads, note = _leads_from(lead, index)
                if not leads or (re.fullmatch(r"[A-Z]{2,8}", lead.strip()) and not index.keys_in(lead)):
                    m = re.search(r"(?P<subj>[^.]{0,80}?)\b(?:is|will be|will act as|act as|acts as)\s+(?:the\s+)?(?:strategic\s+)?lead\b", info, re.I)
                    subj_keys = index.keys_in(m.group("subj")) if m else []
                    if subj_keys:
                        leads = subj_keys
                        theme["notes"] = [{"text": f"The Lead column prints {lead!r}; the row's text names the lead.",
                                           "source": src}]
                if not leads:
                    continue
                theme["leads"] = leads
                if note:
                    theme.setdefault("notes", []).append({"text": note, "source": src})
                role = next((s for s in sentences(info) if re.search(r"\blead", s, re.I)), None) or (sentences(info)[0] if info else None)
                if role:
                    theme["lead_role"] = clean(role)[:600]
            theme["source"] = src
            themes.append(theme)
    return themes


def from_board_rows(doc: Document, index: BoardIndex, key: str) -> list[dict]:
    """A table with one row per board and the themes it leads on in a cell:
    "Partnership | Leads on | Contributes to" / "SAB | Self-neglect; financial abuse | …"."""
    themes: list[dict] = []
    for b in doc.blocks:
        if b.kind != "table" or len(b.rows) < 2:
            continue
        header = [c.text for c in b.rows[0]]
        lcol = next((i for i, h in enumerate(header) if re.fullmatch(r"\s*(?:leads?(?: on| for)?|lead (?:responsibilit(?:y|ies)|role|themes?|areas?)|themes? led)\s*", h, re.I)), None)
        if lcol is None:
            continue
        for r, row in enumerate(b.rows[1:], start=1):
            ks = index.keys_in(row[0].text) if row else []
            if len(ks) != 1 or lcol >= len(row) or lcol == 0:
                continue
            src = cite(doc, b, row=r, key=key).source()
            for part in re.split(r"\s*[;\n•]\s*|,\s*(?![^()]*\))", row[lcol].text):
                part = part.strip(" .")
                if len(part) < 3 or index.keys_in(part) or _NO_LEAD.search(part):
                    continue
                name = part[0].upper() + part[1:]
                themes.append({"key": "", "name": name, "aliases": _aliases(name), "leads": ks, "lead_role": clean(" | ".join(c.text for c in row)),
                               "source": src})
    return themes


_LEAD_MARK = re.compile(r"^\s*(?:l|lead(?:\s+(?:board|partnership|body))?|joint lead|co-?lead|lead\s*\(joint\))\s*[.*]?\s*$", re.I)


def from_matrices(doc: Document, index: BoardIndex, key: str) -> list[dict]:
    """A lead matrix: themes down the side, one column per board, 'L' or 'Lead' in the lead's
    cell (and 'S' or 'Support' in the others'); two marked leads make a joint lead."""
    themes: list[dict] = []
    for b in doc.blocks:
        if b.kind != "table" or len(b.rows) < 2 or len(b.rows[0]) < 3:
            continue
        header = [c.text for c in b.rows[0]]
        cols = {}
        for i, h in enumerate(header[1:], start=1):
            ks = index.keys_in(h)
            if len(ks) == 1 and ks[0] not in cols.values():
                cols[i] = ks[0]
        if len(cols) < 2:
            continue
        marks = [row[i].text for row in b.rows[1:] for i in cols if i < len(row)]
        if not any(_LEAD_MARK.match(m) for m in marks if m):
            continue
        for r, row in enumerate(b.rows[1:], start=1):
            name = row[0].text
            if not name or len(name) > 120 or index.keys_in(name) and len(name) < 12:
                continue
            leads = [k for i, k in cols.items() if i < len(row) and _LEAD_MARK.match(row[i].text or "")]
            src = cite(doc, b, row=r, key=key).source()
            theme: dict = {"key": "", "name": name, "aliases": _aliases(name)}
            if leads:
                theme["leads"] = leads
            else:
                theme["no_lead"] = "No board is marked as the lead in the matrix."
            theme["source"] = src
            themes.append(theme)
    return themes


_LABEL_LEAD = re.compile(r"^(?P<theme>[^.:;]{3,100}?)\s*(?:[.:;]|\s[-–—])\s*(?:the\s+)?(?:lead(?:s|\s+(?:board|partnership|body|agency))?|led by|owner)\s*[:\-–—]?\s*(?P<lead>[^.;]+)", re.I)
_SUPPORT_CUT = re.compile(r",?\s+(?:with|supported by|assisted by|working (?:with|alongside)|alongside|in partnership with|and (?:the )?\w+ (?:contributing|supporting))\b.*$", re.I)


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
                    out.append({"key": "", "name": name, "aliases": _aliases(name) + including(item.text), "leads": leads, "lead_role": clean(f"{intro} {item.text}"),
                                "source": cite(doc, item, key=key).source()})
                j += 1
        # a theme as a heading of its own, then "Lead: SAB and SCP jointly." / "No lead board has been agreed …"
        hl = re.match(r"^\s*(?:the\s+)?lead(?:s|\s+(?:board|partnership|body|agency))?\s*[:\-–—]\s*(?P<lead>[^.;]+)", b.text, re.I)
        nl = re.match(r"^\s*(?:there is )?no (?:single |one |agreed |overall )?(?:lead|board|partnership)\b", b.text, re.I)
        h = b.heading
        if (hl or nl) and h is not None and not index.keys_in(h.text) and len(h.text) < 90 and doc.blocks[b.index - 1] is h:
            name = h.text.strip(" *:")
            if nl or _NO_LEAD.search(hl.group("lead")):
                out.append({"key": "", "name": name, "aliases": _aliases(name), "no_lead": clean(b.text), "source": cite(doc, b, key=key).source()})
                continue
            keys, note = _leads_from(_SUPPORT_CUT.sub("", hl.group("lead")), index)
            if keys:
                out.append({"key": "", "name": name, "aliases": _aliases(name), "leads": keys, "lead_role": clean(b.text),
                            "source": cite(doc, b, key=key).source()})
                continue
        # "School readiness. Lead: CYPP. Support: HWB." / "Neglect: lead board – the SCP"
        lab = _LABEL_LEAD.match(b.text)
        if lab and b.kind in ("item", "paragraph") and not index.keys_in(lab.group("theme")):
            lead_text = _SUPPORT_CUT.sub("", lab.group("lead"))
            name = lab.group("theme").strip(" *")
            if _NO_LEAD.search(lead_text):
                out.append({"key": "", "name": name, "aliases": _aliases(name), "no_lead": clean(b.text), "source": cite(doc, b, key=key).source()})
                continue
            keys, note = _leads_from(lead_text, index)
            if keys:
                t = {"key": "", "name": name, "aliases": _aliases(name), "leads": keys, "lead_role": clean(b.text),
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
            if _NO_LEAD.search(rest) or re.match(r"\s*no (?:one|single)\b", rest, re.I):
                name = dash.group("theme").strip(" *")
                out.append({"key": "", "name": name, "aliases": _aliases(name), "no_lead": clean(rest), "source": cite(doc, b, key=key).source()})
                continue
            keys = index.keys_in(re.split(r"\bwith\b|\bsupported by\b|\bcontribut", rest)[0])
            if keys and (re.search(r"\blead|\bled\b|jointly|responsib|accountab", rest, re.I) or len(rest) < 40):
                for name in [dash.group("theme").strip(" *")]:  # a theme written as a label stays whole
                    out.append({"key": "", "name": name, "aliases": _aliases(name), "leads": keys, "lead_role": clean(b.text),
                                "source": cite(doc, b, key=key).source()})
                continue
        for s in sents:
            if not re.search(r"\blead|\bled\b|\bleads\b|responsib|accountab|\boversee|\b(?:sits?|rests?|lies) with\b", s, re.I):
                continue
            found = _parse_lead_sentence(s, index)
            for names, leads, no_lead, note in found:
                for name in names:
                    t = {"key": "", "name": name, "aliases": _aliases(name) + including(s)}
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


def _parse_lead_sentence(s: str, index: BoardIndex):
    res = []
    m = _NO_LEAD_SENT.search(s)
    if m:
        phrase = m.group("theme") or m.group("theme2")
        return [(split_themes(phrase), [], True, None)]
    m = _CHANGE.search(s)
    if m and re.search(r"\blead|responsib|accountab", s[: m.start()], re.I):
        leads, note = _leads_from(s, index)
        tm = re.search(r"\b(?:lead|responsibility|accountability)(?: responsibility)? (?:for|on)\s+(?P<theme>.+?)\s+(?:has |was |will be |will |is being )?(?:transferr?ed|moved|passed|handed|changed)", s, re.I)
        if leads and tm:
            return [(split_themes(tm.group("theme")), leads, False, note)]
    for rx in (_RESTS, _SHARE, _LED_BY, _SITS, _LEAD_VERB, _LEADS_VERB, _IS_LEAD, _OVERSEES):
        m = rx.search(s)
        if not m:
            continue
        subj = m.group("subj")
        theme = m.groupdict().get("theme")
        if rx in (_LED_BY, _SITS, _RESTS):
            subj = _SUPPORT_CUT.sub("", subj)  # "led by the HWB, with the SAB contributing": the HWB leads
        elif theme:
            theme = _SUPPORT_CUT.sub("", theme)
        if rx is _SITS and (index.keys_in(theme) or not re.search(r"[a-z]{3}", theme)):
            continue
        leads = index.keys_in(subj)
        if rx in (_LEAD_VERB, _LEADS_VERB, _IS_LEAD, _SHARE, _OVERSEES):
            # the board must be the subject: named near the start, not "the chair of …"
            first = index.find(subj)
            if not first or first[0][1] > 60 or re.search(r"\b(?:chair|officer|member|director|manager)s?\b\s*(?:of|for)?\s*$", subj[: first[0][1]], re.I):
                continue
            if re.search(r"\b(?:not|never)\b", subj):
                continue
            if re.match(r"\s*(?:alongside|with|together with|in partnership with|supported by|working with)\b", subj, re.I):
                continue  # "Alongside the HWB, oversee …": the board named is not the subject
            # "the CSP will lead on X, with the HWB …": only the subject's boards lead
            leads = [k for k in leads if True]
        if not leads or not theme:
            continue
        if re.match(r"\s*(?:ensuring|the effectiveness|services)", theme, re.I) and rx is _IS_LEAD:
            pass
        _, note = _leads_from(s, index)
        names = split_themes(theme)
        if names:
            res.append((names, leads, False, note))
        break
    return res


# Keys shared across areas (docs/protocol-data.md), so a theme one area names can be
# answered plainly in another; the first pattern that matches a drafted theme's name wins.
SHARED_KEYS: list[tuple[str, str]] = [
    ("cse", r"child sexual exploitation|\bcse\b"), ("fgm", r"genital mutilation|\bfgm\b"),
    ("forced_marriage_hbv", r"forced marriage|honour"), ("domestic_abuse", r"domestic (?:abuse|violence)"),
    ("prevent", r"\bprevent\b|radicali[sz]ation|extremism|terrorism"), ("human_trafficking", r"trafficking|modern (?:day )?slavery"),
    ("hate_crime", r"hate|mate crime"), ("mental_health", r"mental health"), ("substance_misuse", r"substance|drugs?\b|alcohol"),
    ("asb", r"anti-?\s?social behaviour|\basb\b"), ("sexual_abuse", r"sexual abuse|sexual violence"),
    ("reoffending", r"re-?offending"), ("workforce_sufficiency", r"workforce"), ("early_help", r"early help"),
    ("transition", r"transition"), ("safeguarding_adults_reviews", r"safeguarding adults? reviews?"),
    ("serious_case_reviews", r"serious case|practice reviews?"), ("child_deaths", r"child deaths?|deaths of children"),
    ("private_fostering", r"private(?:ly)? foster"), ("jsna", r"strategic needs assessment|\bjsna\b"),
    ("health_wellbeing_strategy", r"health and well-?being strategy"), ("integrated_commissioning", r"integrated commissioning|joint commissioning"),
    ("health_inequalities", r"health inequalit|health and well-?being outcomes"), ("safeguarding_training", r"training"),
    ("allegations", r"allegations"), ("safer_recruitment", r"recruitment"), ("thresholds", r"thresholds?"),
    ("cypp", r"children and young people'?s plan|\bcypp\b"), ("crime_and_disorder", r"crime and disorder|community safety"),
    ("neglect", r"\bneglect\b"), ("missing_children", r"missing"), ("online_safety", r"online|digital safeguarding"),
    ("looked_after_children", r"looked after|children in care|care leavers"),
    ("adult_safeguarding", r"safeguarding adults|adult safeguarding|adults at risk"),
    ("children_safeguarding", r"^safeguarding children$|^children'?s safeguarding$"),
]


def shared_key(name: str) -> str | None:
    for key, rx in SHARED_KEYS:
        if re.search(rx, name, re.I):
            return key
    return None


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", re.sub(r"\(.*?\)", "", name.lower())).strip()


def _same(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    na, nb = _norm(a), _norm(b)
    # a name inside another is not the same theme when the other adds a word of its own ("Neglect", "Self-neglect")
    return bool(na and nb) and (na == nb or (fuzz.token_set_ratio(na, nb) >= 88 and fuzz.token_sort_ratio(na, nb) >= 75))


def extract_themes(doc: Document, index: BoardIndex, key: str = "protocol") -> list[dict]:
    from drafting.extract.duties import duty_themes, shared_themes

    table = from_tables(doc, index, key) + from_matrices(doc, index, key) + from_board_rows(doc, index, key)
    prose = from_prose(doc, index, key)
    stated = table + prose
    listed = []
    for t in shared_themes(doc, key):
        if any(_same(t["name"], x["name"]) for x in stated + listed):
            continue
        lst = t.pop("_list")
        t["no_lead"] = clean(f"The protocol lists {t['name'].lower()} among its shared priorities ({lst.rstrip(':')}) but names no lead for it.")[:600]
        listed.append(t)
    duties = [t for t in duty_themes(doc, index, key) if not any(_same(t["name"], x["name"]) for x in stated + listed)]
    seen: dict[str, dict] = {}
    out: list[dict] = []
    taken: set[str] = set()
    for t in stated + listed + duties:
        norm = _norm(t["name"])
        if not norm or norm in seen or any(_same(t["name"], x["name"]) for x in out):
            continue
        seen[norm] = t
        k = shared_key(t["name"])
        t["key"] = slug_key(k if k and k not in taken else re.sub(r"\(.*?\)", "", t["name"]), taken, 40)
        if not t.get("aliases"):
            t.pop("aliases", None)
        out.append(t)
    # an alias may not name two themes
    owner: dict[str, str] = {}
    for t in out:
        for n in [t["name"], *t.get("aliases", [])]:
            owner.setdefault(re.sub(r"[^a-z0-9]+", " ", n.lower()).strip(), t["key"])
    for t in out:
        if "aliases" in t:
            t["aliases"] = [a for a in t["aliases"] if owner.get(re.sub(r"[^a-z0-9]+", " ", a.lower()).strip()) == t["key"]]
            if not t["aliases"]:
                del t["aliases"]
    return out


def new_themes_fact(doc: Document, key: str = "protocol") -> dict | None:
    """What the protocol says to do about a theme it names no lead for, where it says it."""
    for b in doc.blocks:
        if b.kind not in ("paragraph", "item"):
            continue
        for s in sentences(b.text):
            if re.search(r"\b(?:new|emerging|further|other|additional) (?:themes?|issues?|areas?|priorit\w+|pieces? of work)\b", s, re.I) and \
                    re.search(r"\b(?:lead|agree|identif|discuss|add|decid)", s, re.I):
                return {"text": clean(s), "source": cite(doc, b, s, key=key).source()}
            if re.search(r"(?:theme|piece of work).{0,60}relevan\w+ (?:across|to) more than one", s, re.I):
                return {"text": clean(s), "source": cite(doc, b, s, key=key).source()}
    return None


