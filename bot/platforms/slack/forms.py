"""A :class:`~bot.messages.Form` as a Slack modal, and a submitted modal back as values.

Plain data, no SDK. The form's action, its context, the area and the channel ride in the
modal's ``private_metadata`` and come back with the submission (each part type-checked on
the way back: a modal's metadata is Slack's echo of what boardbot wrote, but a forged one
must not crash anything). Choices whose values are longer than Slack's 150 characters
travel as indexes, with the list in the metadata. Text is neutralised on the way out, as in
:mod:`bot.platforms.slack.blocks`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from bot.messages import Form, FormField, Reply
from bot.platforms.slack.blocks import text_sections, truncate
from bot.safetext import neutralise, neutralise_form

# Slack's limits for modals (https://api.slack.com/reference/surfaces/views)
MAX_MODAL_TITLE = 24
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_METADATA = 3000
MAX_TEXT_INPUT = 3000  # a plain_text_input's max_length may not be more
FORM_CALLBACK = "bb_form"  # callback_id of every modal boardbot opens


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(neutralise(text), limit) or "…", "emoji": True}


def _element(f: FormField, value_map: dict[str, list[str]]) -> dict[str, Any]:
    if f.kind == "choice":
        options = []
        values = [v for v, _ in f.choices[:MAX_OPTIONS]]
        indexed = any(len(v) > MAX_OPTION_VALUE for v in values)
        if indexed:  # long values travel as indexes; the list rides in private_metadata
            value_map[f.name] = values
        for i, (value, label) in enumerate(f.choices[:MAX_OPTIONS]):
            options.append({"text": _plain(label or value, MAX_OPTION_TEXT), "value": str(i) if indexed else value})
        el: dict[str, Any] = {"type": "static_select", "action_id": f.name, "options": options or [
            {"text": _plain("(no choices)", MAX_OPTION_TEXT), "value": ""}]}
        initial = next((o for o, (v, _) in zip(options, f.choices, strict=False) if v == f.initial), None)
        if initial is not None:
            el["initial_option"] = initial
    elif f.kind == "date":
        el = {"type": "datepicker", "action_id": f.name}
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", f.initial or ""):
            el["initial_date"] = f.initial
    else:
        limit = min(f.limit or MAX_TEXT_INPUT, MAX_TEXT_INPUT)
        el = {"type": "plain_text_input", "action_id": f.name, "multiline": f.kind == "long_text", "max_length": limit}
        if f.initial:
            el["initial_value"] = f.initial[:limit]
    if f.placeholder:
        el["placeholder"] = _plain(f.placeholder, 150)
    return el


def form_view(form: Form, metadata: dict[str, Any]) -> dict[str, Any]:
    """A Form as a modal. ``metadata`` (the action, its context, area, channel) rides in
    ``private_metadata`` and comes back with the submission. Raises ValueError if it will not fit.
    """
    form = neutralise_form(form)
    value_map: dict[str, list[str]] = {}
    blocks: list[dict[str, Any]] = []
    if form.intro:
        blocks.extend(text_sections(form.intro, ()))
    for f in form.fields:
        block: dict[str, Any] = {
            "type": "input",
            "block_id": f.name,
            "label": _plain(f.label, 2000),
            "optional": not f.required,
            "element": _element(f, value_map),
        }
        if f.hint:
            block["hint"] = _plain(f.hint, 2000)
        blocks.append(block)
    meta = dict(metadata)
    if value_map:
        meta["m"] = value_map
    private = json.dumps(meta, separators=(",", ":"), ensure_ascii=False, default=str)
    if len(private) > MAX_METADATA:
        raise ValueError("the form's context is too large for a Slack modal")
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "title": _plain(form.title, MAX_MODAL_TITLE),
        "submit": _plain(form.submit_label or "Submit", MAX_MODAL_TITLE),
        "close": _plain("Cancel", MAX_MODAL_TITLE),
        "private_metadata": private,
        "blocks": blocks[:100],
    }


def form_values(view: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(metadata, field values) from a submitted modal."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except (ValueError, RecursionError):  # 3,000 characters of "[" nest past what json reads
        meta = {}
    meta = _form_meta(meta)
    value_map: dict[str, list[str]] = meta.get("m") or {}
    values: dict[str, Any] = {}
    state = ((view.get("state") or {}).get("values")) or {}
    for block_id, actions in state.items() if isinstance(state, dict) else ():
        for action_id, el in (actions or {}).items() if isinstance(actions, dict) else ():
            if not isinstance(el, dict):
                continue
            kind = el.get("type")
            if kind == "static_select":
                opt = el.get("selected_option")
                v = opt.get("value") if isinstance(opt, dict) else None
                if v is not None and action_id in value_map and v.isdigit() and int(v) < len(value_map[action_id]):
                    v = value_map[action_id][int(v)]
            elif kind == "datepicker":
                v = el.get("selected_date")
            else:
                v = el.get("value")
            values[action_id or block_id] = v if isinstance(v, str) else ""
    return meta, values


def _form_meta(meta: Any) -> dict[str, Any]:
    """The modal's private_metadata with each part the type :func:`form_view` gave it (else left out)."""
    if not isinstance(meta, dict):
        return {}
    out: dict[str, Any] = {}
    for key in ("a", "ar", "ch"):
        if isinstance(meta.get(key), str):
            out[key] = meta[key]
    if isinstance(meta.get("c"), dict):
        out["c"] = meta["c"]
    m = meta.get("m")
    if isinstance(m, dict):
        out["m"] = {k: v for k, v in m.items() if isinstance(v, list) and all(isinstance(x, str) for x in v)}
    return out


def field_errors(reply: Reply, field_names: Iterable[str]) -> dict[str, str]:
    """The per-field errors a failed form submission carries, keyed by field name.

    The core says which field was wrong with ``data["field_errors"] = {field: message}``
    (``data["errors"]`` is read too) or ``data["field"] = name`` (the reply text is then the
    message). Errors that name no field of this form are not field errors: the modal closes
    and the reply is posted instead.
    """
    if reply.ok:
        return {}
    names = set(field_names)
    out: dict[str, str] = {}
    for key in ("field_errors", "errors"):
        errs = reply.data.get(key)
        if isinstance(errs, dict):
            out.update({k: truncate(neutralise(str(v)), 150) for k, v in errs.items() if k in names and k not in out})
    one = reply.data.get("field")
    if isinstance(one, str) and one in names and one not in out:
        out[one] = truncate(neutralise(str(reply.data.get("error") or reply.text)), 150)
    return out
