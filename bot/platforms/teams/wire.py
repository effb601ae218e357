"""botbuilder's models to and from the JSON the Bot Connector speaks, without msrest's cost per call.

msrest reads and writes every activity model by model through a general-purpose serialiser
it builds afresh for each call: for an incoming message and its answer card that was more CPU
than boardbot's own answer. The schema an activity uses is plain (strings, booleans, numbers,
dates, free-form JSON, lists and nested models; no flattened keys, subtypes or read-only
fields), so these functions do the same work directly and hand anything else to msrest:

- :func:`activity_from_json` — an incoming activity, as ``Activity.deserialize`` reads it;
- :func:`model_json` / :func:`activity_json` — a model as ``model.serialize()`` writes it.

Each gives exactly what msrest gives (tests/teams/test_wire.py compares them); on anything
unusual (a value of another type than the schema says, a date to write, a dict of models)
:class:`Unusual` is raised inside and msrest does the whole of it instead, errors included.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from typing import Any

from botbuilder.schema import Activity
from msrest.serialization import Deserializer, Model

_MODELS: dict[str, type] = dict(Activity._infer_class_models())  # the schema's models by name, as msrest finds them
_DESERIALIZER = Deserializer(_MODELS)


class Unusual(Exception):
    """A value :func:`activity_json` does not turn into JSON itself (msrest does it instead)."""


def _value(v: Any, kind: str) -> Any:
    if isinstance(v, enum.Enum):
        v = v.value
    if kind in ("str", "bool", "int", "float"):
        if kind == "str" and not isinstance(v, str):
            raise Unusual(kind)
        return v
    if kind == "object":
        if isinstance(v, (Model, dt.date, dt.datetime)):
            raise Unusual(kind)
        return v  # plain JSON (cards, channelData); json.dumps refuses anything else
    if kind.startswith("[") and kind.endswith("]"):
        if not isinstance(v, (list, tuple)):
            raise Unusual(kind)
        return [_value(x, kind[1:-1]) for x in v]
    if isinstance(v, Model):
        return model_json(v)
    raise Unusual(kind)  # dates, dicts of models, anything else


def model_json(model: Model) -> dict[str, Any]:
    """As msrest's serializer (``model.serialize()``): the mapped attributes that are set, under
    their JSON keys (read-only ones left out; additional properties only where the model declares
    them). Raises ``Unusual`` for what it leaves to msrest (dates, flattened keys, dicts of models)."""
    cls = type(model)
    validation = cls._validation
    out: dict[str, Any] = {}
    for attr, spec in cls._attribute_map.items():
        key = spec["key"]
        if attr == "additional_properties" and key == "":
            if model.additional_properties is not None:
                out.update(model.additional_properties)
            continue
        if validation and validation.get(attr, {}).get("readonly", False):
            continue
        v = getattr(model, attr, None)
        if v is None:
            continue
        if not key or "." in key:  # a flattened attribute: msrest's business
            raise Unusual(key)
        out[key] = _value(v, spec["type"])
    return out


def activity_json(activity: Activity, serializer: Any) -> str:
    """The activity as the Bot Connector wants it: built directly, or by msrest when unusual."""
    try:
        return json.dumps(model_json(activity))
    except (Unusual, TypeError, ValueError):
        return json.dumps(serializer.body(activity, "Activity"))


# --- reading --------------------------------------------------------------------------------------


def activity_from_json(body: dict[str, Any]) -> Activity:
    """``Activity.deserialize(body)``, directly when the body is as the schema says, else by msrest
    (which raises ``msrest.exceptions.DeserializationError`` for what it cannot read)."""
    try:
        return _model_from_json(Activity, body)
    except Unusual:
        return Activity.deserialize(body)


def _model_from_json(cls: type, data: Any) -> Any:
    if type(data) is not dict:
        raise Unusual(cls.__name__)
    if cls.__dict__.get("_subtype_map") or cls._validation:
        raise Unusual(cls.__name__)
    kwargs: dict[str, Any] = {}
    known: set[str] = set()
    for attr, spec in cls._attribute_map.items():
        key = spec["key"]
        if attr == "additional_properties" and key == "":
            continue
        if not key or "." in key or "\\" in key:
            raise Unusual(key)
        known.add(key)
        raw = data.get(key)
        kwargs[attr] = None if raw is None else _read(raw, spec["type"])
    obj = cls(**kwargs)
    extra = {k: data[k] for k in data.keys() - known}
    if extra:
        obj.additional_properties = extra
    return obj


def _read(raw: Any, kind: str) -> Any:
    kind_of = type(raw)
    if kind == "str":
        if kind_of is not str:
            raise Unusual(kind)
        return raw
    if kind == "bool":
        if kind_of is not bool:
            raise Unusual(kind)
        return raw
    if kind == "int":
        if kind_of is not int:
            raise Unusual(kind)
        return raw
    if kind == "object":
        # msrest copies free-form JSON value by value into an equal copy; the body is this
        # request's own, just parsed, so it is used as it is
        if kind_of not in (dict, list, str, int, float, bool):
            raise Unusual(kind)
        return raw
    if kind == "iso-8601":
        if kind_of is not str:
            raise Unusual(kind)
        try:
            return Deserializer.deserialize_iso(raw)
        except Exception as exc:  # msrest's own reading says why, in its own words
            raise Unusual(kind) from exc
    if kind.startswith("[") and kind.endswith("]"):
        if kind_of is not list:
            raise Unusual(kind)
        inner = kind[1:-1]
        return [None if x is None else _read(x, inner) for x in raw]
    model = _MODELS.get(kind)
    if isinstance(model, type) and issubclass(model, Model):
        return _model_from_json(model, raw)
    raise Unusual(kind)  # dicts of models, enums, anything else
