"""The review page's server: one draft file, its source documents, one token per run.

Safety: it listens on 127.0.0.1 only and answers only requests whose Host is that address
(so a web page elsewhere cannot reach it by DNS rebinding); saving needs the per-run token,
sent by the page in a header a cross-site form cannot set, with a JSON body and, where the
browser sends one, an Origin of this server. It writes nothing but the file under review,
and only a file that validates: otherwise the problems go back to the page in plain words
and the file is left as it was.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import secrets
import sys
import tempfile
from dataclasses import dataclass
from html import escape
from pathlib import Path

import yaml
from aiohttp import web

from drafting.model import Document, clause_of
from drafting.readers import UnreadableDocument, read
from drafting.writer import dump
from storage.protocol.loader import ProtocolFileError, load_protocol_file, parse_protocol

STATIC = Path(__file__).parent / "static"
ASSETS = {"review.css": "text/css", "review.js": "text/javascript"}
MAX_BODY = 8 * 1024 * 1024
MAX_DEPTH = 64  # a protocol file nests a dozen levels; deeper JSON would only overflow the parser or the writer
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def _too_deep(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether JSON text nests arrays/objects deeper than ``limit`` (strings skipped): checked before
    parsing, since Python's JSON reader and the YAML writer both recurse and would fail with a 500."""
    depth = 0
    for ch in _STRING.sub("", text):
        if ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


@dataclass
class Review:
    file: Path
    sources: list[Path]
    token: str
    documents: list[Document]
    port: int = 0


def _doc_json(doc: Document, key: str) -> dict:
    blocks = []
    for b in doc.blocks:
        entry = {"kind": b.kind, "start": b.start, "end": b.end, "level": b.level, "clause": clause_of(b, doc=doc),
                 "number": b.number}
        if b.kind == "table":
            entry["rows"] = [[{"start": c.start, "end": c.end} for c in row] for row in b.rows]
            entry["row_clauses"] = [clause_of(b, row=r, doc=doc) for r in range(len(b.rows))]
        blocks.append(entry)
    return {"key": key, "name": doc.name, "text": doc.text, "blocks": blocks}


def _problems(exc: ProtocolFileError) -> list[dict]:
    return [{"line": p.line, "field": p.field, "message": p.message, "text": str(p).split(": ", 1)[-1]} for p in exc.problems]


