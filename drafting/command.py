"""`boardbot protocol draft` and `boardbot protocol review`: argument parsing and running."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_commands(psub) -> None:
    """Add the ``draft`` and ``review`` actions to ``boardbot protocol``."""
    d = psub.add_parser(
        "draft", help="draft a protocol file from the protocol document (.docx, .pdf, .html, .md, .txt)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Read an area's protocol document and write a draft protocol file in which every fact cites "
                    "its clause and is marked for review.",
        epilog="examples:\n"
               "  boardbot protocol draft protocol.docx --out my-area.yaml\n"
               "  boardbot protocol draft joint-protocol.pdf terms-of-reference.docx --out my-area.yaml --area my-area\n"
               "then: boardbot protocol review my-area.yaml --source protocol.docx")
    d.add_argument("sources", nargs="+", metavar="SOURCE", help="the protocol document(s); several documents make one area")
    d.add_argument("--out", required=True, metavar="FILE.yaml", help="where to write the draft")
    d.add_argument("--area", dest="area_slug", metavar="SLUG", help="the area's slug (default: from the boards' names)")
    d.add_argument("--area-name", metavar="NAME", help='the area\'s name, e.g. "Northshire" (default: from the boards\' names)')
    d.add_argument("--force", action="store_true", help="overwrite FILE.yaml even if it is not an earlier draft")
    r = psub.add_parser(
        "review", help="review a draft beside its document in the browser, then save a file that validates",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Serve a review page on 127.0.0.1: each drafted fact beside the passage it came from; accept, edit or "
                    "reject each, add what was missed, and save.",
        epilog="example:\n  boardbot protocol review my-area.yaml --source protocol.docx")
    r.add_argument("file", metavar="FILE.yaml")
    r.add_argument("--source", action="append", required=True, metavar="SOURCE",
                   help="the document the draft was made from (repeat for several)")
    r.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)")
    r.add_argument("--no-browser", action="store_true", help="print the address instead of opening a browser")


def run_draft(args) -> int:
    from drafting.assemble import draft
    from drafting.readers import UnreadableDocument, read
    from drafting.writer import render
    from storage.protocol.loader import parse_protocol

    out = Path(args.out)
    if out.suffix.lower() not in (".yaml", ".yml"):
        print(f"boardbot: --out {out}: a protocol file ends in .yaml", file=sys.stderr)
        return 2
    if out.exists() and not args.force:
        head = out.read_text(errors="replace")[:200] if out.is_file() else "?"
        if head.strip() and not head.startswith("# Drafted by"):
            print(f"boardbot: {out} exists and is not a draft; choose another --out or add --force", file=sys.stderr)
            return 2
    try:
        docs = [read(s) for s in args.sources]
    except UnreadableDocument as exc:
        print(f"boardbot: {exc}", file=sys.stderr)
        return 2
    if not any(d.blocks for d in docs):
        print(f"boardbot: no text found in {', '.join(args.sources)} (a scanned PDF needs OCR first)", file=sys.stderr)
        return 2
    d = draft(docs, area_slug=args.area_slug, area=args.area_name)
    text, dropped = render(d, [Path(s).name for s in args.sources])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    p = parse_protocol(text, str(out))
    proto = p.protocol
    print(f"{out}: drafted {proto.area.name} ({proto.area.slug}) from {', '.join(Path(s).name for s in args.sources)}: "
          f"{len(proto.boards)} boards, {len(proto.themes)} themes, {len(proto.challenge.ladder)} challenge steps, "
          f"{len(proto.meetings)} meetings, {len(proto.reports)} reports, {len(proto.roles)} posts")
    print(f"{out}: {p.pending_review} facts pending review")
    if p.not_transcribed:
        print(f"{out}: not yet transcribed (the drafter found nothing, or does not read these): {', '.join(p.not_transcribed)}")
    for n in d.notes:
        print(f"{out}: note: {n}")
    for x in dropped:
        print(f"{out}: left out: {x}")
    print(f"next: boardbot protocol review {out} " + " ".join(f"--source {s}" for s in args.sources))
    return 0


def run_review(args) -> int:
    from drafting.review.server import serve

    return serve(Path(args.file), [Path(s) for s in args.source], port=args.port, open_browser=not args.no_browser)
