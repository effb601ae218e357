"""From an area's protocol document to a draft protocol file, and a page to review it.

The path is: read the document (Word, PDF, web page, Markdown or plain text) into one
neutral :mod:`drafting.model`; run one extractor per kind of fact over that model; assemble
the facts into the protocol schema, every fact citing the clause it came from with its
quote and ``review: pending``; write YAML that ``boardbot protocol validate`` accepts.
What the drafter cannot find is marked not yet transcribed, never guessed.

This package imports the protocol schema (``storage.protocol``) and nothing of the chat
platforms; only :mod:`drafting.review` runs a web server.
"""
