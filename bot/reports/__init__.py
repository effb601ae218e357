"""The year in one document: the "partnership working and challenge" section of a board's annual report.

Protocols ask each board's annual report to show how it worked with and challenged the
others (Suffolk 11.4; Central Bedfordshire's annual reports and risk log). This package
drafts that section from the record boardbot keeps: :mod:`bot.reports.year` gathers the
figures (pure reading), :mod:`bot.reports.render` writes Markdown, Word and the chart,
:mod:`bot.reports.links` keeps private download links, and :mod:`bot.reports.web` serves
them. matplotlib and python-docx are imported only when a draft is written.
"""
