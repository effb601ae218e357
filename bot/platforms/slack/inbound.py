"""What a request to ``POST /slack/events`` must be before Bolt sees it (pure: no SDK here).

Order, so garbage costs nothing and a client without the signing secret learns nothing:

1. :func:`verify_signature` over the **raw bytes** (Slack signs bytes, not text): the
   timestamp must be ASCII digits within five minutes of now and the ``v0=`` HMAC-SHA256
   of ``v0:<timestamp>:<body>`` must match. Anything else is 401, whatever the body holds
   (even bytes that are not UTF-8, or 100,000 nested brackets).
2. :func:`parse` decodes (UTF-8), checks the JSON depth and parses the body the way Bolt
   will (a JSON body, a form with a JSON ``payload`` field, or a plain form: slash
   commands), so a signed but malformed body is 400.
3. :func:`check_shape` holds the parsed body against :data:`SPECS`: the type of every field
   boardbot or Bolt reads, per payload type (``block_actions``, ``view_submission``,
   ``event_callback``, slash commands...), and the fields each type needs (an action's
   ``action_id``, a view's ``callback_id``, an event's ``type``). A body of a kind boardbot
   does not use (legacy dialogs and attachments), or of no Slack kind at all, is 400 too.
"""

from __future__ import annotations

import hmac
import re
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from bot.platforms.inbound import ANY, EACH, NonEmpty, Refused, Required, check, loads, utf8

MAX_AGE = 5 * 60  # seconds a signature stays good (Slack's own rule)
_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # ASCII digits only: "²".isdigit() is True, int("²") fails
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


def verify_signature(raw: bytes, headers: Mapping[str, str], secret: str, *, now: float | None = None) -> bool:
    """Whether ``raw`` carries a fresh, valid Slack signature made with ``secret``."""
    if not secret:
        return False
    ts = headers.get("X-Slack-Request-Timestamp") or ""
    sig = headers.get("X-Slack-Signature") or ""
    if not _TIMESTAMP.fullmatch(ts) or not _SIGNATURE.fullmatch(sig):
        return False
    if abs((time.time() if now is None else now) - int(ts)) > MAX_AGE:
        return False
    mac = hmac.digest(secret.encode(), b"v0:" + ts.encode() + b":" + raw, "sha256").hex()
    return hmac.compare_digest(f"v0={mac}", sig)


def parse(raw: bytes, content_type: str | None) -> tuple[str, Any]:
    """(the body as text, the body parsed as Bolt will parse it). Raises Refused(400)."""
    text = utf8(raw)
    if not text:
        raise Refused(400, "the body is empty")
    if content_type == "application/json" or text.startswith("{"):
        return text, loads(text)
    if "%00" in text or "\x00" in text:  # the only ways a form holds a NUL, which PostgreSQL keeps nowhere
        raise Refused(400, "the form holds a NUL character")
    form = _form(text)
    if "payload" in form:  # interactivity: the JSON rides in one field
        return text, loads(form["payload"], what="the payload")
    return text, form  # a slash command (even one whose text says "payload", which Bolt alone would lose)


def _form(text: str) -> dict[str, str]:
    """``dict(parse_qsl(text, keep_blank_values=True))``, decoding only the fields that need it
    (most of a slash command's are plain ids): a form is read on every command."""
    form: dict[str, str] = {}
    for part in text.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        if "+" in name or "%" in name:
            name = _unquote_plus(name)
        if "+" in value or "%" in value:
            value = _unquote_plus(value)
        form[name] = value
    return form


def _unquote_plus(s: str) -> str:
    """``urllib.parse.unquote_plus(s)``, at under half its cost where every escape is of an ASCII
    character (a slash command's text and response_url: "%3F", "%2F"); anything else (UTF-8
    bytes, a stray "%") is left to ``unquote``."""
    s = s.replace("+", " ")
    if "%" not in s:
        return s
    parts = s.split("%")
    out = [parts[0]]
    for part in parts[1:]:
        char = _ASCII_ESCAPES.get(part[:2])
        if char is None:
            return unquote(s)
        out.append(char)
        out.append(part[2:])
    return "".join(out)


