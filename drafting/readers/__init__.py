"""Readers: one per source format, each turning a file into a :class:`drafting.model.Document`.

Each uses a maintained library (python-docx, pdfplumber, BeautifulSoup with lxml,
markdown-it-py); only plain text is read line by line, as there is no library for it.
"""

from __future__ import annotations

from pathlib import Path

from drafting.model import Document

FORMATS = {".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "markdown",
           ".markdown": "markdown", ".txt": "text", ".text": "text"}


class UnreadableDocument(Exception):
    """The source cannot be read as a protocol document; the message says why and what to do."""


def read(path: str | Path) -> Document:
    """Read ``path`` by its suffix into the neutral document model."""
    p = Path(path)
    kind = FORMATS.get(p.suffix.lower())
    if kind is None:
        raise UnreadableDocument(
            f"{p}: cannot read '{p.suffix or 'no suffix'}' files; give a .docx, .pdf, .html, .md or .txt document"
            + (" (save a .doc as .docx first)" if p.suffix.lower() == ".doc" else ""))
    if not p.is_file():
        raise UnreadableDocument(f"{p}: no such file")
    try:
        if kind == "docx":
            from drafting.readers.word import read_docx
            return read_docx(p)
        if kind == "pdf":
            from drafting.readers.pdf import read_pdf
            return read_pdf(p)
        data = p.read_bytes()
        if kind == "html":
            from drafting.readers.html import read_html
            return read_html(data, p.name)
        text = _decode(data, p)
        if kind == "markdown":
            from drafting.readers.markdown import read_markdown
            return read_markdown(text, p.name)
        from drafting.readers.text import read_text
        return read_text(text, p.name)
    except UnreadableDocument:
        raise
    except Exception as exc:  # a library's own error on a damaged file: say so plainly
        raise UnreadableDocument(f"{p}: could not be read as a {kind} document ({type(exc).__name__}: {exc})") from exc


def _decode(data: bytes, p: Path) -> str:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument(f"{p}: not text in UTF-8 or Windows-1252")
