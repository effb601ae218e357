"""Activities read without msrest are the activities msrest reads (:mod:`bot.platforms.teams.wire`).

Every saved Teams sample, and variations of them Teams or a stranger might send (unknown
keys, nulls, mentions, attachments, values of the wrong type), are read both ways and must
come out the same, down to each nested model's attributes; what msrest refuses is refused.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest
from botbuilder.schema import Activity
from msrest.exceptions import DeserializationError
from msrest.serialization import Model

from bot.platforms.teams.wire import activity_from_json

from .standin import PAYLOADS

SAMPLES = {p.stem: json.loads(p.read_text()) for p in sorted(PAYLOADS.glob("*.json"))}


def same(a: Any, b: Any, where: str = "activity") -> None:
    """``a`` and ``b`` alike: the same model classes with the same attributes, all the way down."""
    assert type(a) is type(b), where
    if isinstance(a, Model):
        assert vars(a).keys() == vars(b).keys(), where
        for name in vars(a):
            same(getattr(a, name), getattr(b, name), f"{where}.{name}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for n, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{n}]")
    elif isinstance(a, dt.datetime):
        assert (a, a.utcoffset()) == (b, b.utcoffset()), where
    else:
        assert a == b, where


def variations() -> list[tuple[str, dict[str, Any]]]:
    base = SAMPLES["personal_message"]
    out = [(name, body) for name, body in SAMPLES.items()]
    changes = {
        "unknown keys everywhere": {"futureField": {"a": [1, None]}, "from": {**base["from"], "userRole": "user"},
                                    "conversation": {**base["conversation"], "extra": True}},
        "nulls": {"text": None, "entities": None, "channelData": None, "localTimestamp": None},
        "mentions and an attachment": {
            "entities": [{"type": "mention", "text": "<at>boardbot</at>", "mentioned": {"id": "28:b", "name": "b"}},
                         {"type": "clientInfo", "locale": "en-GB", "country": "GB"}, None],
            "attachments": [{"contentType": "text/html", "content": "<p>hi</p>"}],
            "membersAdded": [{"id": "29:x"}, None]},
        "a card's value": {"value": {"action": {"verb": "boardbot", "data": {"a": "x", "v": {"n": 1.5}}}},
                           "name": "adaptiveCard/action", "type": "invoke"},
        "an offset timestamp": {"localTimestamp": "2026-11-23T16:02:11.3571234+01:00"},
        "a number where text belongs": {"text": 42},
        "a boolean written as text": {"conversation": {**base["conversation"], "isGroup": "false"}},
        "a string where an account belongs": {"from": "29:someone"},
        "a list where an account belongs": {"recipient": [1, 2]},
        "not a date": {"timestamp": "yesterday"},
        "a number where a list belongs": {"entities": 7},
        "semantic action": {"semanticAction": {"id": "s", "entities": {"e": {"type": "x"}}, "state": "start"}},
    }
    for name, change in changes.items():
        body = copy.deepcopy(base)
        body.update(copy.deepcopy(change))
        out.append((name, body))
    return out


@pytest.mark.parametrize(("name", "body"), variations(), ids=[n for n, _ in variations()])
def test_an_activity_reads_as_msrest_reads_it(name, body):
    try:
        expected = Activity.deserialize(copy.deepcopy(body))
    except DeserializationError:
        with pytest.raises(DeserializationError):
            activity_from_json(copy.deepcopy(body))
        return
    same(activity_from_json(copy.deepcopy(body)), expected)
