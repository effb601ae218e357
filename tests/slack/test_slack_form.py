"""A slash command's form is read as urllib reads it, whatever the bytes between the separators."""

from __future__ import annotations

import random
from urllib.parse import parse_qsl, urlencode

from bot.platforms.slack.inbound import _form, parse

PIECES = ["a", "text", "=", "&", "+", "%", "%41", "%2", "%zz", "%E2%98%83", "%E2%98", "é", "☃", ";", " ", "&&", "==", "%00",
          "%3F", "%2f", "%2F", "%aF", "%7F", "%80", "%%", "%C3%A9"]


def test_any_form_reads_as_parse_qsl_reads_it():
    rng = random.Random(20261202)
    for _ in range(5000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 24)))
        assert _form(text) == dict(parse_qsl(text, keep_blank_values=True)), text


def test_a_slash_command_keeps_its_text_exactly():
    text = "who leads on CSE? 100% sure & more = +1 ☃"
    body = urlencode({"command": "/board", "text": text, "team_id": "T1", "response_url": "https://hooks.slack.com/x?a=1&b=2"})
    _, form = parse(body.encode(), "application/x-www-form-urlencoded")
    assert form["text"] == text
    assert form["response_url"] == "https://hooks.slack.com/x?a=1&b=2"
