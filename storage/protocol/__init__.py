"""Area protocols: the schema (:mod:`.schema`), reading a file (:mod:`.loader`), and the files boardbot ships."""

from __future__ import annotations

from pathlib import Path


def bundled_protocol_paths() -> list[Path]:
    """The protocol files shipped with boardbot, one per seed area (found without loading the YAML
    reader, so that a store can check they are current cheaply: :meth:`storage.store.Store.open_to_read`)."""
    return sorted((Path(__file__).parent / "data").glob("*.yaml"))
