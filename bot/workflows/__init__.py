"""Multi-step, stateful processes: challenges, agenda requests, reminders, the risk log.

Importing this package imports none of them (so a plain question never loads the database
layer); :func:`bot.actions.load_all` imports each, which registers its button and form
actions.
"""
