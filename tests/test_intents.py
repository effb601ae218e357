"""Reading a message's intent for one question only ("is it a command?") gives the answer the full
reading gives (bot.language.intents.parse with ``among``)."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.language.intents import RULES, parse
from bot.language.normalise import tokens

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
COMMANDS = frozenset({"admin", "remind", "calendar", "help", "areas", "boards", "themes", "agenda", "minutes", "meeting",
                      "greeting", "report_year"})


def _messages() -> list[str]:
    out = ["help", "remind list", "agenda add A1", "boards", "hi", "who leads on cse", "report year 2026", "meeting add x",
           "who chairs the hwb", "protocol review date", "list themes please"]
    for name in ("understanding_corpus.yaml", "understanding_dev.yaml", "understanding_heldout.yaml", "understanding_probe.yaml",
                 "understanding_unseen.yaml"):
        data = yaml.safe_load((BENCH / name).read_text())
        for item in data if isinstance(data, list) else data.get("items", []):
            out.extend([item["q"], *(item.get("before") or [])])
    return out


def test_asking_only_about_some_intents_reads_those_as_the_full_reading_does() -> None:
    intents = [frozenset({name}) for name, _ in RULES] + [COMMANDS, frozenset({"lead", "chair"})]
    seen = 0
    for text in _messages():
        normalised = " ".join(tokens(text))
        full = parse(normalised)
        for among in intents:
            narrow = parse(normalised, among=among)
            if full.intent in among:
                assert narrow == full, (text, among)
                seen += 1
            else:
                assert narrow.intent not in among, (text, among)
    assert seen > 500  # the corpora hold commands and questions of every kind
