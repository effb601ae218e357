"""Who leads, read from a lead cell or a sentence: one board, several (a joint lead), none
("no single lead", "to be agreed"), or a change ("transferred from the CSP to the HWB in
2023"): the current lead is drafted and the change kept as a note.
"""

from __future__ import annotations

import datetime as dt
import re

from drafting.extract.board_index import BoardIndex
from drafting.extract.common import find_date, parse_partial
from drafting.extract.theme_names import split_themes
from drafting.model import clean

NO_LEAD = re.compile(r"\bno (?:single |one |overall |named |agreed )?(?:lead|board|partnership|body)\b(?! (?:has|is) been)|^\s*(?:none|n/?a|-|–|tbc|tba)\s*$"
                      r"|to be (?:agreed|confirmed|decided|determined)|not (?:yet )?(?:agreed|assigned|decided)|\bshared (?:across|between|by)|no lead", re.I)


_FUTURE = re.compile(r"\bwill (?:transfer|move|pass|change|take over|become)\b|\bfrom (?:\d{1,2} )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* (?:20\d\d)\b.*\b(?:will|to)\b", re.I)


_CHANGE = re.compile(r"(?:transferr?ed|moved|passed|handed(?: over)?|changed)\s+(?:from\s+(?P<old>.+?)\s+)?to\s+(?P<new>[^.;,]+)", re.I)


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


LABEL_LEAD = re.compile(r"^(?P<theme>[^.:;]{3,100}?)\s*(?:[.:;]|\s[-–—])\s*(?:the\s+)?(?:lead(?:s|\s+(?:board|partnership|body|agency))?|led by|owner)\s*[:\-–—]?\s*(?P<lead>[^.;]+)", re.I)


SUPPORT_CUT = re.compile(r",?\s+(?:with|supported by|assisted by|working (?:with|alongside)|alongside|in partnership with|and (?:the )?\w+ (?:contributing|supporting))\b.*$", re.I)


def leads_from(text: str, index: BoardIndex) -> tuple[list[str], str | None]:
    """(current lead keys, note on a change) from a lead cell or clause."""
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


_COUNT = {"two": 2, "both": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_ALL_PARTIES = re.compile(r"^\s*(?:the\s+|all\s+(?:the\s+)?)?(?P<n>two|both|three|four|five|six)?\s*(?:the\s+)?(?:boards|partnerships|parties)\s+(?:will\s+|shall\s+)?(?:jointly|together|both)?\s*$", re.I)


def all_parties(subj: str, index: BoardIndex) -> list[str]:
    """"The two boards jointly lead on …", "all the partnerships lead on …": every party, where
    the count the subject gives (if any) is the number of parties."""
    m = _ALL_PARTIES.match(subj)
    if not m or not re.search(r"\b(?:two|both|three|four|five|six|all)\b", subj, re.I):
        return []
    n = _COUNT.get((m.group("n") or "").lower())
    keys = [e.key for e in index.boards]
    return keys if len(keys) >= 2 and (n is None or n == len(keys)) else []


def parse_lead_sentence(s: str, index: BoardIndex):
    res = []
    m = _NO_LEAD_SENT.search(s)
    if m:
        phrase = m.group("theme") or m.group("theme2")
        return [(split_themes(phrase), [], True, None)]
    m = _CHANGE.search(s)
    if m and re.search(r"\blead|responsib|accountab", s[: m.start()], re.I):
        leads, note = leads_from(s, index)
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
            subj = SUPPORT_CUT.sub("", subj)  # "led by the HWB, with the SAB contributing": the HWB leads
        elif theme:
            theme = SUPPORT_CUT.sub("", theme)
        if rx is _SITS and (index.keys_in(theme) or not re.search(r"[a-z]{3}", theme)):
            continue
        leads = index.keys_in(subj)
        if not leads and rx in (_LEAD_VERB, _LEADS_VERB, _SHARE) and theme and all_parties(subj, index):
            names = split_themes(SUPPORT_CUT.sub("", theme))
            if names:
                res.append((names, all_parties(subj, index), False, None))
                break
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
        _, note = leads_from(s, index)
        names = split_themes(theme)
        if names:
            res.append((names, leads, False, note))
        break
    return res
