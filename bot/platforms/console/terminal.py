"""The terminal: ``boardbot chat`` and ``boardbot ask``.

Like errbot's text backend, it lets anyone try the bot with no Slack or Teams account,
through exactly the same core the platforms use. Replies are plain text; buttons are
shown as numbered choices and forms as prompts, so workflows can be walked through here too.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from typing import TextIO

from bot.messages import Actor, Reply, Request
from bot.router import handle
from bot.safetext import neutralise_reply
from bot.services import Services

PROMPT = "you> "


def render(reply: Reply) -> str:
    """A Reply as terminal text (no bidi tricks, invisible characters or terminal escapes in it)."""
    reply = neutralise_reply(reply)
    out = []
    if reply.title:
        out.append(f"== {reply.title} ==")
    out.append(reply.text)
    if reply.buttons:
        out.append("Actions: " + "  ".join(f"[{i}] {b.label}" for i, b in enumerate(reply.buttons, 1)))
    return "\n".join(out)


def as_json(reply: Reply) -> str:
    reply = neutralise_reply(reply)
    data = dict(reply.data)
    data.setdefault("text", reply.text)
    data.setdefault("ok", reply.ok)
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


async def ask(services: Services, actor: Actor, area: str | None, question: str) -> Reply:
    return await handle(Request(text=question, actor=actor, area=area, platform="console"), services)


async def chat(
    services: Services,
    actor: Actor,
    area: str | None,
    *,
    read: Callable[[str], str] = input,
    out: TextIO = sys.stdout,
    banner: str = "",
) -> None:
    """An interactive conversation until "quit" or end of input."""
    if banner:
        print(banner, file=out)
    last: Reply | None = None
    import uuid

    conversation = f"console:{uuid.uuid4().hex}"  # one terminal chat is one conversation
    while True:
        try:
            line = await asyncio.to_thread(read, PROMPT)
        except (EOFError, KeyboardInterrupt):
            print(file=out)
            return
        line = line.strip()
        if not line:
            continue
        if line.lower() in ("quit", "exit", "bye", ":q"):
            return
        if line.lower().startswith("area "):
            wanted = services.knowledge.resolve_area(line[5:])
            if wanted:
                area = wanted
                print(f"bot> Now answering for {services.knowledge.area(area).name}.", file=out)
            else:
                print("bot> Unknown area. Areas: " + "; ".join(services.knowledge.area_names()), file=out)
            continue
        if last and last.buttons and line.isdigit() and 1 <= int(line) <= len(last.buttons):
            b = last.buttons[int(line) - 1]
            request = Request(text="", actor=actor, area=area, platform="console", action=b.action, value=b.value,
                              conversation=conversation)
        else:
            request = Request(text=line, actor=actor, area=area, platform="console", conversation=conversation)
        reply = await dispatch(request, services)
        if reply.form is not None:
            try:
                reply = await _fill_form(services, actor, area, reply, read, out)
            except (EOFError, KeyboardInterrupt):
                # input ended (or ^C) half-way through a form: nothing was submitted, so say so and stop
                print("\nbot> Cancelled; nothing was saved.", file=out)
                return
        last = reply
        print("bot> " + render(reply).replace("\n", "\n     "), file=out)


async def dispatch(request: Request, services: Services) -> Reply:
    """A message or a button press, through the core."""
    if request.action:
        from bot.actions import handle_action

        return await handle_action(request, services)
    return await handle(request, services)


async def _fill_form(services: Services, actor: Actor, area: str | None, reply: Reply, read, out) -> Reply:
    """Ask a form's questions in turn and submit it. When the answer comes back as the same form
    with some answers wrong (``field_errors``), only those are asked again: the others are kept.
    Another form in answer (a preview that asks for a reason) is filled in the same way."""
    for _ in range(5):
        form = reply.form
        if form is None:  # answered without another form: done
            return reply
        wrong = set(reply.data.get("field_errors") or {}) if not reply.ok else set()
        if wrong:
            print("bot> " + reply.text.replace("\n", "\n     "), file=out)
        else:
            print("bot> " + (form.intro or form.title).replace("\n", "\n     ") + " (leave a required answer empty to cancel)",
                  file=out)
        values: dict[str, str] = {}
        for f in form.fields:
            if wrong and f.name not in wrong:
                values[f.name] = f.initial  # kept as answered
                continue
            answer = await _ask_field(f, read, out, keep=not wrong)
            if answer is None:
                return Reply(text="Cancelled; nothing was saved.")
            values[f.name] = answer
        request = Request(text="", actor=actor, area=area, platform="console", action=form.action,
                          value={**form.context, **values})
        reply = await dispatch(request, services)
        if reply.form is None:
            return reply
    return reply


async def _ask_field(f, read, out, *, keep: bool) -> str | None:
    """One question; its earlier answer (or the form's default) is kept by pressing Enter, unless
    it was the wrong one. None when a required answer is left empty (cancel)."""
    label = f.label + ("" if f.required else " (optional)")
    default = ""
    if f.choices:
        print("     " + label + ": " + "  ".join(f"[{i}] {lab}" for i, (_, lab) in enumerate(f.choices, 1)), file=out)
        default = next((str(i) for i, (v, _) in enumerate(f.choices, 1) if v == f.initial), "")
    elif f.initial and keep:
        default = f.initial
    if f.limit:
        label += f" (up to {f.limit} characters)"
    if not keep and f.hint:
        label += f" — {f.hint}"
    prompt = f"     {label}" + (f" [{default}]" if default else "") + "> "
    answer = (await asyncio.to_thread(read, prompt)).strip() or default
    while f.limit and len(answer) > f.limit:
        print(f"bot> That is {len(answer)} characters; {f.label} takes at most {f.limit}. Please shorten it.", file=out)
        answer = (await asyncio.to_thread(read, prompt)).strip() or default
    if f.choices and answer.isdigit() and 1 <= int(answer) <= len(f.choices):
        answer = f.choices[int(answer) - 1][0]
    if not answer and f.required:
        return None
    return answer
