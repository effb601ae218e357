"""Bidi overrides, invisible and control characters never reach a screen (bot.safetext)."""

from __future__ import annotations

import datetime as dt
import sys
import unicodedata
from dataclasses import replace

from bot.messages import Actor, Button, Citation, Field, Form, FormField, Reply, Request, Section
from bot.platforms.console import terminal as console
from bot.platforms.slack import blocks as slack_blocks
from bot.platforms.slack import forms as slack_forms
from bot.platforms.teams import cards as teams_cards
from bot.safetext import csv_cell, neutralise, neutralise_reply
from scheduler.calendar import Event
from scheduler.ical import calendar_text

SPOOF = "Budget \u202eexe.fdp\u202c \u2066x\u2069 Jo\u200b\u200dSmith\u2060\ufeff \x1b[2J\x07 tag\U000e0041"
TRICKS = "\u202e\u202c\u2066\u2069\u200b\u200d\u2060\ufeff\x1b\x07\U000e0041"


def clean(text: str) -> bool:
    return not any(ch in text for ch in TRICKS)


def test_every_format_character_in_unicode_is_removed_and_nothing_visible_is() -> None:
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if cat == "Cf":
            assert neutralise(f"a{ch}b") == "ab", hex(cp)
        elif cat == "Cc" and ch not in "\t\n":
            assert neutralise(f"a{ch}b") == "ab", hex(cp)
    kept = "Zoë Ł ŞŢ 日本 مرحبا שלום 👍🏽 ✔️ a\tb\nc"
    assert neutralise(kept) == kept
    assert neutralise("one\u2028two\u2029three") == "one\ntwo\nthree"
    assert neutralise(SPOOF) == "Budget exe.fdp x JoSmith [2J tag"


def test_what_people_type_enters_the_core_neutralised() -> None:
    actor = Actor("slack", "T1", "U1", display_name="J\u200bo\u202e")
    r = Request(text="challenge \u202eHWB", actor=actor, value={"subject": SPOOF, "nested": [{"x": "a\u200bb"}], "n": 3})
    assert r.text == "challenge HWB" and r.actor.display_name == "Jo"
    assert clean(r.value["subject"]) and r.value["nested"] == [{"x": "ab"}] and r.value["n"] == 3


REPLY = Reply(text=f"Subject: {SPOOF}", title=f"Challenge {SPOOF}",
              sections=(Section(SPOOF, heading=SPOOF, fields=(Field(SPOOF, SPOOF),)),),
              buttons=(Button(f"Respond {SPOOF}", "x", {"id": 1}, confirm=SPOOF),),
              form=Form("x", SPOOF, (FormField("s", SPOOF, placeholder=SPOOF, initial=SPOOF, hint=SPOOF,
                                               kind="choice", choices=(("a", SPOOF),)),), intro=SPOOF),
              data={"files": {"challenges.csv": SPOOF}})


def test_every_renderer_shows_it_neutralised() -> None:
    assert clean(str(slack_blocks.message(REPLY)))
    assert clean(str(slack_forms.form_view(REPLY.form, {"a": "x"})))
    assert clean(str(teams_cards.reply_card(REPLY)))
    assert clean(console.render(REPLY)) and clean(console.as_json(REPLY))
    assert clean(str(neutralise_reply(REPLY)))
    ev = Event(uid="k", start=dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), title=SPOOF, description=SPOOF)
    assert clean(calendar_text([ev], name=SPOOF, now=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)))


def test_an_unchanged_reply_is_not_copied() -> None:
    plain = Reply(text="Lead: BSCB.", title="CSE", sections=(Section("x", fields=(Field("a", "b"),)),))
    assert neutralise_reply(plain) is plain


def _one_trick_in_each_place() -> list[Reply]:
    """Replies with no form or files (what nearly every answer is), each hiding a trick in one place only."""
    cite = Citation("bk", "protocol.pdf", "para 4")
    base = Reply(text="Lead: BSCB.", title="CSE", sections=(Section("x", heading="h", fields=(Field("a", "b"),), citation=cite),),
                 citations=(cite,), buttons=(Button("Agree", "x", confirm="Sure?"),))
    section, button = base.sections[0], base.buttons[0]
    return [
        replace(base, text=SPOOF), replace(base, title=SPOOF),
        replace(base, sections=(replace(section, text=SPOOF),)), replace(base, sections=(replace(section, heading=SPOOF),)),
        replace(base, sections=(replace(section, fields=(Field(SPOOF, "b"),)),)),
        replace(base, sections=(replace(section, fields=(Field("a", SPOOF),)),)),
        *(replace(base, sections=(replace(section, citation=replace(cite, **{name: SPOOF})),))
          for name in ("file", "clause", "document")),
        *(replace(base, citations=(replace(cite, **{name: SPOOF}),)) for name in ("file", "clause", "document")),
        replace(base, buttons=(replace(button, label=SPOOF),)), replace(base, buttons=(replace(button, confirm=SPOOF),)),
    ]


def test_a_trick_anywhere_in_an_everyday_answer_is_removed() -> None:
    for reply in _one_trick_in_each_place():
        out = neutralise_reply(reply)
        assert out is not reply and clean(str(out)), reply
        assert clean(str(slack_blocks.message(reply))) and clean(str(teams_cards.reply_card(reply))), reply


def test_csv_cells_cannot_be_formulas() -> None:
    assert [csv_cell(v) for v in ("=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "ok", 3)] == \
        ["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)", "ok", 3]
