"""Garbage at ``POST /slack/events`` is 400, 401 or 413 with nothing stored: never a 500.

Through the real server and Bolt, signed exactly as Slack signs (over the bytes). First the
cases found by trying it as an attacker would (no secret needed for most), then a fuzz: a
few hundred malformed variants of the saved payloads (wrong types at every level of
block_actions, view_submission, events and slash commands; deep nesting; huge strings; bad
encodings; form/JSON mix-ups; bodies cut short), each sent validly signed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from urllib.parse import urlencode

import fuzzing
import pytest
from sqlalchemy import func, select

from storage.models import Base

DEEP = b"[" * 100_000


async def counts(services) -> dict[str, int]:
    """Rows in every table boardbot owns."""
    async with services.store.session() as s:
        return {t.name: (await s.execute(select(func.count()).select_from(t))).scalar_one()
                for t in Base.metadata.sorted_tables}


def sign(slack, body: bytes, content_type: str | None = "application/json", *, secret: str | None = None,
         timestamp: str | None = None) -> dict[str, str]:
    """The headers Slack sends with ``body``: signed over the bytes, as Slack signs."""
    ts = str(int(time.time())) if timestamp is None else timestamp
    key = (secret or slack.verifier.signing_secret).encode()
    mac = hmac.new(key, b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    headers = {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={mac}"}
    if content_type:
        headers["Content-Type"] = content_type
    return headers


async def post(slack, body: bytes, headers: dict[str, str]) -> int:
    resp = await slack.client.post("/slack/events", data=body, headers=headers)
    await resp.read()
    return resp.status


def interactive(payload: dict) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


FORM = "application/x-www-form-urlencoded"


# --- what was found ---------------------------------------------------------------------------------


async def test_deep_nesting_is_refused_unparsed_signed_or_not(slack) -> None:
    before = await counts(slack.services)
    assert await post(slack, DEEP, {"Content-Type": "application/json"}) == 401  # unsigned: not even read as JSON
    assert await post(slack, DEEP, sign(slack, DEEP)) == 400  # signed: too deep to parse
    deep_form = urlencode({"payload": "[" * 100_000}).encode()
    assert await post(slack, deep_form, sign(slack, deep_form, FORM)) == 400
    assert await counts(slack.services) == before
    assert slack.fake.calls == []


async def test_a_body_that_is_not_utf8_is_401_unsigned_and_400_signed(slack, slack_payload) -> None:
    body = json.dumps(slack_payload("event_app_mention")).encode().replace(b"CSE", b"\xff\xfe")
    forged = sign(slack, body, secret="not-the-secret")
    assert await post(slack, body, forged) == 401  # a fresh timestamp, a wrong signature
    assert await post(slack, body, sign(slack, body)) == 400


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\u0000"])
async def test_json_text_no_database_can_hold_is_400_when_signed(slack_db, slack_payload, escape) -> None:
    """A lone surrogate is not Unicode (nothing can encode it) and PostgreSQL text cannot hold NUL:
    in an id boardbot stores, either would fail deep inside; refused at the door instead."""
    slack = slack_db
    before = await counts(slack.services)
    for name in ("event_app_mention", "block_actions"):
        p = slack_payload(name)
        if "event_id" in p:
            p["event_id"] = "Ev" + escape
        else:
            p["actions"][0]["block_id"] = "b" + escape
            p["response_url"] = slack.fake.url("/response/x")
        raw = json.dumps(p).replace(json.dumps(escape)[1:-1], escape).encode()
        assert escape.encode() in raw
        body, ctype = (raw, "application/json") if name.startswith("event") else (
            urlencode({"payload": raw.decode()}).encode(), FORM)
        assert await post(slack, body, sign(slack, body, ctype)) == 400, name
    await slack.settle()
    assert await counts(slack.services) == before
    emoji = slack_payload("event_app_mention")  # a surrogate pair is an ordinary character
    emoji["event"]["text"] = emoji["event"]["text"] + " \U0001f600"
    body = json.dumps(emoji).encode()
    assert b"\\ud83d\\ude00" in body
    assert await post(slack, body, sign(slack, body)) == 200


@pytest.mark.parametrize("field", ["team_id", "user_id", "trigger_id", "text"])
async def test_a_slash_command_with_a_nul_is_400_when_signed(slack_db, field) -> None:
    slack = slack_db
    before = await counts(slack.services)
    form = {"command": "/board", "text": "who leads on CSE?", "team_id": "T0001BUCKS", "user_id": "U0CHAIR01",
            "channel_id": "C0BSCB", "trigger_id": "1.2.3", "response_url": slack.fake.url("/response/nul")}
    form[field] += "\x00"
    body = urlencode(form).encode()
    assert b"%00" in body
    assert await post(slack, body, sign(slack, body, FORM)) == 400
    await slack.settle()
    assert await counts(slack.services) == before


@pytest.mark.parametrize("timestamp", ["\u00b2", "\u0663\u0663", "1e9", "-1", " 1700000000", "", "9" * 40])
async def test_timestamps_that_are_not_plain_digits_are_401(slack, timestamp: str) -> None:
    body = slack.command_body("boards").encode()
    headers = sign(slack, body, FORM, timestamp=timestamp)
    assert await post(slack, body, headers) == 401


async def test_an_action_without_action_id_is_400_and_nothing_acts(slack, slack_payload, slacktest) -> None:
    before = await counts(slack.services)
    p = slack_payload("block_actions")
    del p["actions"][0]["action_id"]
    body = interactive(p)
    assert await post(slack, body, sign(slack, body, FORM)) == 400
    p["actions"] = []
    body = interactive(p)
    assert await post(slack, body, sign(slack, body, FORM)) == 400
    await slack.settle()
    assert slacktest.actions == [] and slack.fake.calls == []
    assert await counts(slack.services) == before


@pytest.mark.parametrize("values", [
    {"subject": "not an object"}, {"subject": {"subject": ["a list"]}}, {"subject": {"subject": {"value": 7}}},
    {"subject": {"subject": {"type": "static_select", "selected_option": "opt"}}}, ["a", "list"], "text",
])
async def test_view_state_values_that_are_not_objects_are_400(slack, slack_payload, slacktest, values) -> None:
    before = await counts(slack.services)
    p = slack_payload("view_submission")
    p["view"]["state"] = {"values": values}
    body = interactive(p)
    assert await post(slack, body, sign(slack, body, FORM)) == 400
    await slack.settle()
    assert slacktest.actions == [] and slack.fake.calls == []
    assert await counts(slack.services) == before


async def test_a_body_over_a_megabyte_is_413_unread(slack) -> None:
    body = b'{"type": "event_callback", "event": {"type": "app_mention", "text": "' + b"A" * (1024 * 1024) + b'"}}'
    assert await post(slack, body, {"Content-Type": "application/json"}) == 413
    assert await post(slack, body, sign(slack, body)) == 413


async def test_private_metadata_of_the_wrong_shape_cannot_crash_a_submission(slack, slack_payload, slacktest) -> None:
    p = slack_payload("view_submission")
    for meta in ('{"a": ["x"], "c": "str", "m": {"board": [1, 2]}}', "[1]", '"text"', "{nope",
                 "[" * 1500 + "]" * 1500):  # as deep as 3,000 characters go: past json's recursion limit
        p["view"]["private_metadata"] = meta
        body = interactive(p)
        assert await post(slack, body, sign(slack, body, FORM)) == 200  # acknowledged: not a form of ours
    await slack.settle()
    assert slacktest.actions == []


async def test_a_button_value_nested_past_jsons_limit_is_no_longer_supported_not_a_crash(slack, slacktest,
                                                                                           caplog) -> None:
    _, ack = await slack.command("slacktest button")
    press = slack.press(ack["blocks"], "Ping")
    press["actions"][0]["value"] = "[" * 1000 + "]" * 1000  # what fits in Slack's 2,000 characters
    caplog.set_level(logging.ERROR, logger="boardbot")
    status, _ = await slack.interact(press)
    await slack.settle()
    assert status == 200 and slacktest.actions == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    answered = slack.fake.calls_to("response_url")
    assert answered and "no longer supported" in json.dumps(answered[-1].args)


async def test_a_slash_command_mentioning_payload_is_answered(slack) -> None:
    """Bolt reads any form holding the word "payload" as interactivity, and would lose this one."""
    status, ack = await slack.command("who leads on the payload of CSE work?")
    assert status == 200 and "Child sexual exploitation" in ack["text"]


async def test_kinds_boardbot_does_not_use_are_acknowledged_or_refused_never_404(slack) -> None:
    for kind, expected in (("shortcut", 200), ("message_action", 200), ("view_closed", 200), ("block_suggestion", 200),
                           ("dialog_submission", 400), ("interactive_message", 400), ("no_such_kind", 400)):
        p = {"type": kind, "callback_id": "x", "action_id": "x", "user": {"id": "U1"}, "team": {"id": "T0001BUCKS"},
             "view": {"id": "V1", "type": "modal", "callback_id": "elsewhere"}, "trigger_id": "1.2.3"}
        body = interactive(p)
        assert await post(slack, body, sign(slack, body, FORM)) == expected, kind


# --- the fuzz -----------------------------------------------------------------------------------------

BASES = ("block_actions", "view_submission", "event_app_mention", "event_message_im", "event_app_home_opened",
         "url_verification", "slash_command")


@pytest.mark.e2e
async def test_malformed_signed_requests_are_never_a_500_and_store_nothing(slack, slack_payload, slacktest,
                                                                          caplog) -> None:
    bases = {name: slack_payload(name) for name in BASES}
    for base in bases.values():  # answers go to the stand-in, never to the real Slack
        if "response_url" in base:
            base["response_url"] = slack.fake.url("/response/fuzz")
    cases = fuzzing.collect(bases, n=400, forms=frozenset({"slash_command"}))
    seen: dict[int, int] = {}
    caplog.set_level(logging.ERROR, logger="boardbot")
    for case in cases:
        await slack.settle()  # what the last request set going has finished
        before = await counts(slack.services)
        status = await post(slack, case.body, sign(slack, case.body, case.content_type))
        seen[status] = seen.get(status, 0) + 1
        assert status in (200, 400, 413), case
        if status != 200:
            await slack.settle()
            assert await counts(slack.services) == before, case
        unsigned = await post(slack, case.body, {"Content-Type": case.content_type or "application/json"})
        assert unsigned in (401, 413), case
    await slack.settle()
    assert seen.get(400, 0) > 100 and seen.get(200, 0) > 20, seen  # both halves were exercised
    crashed = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert crashed == [], [r.getMessage() for r in crashed][:5]


@pytest.mark.e2e
async def test_on_both_databases_garbage_stores_nothing(slack_db, slack_payload, caplog) -> None:
    """The same, through the OAuth installation store on SQLite and on PostgreSQL."""
    slack = slack_db
    before = await counts(slack.services)
    p = slack_payload("block_actions")
    del p["actions"][0]["action_id"]
    bodies = [(DEEP, "application/json"), (interactive(p), FORM),
              (b'{"type": "event_callback", "event": {"type": "app_mention", "text": "\xff"}}', "application/json")]
    for body, ctype in bodies:
        assert await post(slack, body, {"Content-Type": ctype}) == 401
        assert await post(slack, body, sign(slack, body, ctype)) == 400
    bases = {name: slack_payload(name) for name in ("block_actions", "view_submission", "event_app_mention")}
    for base in bases.values():
        if "response_url" in base:
            base["response_url"] = slack.fake.url("/response/fuzz")
    caplog.set_level(logging.ERROR, logger="boardbot")
    for case in fuzzing.collect(bases, n=80):
        await slack.settle()
        snapshot = await counts(slack.services)
        status = await post(slack, case.body, sign(slack, case.body, case.content_type))
        assert status in (200, 400, 413), case
        if status != 200:
            assert await counts(slack.services) == snapshot, case
    await slack.settle()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    after = await counts(slack.services)
    assert {k: v for k, v in after.items() if k != "processed_requests"} == \
        {k: v for k, v in before.items() if k != "processed_requests"}
