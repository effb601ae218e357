"""Requests Slack did not sign (or signed long ago) change nothing; junk gets 400; nothing crashes."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import func, select

from storage.models import AuditEvent, Person, ProcessedRequest


async def _counts(slack) -> tuple[int, int, int]:
    async with slack.services.store.session() as s:
        return tuple([(await s.execute(select(func.count()).select_from(m))).scalar_one()
                      for m in (ProcessedRequest, Person, AuditEvent)])  # type: ignore[return-value]


def _admin_command(slack) -> str:
    return slack.command_body("admin make-admin <@U0EVIL001|mallory>", user_id="U0EVIL001")


async def _assert_nothing_happened(slack, before: tuple[int, int, int]) -> None:
    await slack.settle()
    assert [c.method for c in slack.fake.calls] == []  # not even auth.test: rejected before authorising
    assert await _counts(slack) == before


@pytest.mark.parametrize("kind", ["forged", "stale", "missing", "garbage timestamp", "wrong body"])
async def test_unsigned_or_stale_requests_get_401_and_change_nothing(slack, slack_payload, kind: str) -> None:
    before = await _counts(slack)
    event = json.dumps(slack_payload("event_app_mention"))
    command = _admin_command(slack)
    for body, ctype in ((event, "application/json"), (command, "application/x-www-form-urlencoded")):
        headers = slack.headers(body, content_type=ctype)
        if kind == "forged":
            ts = headers["X-Slack-Request-Timestamp"]
            headers["X-Slack-Signature"] = SignatureVerifier("not-the-secret").generate_signature(timestamp=ts, body=body)
        elif kind == "stale":
            headers = slack.headers(body, content_type=ctype, timestamp=int(time.time()) - 6 * 60)
        elif kind == "missing":
            del headers["X-Slack-Signature"], headers["X-Slack-Request-Timestamp"]
        elif kind == "garbage timestamp":
            headers["X-Slack-Request-Timestamp"] = "soon"
        elif kind == "wrong body":  # signed for another body
            body = body.replace("CSE", "FGM").replace("U0EVIL001", "U0EVIL002")
        status, _ = await slack.post(body, headers)
        assert status == 401, (kind, ctype)
    await _assert_nothing_happened(slack, before)


async def test_a_request_signed_within_five_minutes_is_accepted(slack) -> None:
    body = slack.command_body("boards")
    status, ack = await slack.post(body, slack.headers(body, content_type="application/x-www-form-urlencoded",
                                                      timestamp=int(time.time()) - 4 * 60))
    assert status == 200 and "Boards party to" in ack["text"]


@pytest.mark.parametrize("body, ctype", [
    ('{"type": "event_callback", "event": ', "application/json"),
    ("[1, 2, 3]", "application/json"),
    ("payload=%7Bnot+json", "application/x-www-form-urlencoded"),
    ('{"type": "event_callback", "event_id": "Ev1", "event": "not an object"}', "application/json"),
])
async def test_malformed_bodies_get_400_when_signed_and_401_when_not(slack, body: str, ctype: str) -> None:
    before = await _counts(slack)
    status, _ = await slack.post(body, slack.headers(body, content_type=ctype))
    assert status == 400
    headers = slack.headers(body, content_type=ctype)
    headers["X-Slack-Signature"] = "v0=" + "0" * 64
    status, _ = await slack.post(body, headers)
    assert status == 401
    await _assert_nothing_happened(slack, before)
    # and the server is still fine
    status, ack = await slack.command("boards")
    assert status == 200 and "Boards party to" in ack["text"]


async def test_bolt_internal_headers_from_outside_are_refused(slack) -> None:
    body = slack.command_body("boards")
    headers = slack.headers(body, content_type="application/x-www-form-urlencoded")
    headers["X-Slack-Bolt-Lazy-Only"] = "1"
    status, _ = await slack.post(body, headers)
    assert status == 400


async def test_url_verification_is_answered(slack, slack_payload) -> None:
    status, body = await slack.event(slack_payload("url_verification"))
    assert status == 200
    assert body == {"challenge": slack_payload("url_verification")["challenge"]}


async def test_form_encoded_body_that_is_not_a_slack_request_is_not_a_crash(slack) -> None:
    body = urlencode({"hello": "world"})
    status, _ = await slack.post(body, slack.headers(body, content_type="application/x-www-form-urlencoded"))
    assert status == 400  # signed, well-formed, but nothing Slack sends
