"""The Teams app package: manifest.json and its two icons, and a command to zip them for side-loading.

    python -m bot.platforms.teams.manifest package --app-id <MicrosoftAppId> [--out boardbot-teams.zip]
    python -m bot.platforms.teams.manifest icons      # redraw color.png and outline.png

The manifest in ``bot/platforms/teams/package/`` carries a placeholder app id
(all zeros); ``package`` writes a zip with your bot's ``MicrosoftAppId`` as both the app id
and the bot id, which is what Teams > Apps > Manage your apps > Upload an app expects.

The icons are drawn here, pixel by pixel, and written as PNG with zlib and struct (no image
library needed): a 192x192 colour icon (white "board table" glyph on boardbot blue, full
bleed) and a 32x32 outline icon (the same glyph in pure white on transparent, as Teams
requires).
"""

from __future__ import annotations

import argparse
import json
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.platforms.teams import PACKAGE

HERE = PACKAGE
PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"
ACCENT = (0x1F, 0x5F, 0x8B)  # boardbot blue
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

Pixel = tuple[int, int, int, int]


# --- PNG ------------------------------------------------------------------------------------------


def png(width: int, height: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """An RGBA PNG (colour type 6, 8 bits) of ``pixel(x, y)``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def read_png(data: bytes) -> tuple[int, int, list[list[Pixel]]]:
    """(width, height, rows of RGBA pixels) of a PNG this module wrote (8-bit RGBA, filter 0)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat = 8, b""
    width = height = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            if (depth, colour) != (8, 6):
                raise ValueError("expected 8-bit RGBA")
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = 1 + 4 * width
    rows = []
    for y in range(height):
        line = raw[y * stride:(y + 1) * stride]
        if line[0] != 0:
            raise ValueError("expected filter 0")
        rows.append([tuple(line[1 + 4 * x:5 + 4 * x]) for x in range(width)])  # type: ignore[misc]
    return width, height, rows


# --- the glyph ------------------------------------------------------------------------------------


def glyph(x: float, y: float) -> bool:
    """A board table seen from above, in a unit square: a rounded table and three seats each side."""
    def rounded(x0: float, y0: float, x1: float, y1: float, r: float) -> bool:
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            return False
        cx = min(max(x, x0 + r), x1 - r)
        cy = min(max(y, y0 + r), y1 - r)
        return (x - cx) ** 2 + (y - cy) ** 2 <= r * r

    if rounded(0.30, 0.12, 0.70, 0.88, 0.08):  # the table
        return True
    for seat_y in (0.22, 0.44, 0.66):
        if rounded(0.08, seat_y, 0.22, seat_y + 0.12, 0.05) or rounded(0.78, seat_y, 0.92, seat_y + 0.12, 0.05):
            return True
    return False


def coverage(px: int, py: int, size: int, inset: float, samples: int = 4) -> float:
    """How much of pixel (px, py) the glyph covers (supersampled, for smooth edges)."""
    hits = 0
    span = 1 - 2 * inset
    for i in range(samples):
        for j in range(samples):
            u = ((px + (i + 0.5) / samples) / size - inset) / span
            v = ((py + (j + 0.5) / samples) / size - inset) / span
            hits += 0 <= u <= 1 and 0 <= v <= 1 and glyph(u, v)
    return hits / (samples * samples)


def color_icon(size: int = 192) -> bytes:
    """Full-bleed boardbot blue with the glyph in white, inside Teams' safe area."""

    def pixel(x: int, y: int) -> Pixel:
        c = coverage(x, y, size, inset=0.22)
        r, g, b = (round(a + (255 - a) * c) for a in ACCENT)
        return (r, g, b, 255)

    return png(size, size, pixel)


def outline_icon(size: int = 32) -> bytes:
    """The glyph in pure white on transparent: Teams tints it; any other colour is rejected."""

    def pixel(x: int, y: int) -> Pixel:
        return (255, 255, 255, round(255 * coverage(x, y, size, inset=0.06)))

    return png(size, size, pixel)


def write_icons(directory: Path = HERE) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "color.png").write_bytes(color_icon())
    (directory / "outline.png").write_bytes(outline_icon())


# --- the manifest ---------------------------------------------------------------------------------


def manifest(app_id: str = PLACEHOLDER_ID, *, base: Path = HERE, valid_domain: str | None = None,
             version: str | None = None) -> dict[str, Any]:
    """The repository's manifest with ``app_id`` as app and bot id (and a domain, a version if given)."""
    if not GUID.match(app_id):
        raise ValueError(f"the app id must be the bot's MicrosoftAppId, a GUID like {PLACEHOLDER_ID}, not {app_id!r}")
    data = json.loads((base / "manifest.json").read_text())
    data["id"] = app_id
    for bot in data["bots"]:
        bot["botId"] = app_id
    if valid_domain:
        data["validDomains"] = sorted({*data.get("validDomains", []), valid_domain})
    if version:
        data["version"] = version
    return data


def package(app_id: str, out: Path, *, base: Path = HERE, valid_domain: str | None = None, version: str | None = None) -> Path:
    """A zip Teams can upload: manifest.json, color.png, outline.png at its root."""
    data = manifest(app_id, base=base, valid_domain=valid_domain, version=version)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        z.write(base / data["icons"]["color"], data["icons"]["color"])
        z.write(base / data["icons"]["outline"], data["icons"]["outline"])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.platforms.teams.manifest", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("package", help="zip the manifest and icons with your bot's app id, for Teams > Upload an app")
    p.add_argument("--app-id", required=True, help="the bot's MicrosoftAppId (Azure Bot > Configuration)")
    p.add_argument("--out", default="boardbot-teams.zip", type=Path)
    p.add_argument("--domain", help="the public host boardbot answers on, e.g. boardbot.example.gov.uk")
    p.add_argument("--version", help="the app version (raise it when you upload a changed package)")
    sub.add_parser("icons", help="redraw color.png (192x192) and outline.png (32x32)")
    args = parser.parse_args(argv)
    if args.command == "icons":
        write_icons()
        print(f"wrote {HERE / 'color.png'} and {HERE / 'outline.png'}")
        return 0
    try:
        out = package(args.app_id, args.out, valid_domain=args.domain, version=args.version)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {out}: upload it in Teams > Apps > Manage your apps > Upload an app")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
