"""The checks every endpoint makes before it spends anything on a request (bot.platforms.inbound)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest

from bot.platforms.inbound import (
    ANY,
    EACH,
    NonEmpty,
    Refused,
    Required,
    check,
    is_loopback_url,
    loads,
    too_deep,
)
from bot.platforms.slack.inbound import check_shape, parse, verify_signature


def test_depth_is_counted_outside_strings_and_in_linear_time() -> None:
    assert not too_deep(json.dumps({"a": [[["x"]]]}))
    assert not too_deep('"' + "[" * 10_000 + '"')  # brackets in a string are text
    assert not too_deep("[" * 64 + "]" * 64)
    assert too_deep("[" * 65 + "]" * 65)
    assert too_deep(b"[" * 1_000_000)
    start = time.perf_counter()
    too_deep(b"[]" * 500_000)
    assert time.perf_counter() - start < 2


def test_loads_refuses_what_is_not_bounded_json() -> None:
    for bad in (b"[" * 100_000, b"{nope", b"\xff", b"", b'{"a": 1} trailing'):
        with pytest.raises(Refused) as err:
            loads(bad)
        assert err.value.status == 400
    assert loads(b'{"a": [1, 2]}') == {"a": [1, 2]}


def test_shapes_name_the_field_that_is_wrong() -> None:
    spec = {"type": Required(str), "user": (str, {"id": str}), "actions": NonEmpty({"action_id": Required(str)}),
            "values": {EACH: {EACH: {"value": (str, None)}}}, "anything": ANY}
    check({"type": "x", "user": "U1", "actions": [{"action_id": "a"}], "values": {"b": {"c": {"value": None}}},
           "anything": [1, {"x": None}], "unknown": object()}, spec)
    cases = {
        "type is missing": {"actions": [{"action_id": "a"}]},
        "user.id should be a string": {"type": "x", "user": {"id": 3}, "actions": [{"action_id": "a"}]},
        "actions is empty": {"type": "x", "actions": []},
        "actions[0].action_id is missing": {"type": "x", "actions": [{}]},
        "values.b should be an object": {"type": "x", "actions": [{"action_id": "a"}], "values": {"b": "no"}},
        "values.b.c.value should be a string or null": {"type": "x", "actions": [{"action_id": "a"}],
                                                        "values": {"b": {"c": {"value": 1}}}},
        "type should be a string": {"type": True, "actions": [{"action_id": "a"}]},
    }
    for message, value in cases.items():
        with pytest.raises(Refused, match=message.replace("[", r"\[").replace("]", r"\]")):
            check(value, spec)


def test_only_loopback_service_urls_count_as_this_machine() -> None:
    for url in ("http://127.0.0.1:9999/", "http://localhost:3978/", "https://[::1]/x", "http://127.8.0.1/"):
        assert is_loopback_url(url), url
    for url in ("https://smba.trafficmanager.net/uk/", "http://127.0.0.1.nip.io/", "http://localhost.evil.com/",
                "http://evil.com/?127.0.0.1", "http://127.0.0.1@evil.com/", "file:///etc/passwd", "", None, 3):
        assert not is_loopback_url(url), url


def _signed(body: bytes, ts: str, secret: str = "s3cret") -> dict[str, str]:
    mac = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={mac}"}


def test_slack_signatures_are_checked_over_bytes_with_ascii_timestamps() -> None:
    now = int(time.time())
    body = b"\xff\xfe not utf-8"
    assert verify_signature(body, _signed(body, str(now)), "s3cret")
    assert not verify_signature(body, _signed(body, str(now), "other"), "s3cret")
    assert not verify_signature(body, _signed(body, str(now - 301)), "s3cret")
    assert not verify_signature(body, _signed(body, str(now + 301)), "s3cret")
    assert not verify_signature(body, {**_signed(body, str(now)), "X-Slack-Request-Timestamp": "\u00b2"}, "s3cret")
    assert not verify_signature(body, _signed(body, str(now)), "")
    assert not verify_signature(body + b"x", _signed(body, str(now)), "s3cret")
    assert not verify_signature(body, {}, "s3cret")


def test_slack_bodies_are_parsed_as_bolt_would_but_safely() -> None:
    assert parse(b"command=%2Fboard&text=the+payload+of+it", "application/x-www-form-urlencoded")[1]["text"] == \
        "the payload of it"
    assert parse(b'payload=%7B%22type%22%3A+%22x%22%7D', "application/x-www-form-urlencoded")[1] == {"type": "x"}
    for body in (b"", b"payload=%5B" * 1, b"payload=" + b"%5B" * 100_000, b'{"a":', b"\xff"):
        with pytest.raises(Refused):
            parse(body, "application/x-www-form-urlencoded")
    for body in ({"command": "board"}, {"type": "dialog_submission", "callback_id": "x"}, [1], {"hello": "world"}):
        with pytest.raises(Refused):
            check_shape(body)
    assert check_shape({"command": "/board", "text": "boards"}) == "command"