def _same_file(a: str, b: Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def _check_host(review: Review, request: web.Request) -> None:
    allowed = {f"127.0.0.1:{review.port}", f"localhost:{review.port}"}
    if request.host not in allowed:
        raise web.HTTPForbidden(text="this page answers only on 127.0.0.1")


def build_app(review: Review) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY)

    @web.middleware
    async def guard(request: web.Request, handler):
        _check_host(review, request)
        resp = await handler(request)
        resp.headers["Content-Security-Policy"] = "default-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'"
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        resp.headers["Cache-Control"] = "no-store"
        return resp

    app.middlewares.append(guard)

    async def index(_request: web.Request) -> web.Response:
        html = (STATIC / "index.html").read_text(encoding="utf-8").replace("{{TOKEN}}", review.token)
        html = html.replace("{{FILE}}", escape(review.file.name))  # a file may be named like markup
        return web.Response(text=html, content_type="text/html")

    async def asset(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in ASSETS:  # a fixed list: no path from the request reaches the disk
            raise web.HTTPNotFound()
        return web.Response(body=(STATIC / name).read_bytes(), content_type=ASSETS[name])

    async def state(_request: web.Request) -> web.Response:
        text = review.file.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        problems = []
        try:
            loaded = parse_protocol(text, review.file.name)
            pending = loaded.pending_review
        except ProtocolFileError as exc:
            problems, pending = _problems(exc), None
        keys = [d.get("key") for d in (data or {}).get("documents", [])]
        docs = [_doc_json(doc, keys[i] if i < len(keys) else f"doc{i + 1}") for i, doc in enumerate(review.documents)]
        return web.json_response({"file": review.file.name, "data": data, "documents": docs, "problems": problems,
                                  "pending": pending})

    async def save(request: web.Request) -> web.Response:
        token = request.headers.get("X-Review-Token", "")
        # as bytes: compare_digest raises on text that is not ASCII, and a header may carry any
        if not secrets.compare_digest(token.encode("utf-8", "surrogateescape"), review.token.encode()):
            raise web.HTTPForbidden(text="missing or wrong review token: reload the page from the address boardbot printed")
        origin = request.headers.get("Origin")
        if origin and origin not in (f"http://127.0.0.1:{review.port}", f"http://localhost:{review.port}"):
            raise web.HTTPForbidden(text="saving is allowed only from the review page itself")
        if request.content_type != "application/json":
            raise web.HTTPUnsupportedMediaType(text="send the protocol as JSON")
        try:
            raw = await request.text()
        except UnicodeDecodeError:
            raise web.HTTPBadRequest(text="the body is not valid JSON") from None
        if _too_deep(raw):
            raise web.HTTPBadRequest(text=f"the body nests deeper than {MAX_DEPTH} levels; a protocol never does")
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError):  # ValueError: also a number past Python's 4,300 digits
            raise web.HTTPBadRequest(text="the body is not valid JSON") from None
        if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
            raise web.HTTPBadRequest(text="expected {\"data\": {...the protocol...}}")
        target = body.get("path")
        if target is not None and not _same_file(str(target), review.file):
            raise web.HTTPForbidden(text=f"this page saves only {review.file.name}")
        text = (f"# Reviewed with `boardbot protocol review` on {dt.date.today().isoformat()} "
                f"(from {', '.join(p.name for p in review.sources)}).\n"
                "# Facts still marked `review: pending` have not been checked yet.\n" + dump(body["data"]))
        try:
            loaded = parse_protocol(text, review.file.name)
        except ProtocolFileError as exc:
            return web.json_response({"saved": False, "problems": _problems(exc)}, status=422)
        fd, tmp = tempfile.mkstemp(dir=review.file.parent, prefix=f".{review.file.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, review.file)
        return web.json_response({"saved": True, "pending": loaded.pending_review,
                                  "not_transcribed": loaded.not_transcribed,
                                  "validate": f"boardbot protocol validate {review.file}",
                                  "import": f"boardbot protocol import {review.file}"})

    async def no_icon(_request: web.Request) -> web.Response:
        return web.Response(status=204)

    app.router.add_get("/", index)
    app.router.add_get("/favicon.ico", no_icon)
    app.router.add_get("/static/{name}", asset)
    app.router.add_get("/api/state", state)
    app.router.add_post("/api/save", save)
    return app


def prepare(file: Path, sources: list[Path]) -> Review:
    """Check the inputs and read the documents; raises ValueError with a message for the user."""
    if not file.is_file():
        raise ValueError(f"{file}: no such file (draft one with `boardbot protocol draft SOURCE --out {file}`)")
    try:
        yaml.safe_load(file.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ValueError(f"{file}: not a readable YAML file ({exc})") from None
    try:
        load_protocol_file(file)
    except ProtocolFileError as exc:
        print(f"{file}: does not validate yet; the page lists the problems:\n{exc}", file=sys.stderr)
    try:
        docs = [read(s) for s in sources]
    except UnreadableDocument as exc:
        raise ValueError(str(exc)) from None
    return Review(file=file, sources=sources, token=secrets.token_urlsafe(24), documents=docs)


async def start(review: Review, port: int = 0) -> web.AppRunner:
    runner = web.AppRunner(build_app(review), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    review.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner


def serve(file: Path, sources: list[Path], *, port: int = 0, open_browser: bool = True) -> int:
    try:
        review = prepare(file, sources)
    except ValueError as exc:
        print(f"boardbot: {exc}", file=sys.stderr)
        return 2

    async def main() -> None:
        runner = await start(review, port)
        url = f"http://127.0.0.1:{review.port}/"
        print(f"Reviewing {file} beside {', '.join(s.name for s in sources)}: {url}", flush=True)
        print("Press Ctrl+C to stop. Saving writes only this file, and only when it validates.", flush=True)
        if open_browser:
            import webbrowser

            webbrowser.open(url)
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(f"boardbot: cannot listen on 127.0.0.1:{port} ({exc.strerror or exc})", file=sys.stderr)
        return 2
    return 0
