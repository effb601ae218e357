"""Answers to understood questions, narrowly: one module per kind of question.

:mod:`bot.commands.questions` hands each understood question to the answer for its kind:
:mod:`.leads` (who leads on a theme), :mod:`.offices` (who chairs or manages a board),
:mod:`.membership` (who sits on it), :mod:`.meetings`, :mod:`.reports`, :mod:`.challenge`
(the mutual-challenge route), :mod:`.sharing`, :mod:`.protocol` (the document itself) and
:mod:`.other` (everything else about a board, a sub-group or a post). :mod:`.asked` finds
the board a question is about where it does not say.

Each picks the one fact asked for from the area's protocol and says it in a few lines with
its clause, or says plainly that the protocol doesn't say. The full lists stay with the
typed commands (``board``, ``theme``, ``meetings``, ``reports``, ``information sharing``,
``protocol``, ``challenge route``), which each answer's "more" points to.
"""
