"""The forms of a challenge: raising one, and the short forms its buttons open."""

from __future__ import annotations

from bot.knowledge import AreaKnowledge
from bot.limits import EXTRA_DAYS_MAX, EXTRA_DAYS_MIN
from bot.messages import Form, FormField, Reply
from bot.workflows.common import board_short
from storage.models import Challenge

# how a field is named when it needs correcting
LABELS = {"to_board": "the board", "subject": "subject", "concern": "the area of concern", "response_sought": "the response asked for",
          "text": "the reason", "days": "extra working days"}
RAISE_FIELDS = ("from_board", "to_board", "subject", "concern", "response_sought", "theme")


def raise_form(area: AreaKnowledge, from_boards: list[str], *, to_board: str = "", values: dict | None = None) -> Form:
    v = values or {}
    fields: list[FormField] = []
    if len(from_boards) > 1:
        fields.append(FormField("from_board", "On behalf of", "choice", choices=tuple((k, board_short(area, k)) for k in from_boards),
                                initial=v.get("from_board", "")))
    targets = tuple((b.key, f"{b.short_name} — {b.name}") for b in area.protocol.boards
                    if b.party and not (len(from_boards) == 1 and b.key == from_boards[0]))
    themes = tuple((t.key, t.name) for t in area.protocol.themes)
    fields += [
        FormField("to_board", "Board you are challenging", "choice", choices=targets, initial=v.get("to_board", to_board)),
        FormField("subject", "Subject", placeholder="e.g. CSE profiling in the JSNA", initial=v.get("subject", "")),
        FormField("concern", "The area of concern", "long_text", initial=v.get("concern", ""),
                  hint="About systems and services, not individual cases: no names, dates of birth or NHS numbers."),
        FormField("response_sought", "What response you ask for", "long_text", initial=v.get("response_sought", "")),
        FormField("theme", "Theme", "choice", required=False, choices=themes, initial=v.get("theme", "")),
    ]
    first = area.ladder[0]
    return Form(
        action="challenge.submit", title="Raise a challenge", fields=tuple(fields), submit_label="Raise challenge",
        context={"area": area.slug, "from_board": from_boards[0] if len(from_boards) == 1 else ""},
        intro=f"Step 1: {first.title}. {first.text}",
    )


def text_form(area: AreaKnowledge, ch: Challenge, side: str, act: str, title: str, label: str, submit: str,
              extra: tuple[FormField, ...] = ()) -> Reply:
    """A one-text form on a challenge (a response, a question, an outcome ...), submitted as ``act``."""
    value = {"area": area.slug, "id": ch.id, "side": side, "rung": ch.rung_index}
    return Reply(text=title, form=Form(act, title, (FormField("text", label, "long_text"), *extra), submit, value))


def more_time_form(area: AreaKnowledge, ch: Challenge, side: str) -> Reply:
    return text_form(area, ch, side, "challenge.more_time.submit", f"More time for C{ch.number}", "Why more time is needed", "Ask",
                     (FormField("days", "Extra working days", placeholder="10", max_length=20,
                                hint=f"{EXTRA_DAYS_MIN} to {EXTRA_DAYS_MAX} working days"),))


# what each button's form asks: (the form's action, its title, the text's label, the submit label)
TEXT_FORMS = {
    "respond": ("challenge.respond.submit", "Respond to C{n}", "Your board's response", "Send response"),
    "ask_info": ("challenge.ask_info.submit", "Ask about C{n}", "What do you need to know?", "Ask (pauses the clock)"),
    "provide_info": ("challenge.provide_info.submit", "Information for C{n}", "The information asked for", "Send (restarts the clock)"),
    "resolve": ("challenge.resolve.submit", "Resolve C{n}", "The outcome (for the record)", "Resolve"),
    "withdraw": ("challenge.withdraw.submit", "Withdraw C{n}", "Why it is withdrawn", "Withdraw"),
}


def button_form(area: AreaKnowledge, ch: Challenge, side: str, act: str) -> Reply:
    """The form a challenge's button ``act`` opens (``respond``, ``more_time``, ``resolve`` ...)."""
    if act == "more_time":
        return more_time_form(area, ch, side)
    action, title, label, submit = TEXT_FORMS[act]
    return text_form(area, ch, side, action, title.format(n=ch.number), label, submit)


def escalate_form(area: AreaKnowledge, ch: Challenge, *, needed: bool, reason: str, preview: list[str]) -> Form:
    """The preview of an escalation as its confirmation: what it will do, and why (asked for when early)."""
    return Form("challenge.escalate", f"Escalate C{ch.number}",
                (FormField("reason", "Why escalate now" if needed else "Why escalate (optional)", "long_text",
                           required=needed, initial=reason),),
                f"Escalate to step {ch.rung_index + 2}",
                {"area": area.slug, "id": ch.id, "rung": ch.rung_index, "side": "raiser", "confirmed": 1},
                intro="\n".join(preview))
