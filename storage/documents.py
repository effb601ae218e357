"""Protocol documents as read back from the database: validated once, shared, and only when used.

Every area's current protocol is stored whole, as the JSON of its validated document
(:mod:`storage.revisions`). Validating one takes a couple of milliseconds and holds a few
hundred kilobytes of small objects, so a server for a thousand areas must not do it for
every area at start, nor keep what nobody asks about:

- :class:`StoredProtocol` is an area's current document as read: its head (the area's
  names, the protocol's own details such as its review terms, its themes' names) at once,
  the whole document compressed, validated on first use. Both are written beside the
  document when it is imported (:func:`pack`), so a server's start decodes a few kilobytes
  per area and compresses nothing.
- :func:`validate_document` validates a document and shares what validated documents have
  in common: equal strings are one string, and the models' sets of given field names (a
  third of a validated protocol's memory) are one set per shape.
"""

from __future__ import annotations

import json
import sys
import zlib
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from storage.protocol.schema import AreaInfo, Protocol, ProtocolInfo

_FIELD_SETS: dict[frozenset[str], set[str]] = {}


def validate_document(doc: Mapping[str, Any]) -> Protocol:
    """``Protocol.model_validate(doc)``, with equal strings and field-name sets shared (see the module)."""
    protocol = Protocol.model_validate(doc)
    _share(protocol)
    return protocol


def _share(obj: Any) -> None:
    # The models are frozen, so nothing assigns to them; a copy (model_copy) copies its set first.
    if isinstance(obj, BaseModel):
        values = obj.__dict__
        for k, v in values.items():
            if type(v) is str:
                values[k] = sys.intern(v)
            elif isinstance(v, (BaseModel, list, dict)):
                _share(v)
        given = obj.__pydantic_fields_set__
        shared = _FIELD_SETS.setdefault(frozenset(given), given)
        if shared is not given:
            object.__setattr__(obj, "__pydantic_fields_set__", shared)
    elif type(obj) is list:
        for i, v in enumerate(obj):
            if type(v) is str:
                obj[i] = sys.intern(v)
            elif isinstance(v, (BaseModel, list, dict)):
                _share(v)
    elif type(obj) is dict:
        for k, v in obj.items():
            if type(v) is str:
                obj[k] = sys.intern(v)
            elif isinstance(v, (BaseModel, list, dict)):
                _share(v)


class ThemeNames:
    """A theme's key, name and aliases: what the shared theme vocabulary needs of it."""

    __slots__ = ("key", "name", "aliases")

    def __init__(self, key: str, name: str, aliases: tuple[str, ...]) -> None:
        self.key, self.name, self.aliases = key, name, aliases


def pack(doc: Mapping[str, Any]) -> tuple[dict[str, Any], bytes]:
    """What is stored beside a validated document (``doc``, as JSON data): its head, and the
    document as compressed JSON (compressed well, once, at import rather than at every start)."""
    head = {"area": doc["area"], "protocol": doc["protocol"],
            "themes": [[t["key"], t["name"], list(t.get("aliases") or ())] for t in doc.get("themes") or ()]}
    return head, zlib.compress(json.dumps(doc, separators=(",", ":")).encode(), 6)


class StoredProtocol:
    """An area's current protocol document as stored, validated the first time it is needed.

    ``area`` (:class:`AreaInfo`) and ``protocol`` (:class:`ProtocolInfo`: title, version,
    review terms) are read at once, as are the themes' names (``theme_names``); they read as
    those of the validated :class:`Protocol` do. :meth:`load` validates the whole document.
    """

    __slots__ = ("sha256", "area", "protocol", "theme_names", "_blob")

    def __init__(self, sha256: str, head: Mapping[str, Any], packed: bytes) -> None:
        self.sha256 = sha256
        self.area = AreaInfo.model_validate(head["area"])
        self.protocol = ProtocolInfo.model_validate(head["protocol"])
        self.theme_names = tuple(ThemeNames(key, name, tuple(aliases)) for key, name, aliases in head["themes"])
        self._blob = packed

    def load(self) -> Protocol:
        """The whole document, validated (a new object each time: the caller keeps it)."""
        return validate_document(json.loads(zlib.decompress(self._blob)))

    @classmethod
    def of_document(cls, sha256: str, doc: Mapping[str, Any]) -> StoredProtocol:
        """A stored document that has no head or packed copy beside it (written before they were kept)."""
        return cls(sha256, *pack(doc))

    @classmethod
    def of(cls, protocol: Protocol) -> StoredProtocol:
        """``protocol`` as it would be read back from the database."""
        import hashlib

        doc = protocol.model_dump(mode="json")
        return cls.of_document(hashlib.sha256(json.dumps(doc).encode()).hexdigest(), doc)
