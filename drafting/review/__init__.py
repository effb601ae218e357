"""The review page: a draft beside its document, served on 127.0.0.1 by aiohttp.

The page is static HTML, CSS and JavaScript shipped in ``static/`` (no build step, works
offline). The server gives it the draft and the document model as JSON and saves what the
reviewer decides, only to the file under review, only with the run's token.
"""