_ASCII_ESCAPES = {f"{i:02{case}}": chr(i) for i in range(128) for case in "xX"}


# --- the shapes ---------------------------------------------------------------------------------

STR_OR_NULL = (str, None)
ID_OBJECT = {"id": STR_OR_NULL, "name": STR_OR_NULL}
USER = (str, {"id": str, "username": str, "name": str, "team_id": str, "real_name": str})
TEAM = (None, str, {"id": STR_OR_NULL, "domain": str, "enterprise_id": STR_OR_NULL, "enterprise_name": STR_OR_NULL})
ENTERPRISE = (None, str, ID_OBJECT)
CHANNEL = (None, str, ID_OBJECT)
AUTHORIZATION = {"enterprise_id": STR_OR_NULL, "team_id": STR_OR_NULL, "user_id": STR_OR_NULL,
                 "is_bot": bool, "is_enterprise_install": bool}
METADATA = {"event_type": str, "event_payload": dict}
MESSAGE = {"ts": str, "text": str, "user": USER, "bot_id": STR_OR_NULL, "thread_ts": str, "subtype": str,
           "channel": CHANNEL, "team": TEAM, "blocks": [dict], "metadata": METADATA}
OPTION = {"value": str, "text": dict}
ELEMENT_STATE = {"type": str, "value": STR_OR_NULL, "selected_option": (None, OPTION), "selected_options": [OPTION],
                 "selected_date": STR_OR_NULL, "selected_time": STR_OR_NULL, "selected_user": STR_OR_NULL,
                 "selected_channel": STR_OR_NULL, "selected_conversation": STR_OR_NULL}
STATE = {"values": {EACH: {EACH: ELEMENT_STATE}}}
VIEW = {"id": str, "hash": str, "type": str, "callback_id": str, "private_metadata": str, "team_id": STR_OR_NULL,
        "app_installed_team_id": STR_OR_NULL, "root_view_id": STR_OR_NULL, "previous_view_id": STR_OR_NULL,
        "external_id": str, "app_id": STR_OR_NULL, "bot_id": STR_OR_NULL, "state": STATE, "blocks": [dict]}
ACTION = {"action_id": Required(str), "block_id": str, "value": str, "type": str, "action_ts": str, "text": dict,
          "selected_option": (None, OPTION), "selected_date": STR_OR_NULL}
CONTAINER = {"type": str, "message_ts": str, "channel_id": str, "is_ephemeral": bool, "view_id": str, "thread_ts": str}
ITEM = {"channel": CHANNEL, "ts": str, "type": str}
EVENT = {
    "type": Required(str), "subtype": STR_OR_NULL, "user": USER, "channel": CHANNEL, "text": STR_OR_NULL, "ts": str,
    "thread_ts": STR_OR_NULL, "event_ts": str, "channel_type": STR_OR_NULL, "bot_id": STR_OR_NULL, "tab": str,
    "team": STR_OR_NULL, "user_team": STR_OR_NULL, "source_team": STR_OR_NULL, "user_id": str, "channel_id": str,
    "item": ITEM, "message": MESSAGE, "previous_message": MESSAGE, "enterprise_id": STR_OR_NULL, "team_id": STR_OR_NULL,
    "tokens": {"oauth": [str], "bot": [str]}, "function": {"callback_id": str}, "callback_id": str,
    "function_execution_id": str, "bot_access_token": str, "inputs": dict, "workflow_step": dict,
    "assistant_thread": {"channel_id": str, "thread_ts": str}, "blocks": [dict],
}
# every field Bolt (request/internals.py, listener matchers) or boardbot reads, anywhere in a payload
COMMON = {
    "type": str, "token": str, "api_app_id": str, "team_id": STR_OR_NULL, "enterprise_id": STR_OR_NULL,
    "team": TEAM, "user": USER, "enterprise": ENTERPRISE, "channel": CHANNEL,
    "is_enterprise_install": (bool, str), "is_ext_shared_channel": bool,
    "authorizations": [AUTHORIZATION], "context_team_id": STR_OR_NULL, "context_enterprise_id": STR_OR_NULL,
    "response_url": str, "response_urls": [{"response_url": str, "channel_id": str, "block_id": str, "action_id": str}],
    "trigger_id": str, "callback_id": str, "action_id": str, "action_ts": str, "message_ts": str,
    "event_id": str, "event_time": (int, float), "event_context": str, "thread_ts": STR_OR_NULL,
    "user_id": str, "user_name": str, "channel_id": str, "command": str, "text": str, "challenge": str,
    "function_execution_id": str, "bot_access_token": str, "function_data": {"execution_id": str, "inputs": dict},
    "container": CONTAINER, "message": MESSAGE, "previous_message": MESSAGE, "view": VIEW, "state": STATE,
    "actions": [ACTION], "event": EVENT, "item": ITEM, "assistant_thread": {"channel_id": str, "thread_ts": str},
    "submission": dict, "value": ANY,
}


