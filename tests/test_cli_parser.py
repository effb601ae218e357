"""The command line is parsed with only the command being run built (``parser(command)``): every
command's help, usage and errors must read exactly as with the whole parser."""

from __future__ import annotations

import argparse
import contextlib
import io

import pytest

from bot.cli.parser import parser


def _subparsers(p: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return next(a for a in p._actions if isinstance(a, argparse._SubParsersAction)).choices  # noqa: SLF001


def _helps(p: argparse.ArgumentParser, prefix: str = "") -> dict[str, str]:
    """The help text of ``p`` and of every action under it, by the words that reach it."""
    out = {prefix: p.format_help()}
    for a in p._actions:  # noqa: SLF001
        if isinstance(a, argparse._SubParsersAction):
            for name, sp in a.choices.items():
                out.update(_helps(sp, f"{prefix} {name}".strip()))
    return out


def test_the_top_level_help_is_the_whole_parsers() -> None:
    assert parser("ask").format_help() == parser().format_help()


@pytest.mark.parametrize("command", list(_subparsers(parser())))
def test_a_command_parsed_alone_reads_as_in_the_whole_parser(command: str) -> None:
    whole = {k: v for k, v in _helps(parser()).items() if k.split(" ")[0] == command}
    alone = {k: v for k, v in _helps(parser(command)).items() if k.split(" ")[0] == command}
    assert alone == whole


@pytest.mark.parametrize("words", [["ask"], ["ask", "--bogus", "q"], ["admin", "grant"], ["protocol"], ["nonsense"]])
def test_mistakes_are_reported_as_by_the_whole_parser(words: list[str]) -> None:
    def error(p: argparse.ArgumentParser) -> str:
        err = io.StringIO()
        with contextlib.redirect_stderr(err), pytest.raises(SystemExit):
            p.parse_args(words)
        return err.getvalue()

    assert error(parser(words[0])) == error(parser())