def _with(**required: Any) -> dict[str, Any]:
    return {**COMMON, **required}


# interactivity payloads always carry objects here (boardbot's listeners read their ids)
PRESSER = Required({"id": Required(str), "username": str, "name": str, "team_id": str})
IN_TEAM = (None, {"id": STR_OR_NULL, "domain": str, "enterprise_id": STR_OR_NULL, "enterprise_name": STR_OR_NULL})
IN_CHANNEL = (None, {"id": STR_OR_NULL, "name": STR_OR_NULL})
SUBMITTED = Required({**VIEW, "id": Required(str), "callback_id": Required(str), "type": Required(str)})  # Bolt reads its type
# the events boardbot answers: their user and channel are ids
CONVERSATION_EVENT = {**EVENT, "user": str, "channel": str}
EVENTS: dict[str, dict[str, Any]] = {"app_mention": CONVERSATION_EVENT, "message": CONVERSATION_EVENT,
                                     "app_home_opened": CONVERSATION_EVENT}


# what each payload type must carry, on top of COMMON's types
SPECS: dict[str, dict[str, Any]] = {
    "event_callback": _with(event=Required(EVENT)),
    "url_verification": _with(challenge=Required(str)),
    "app_rate_limited": COMMON,
    "block_actions": _with(actions=Required(NonEmpty(ACTION)), user=PRESSER, team=IN_TEAM, channel=IN_CHANNEL),
    "view_submission": _with(view=SUBMITTED, user=PRESSER, team=IN_TEAM, channel=IN_CHANNEL),
    "view_closed": _with(view=SUBMITTED, user=PRESSER, team=IN_TEAM, channel=IN_CHANNEL),
    "block_suggestion": _with(action_id=Required(str), user=PRESSER, team=IN_TEAM),
    "shortcut": _with(callback_id=Required(str), user=PRESSER, team=IN_TEAM),
    "message_action": _with(callback_id=Required(str), user=PRESSER, team=IN_TEAM, channel=IN_CHANNEL),
}  # (legacy attachments, dialogs and workflow steps: boardbot uses none, so they are not its requests)
COMMAND = _with(command=Required(str))


def check_shape(body: Any) -> str:
    """Raise Refused(400) unless ``body`` is a Slack payload of a known kind with the types it
    should have; returns its kind (the payload type, ``command`` or ``ssl_check``)."""
    if not isinstance(body, dict):
        raise Refused(400, "the body is not an object")
    kind = body.get("type")
    if isinstance(kind, str) and kind in SPECS:
        check(body, SPECS[kind])
        if kind == "event_callback" and body["event"]["type"] in EVENTS:
            check(body["event"], EVENTS[body["event"]["type"]], "event")
        return kind
    if kind is None and "command" in body:
        check(body, COMMAND)
        if not body["command"].startswith("/"):
            raise Refused(400, "command should be a slash command")
        return "command"
    if kind is None and "ssl_check" in body:
        return "ssl_check"
    if isinstance(kind, str) and kind:
        raise Refused(400, f"boardbot does not handle Slack requests of type {kind[:40]!r}")
    raise Refused(400, "the body is not a Slack request")
